"""Reports: the six and the insight reports at 1 M contacts / 10 M visits, against raw-fact SQL.

`python -m bench reports` builds (in a child process, seeded) a store with a 50-element map,
1 million contacts, about 10 million element visits, email events, purchases with refunds and page
visits, written in blocks through `store.append_columns` so the summaries are kept as the import
keeps them. Then, for every report and every filter, it times the report (median of
`JM_BENCH_RUNS` warm runs, default 5) and the same figures by straightforward SQL over the raw
facts (count distinct per element, first-goal joins, page visits by glob; median of
`JM_BENCH_BASE_RUNS` warm runs, default 3), checks that both agree, and prints both, their ratio
and the peak memory of the report process. It then times the write side: single-event appends
(one transition, one achievement, one contact upsert, one purchase, one page visit) each in its
own commit, as the HTTP API commits each request, with the summaries kept and, in the same store,
without them.
The insight reports (split test, time to goal, attribution models, bottlenecks, trends) are timed
the same way beside their own baselines (bench/insight_reports.py). `JM_BENCH_CONTACTS` scales
it; `JM_BENCH_DB` names a store file to keep and reuse between runs; `JM_BENCH_ONLY` (case names,
comma-separated) and `JM_BENCH_FILTERS` (filter labels) time a part; `JM_BENCH_WRITES=0` skips
the write side.
"""

from __future__ import annotations

import functools
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench import insight_reports as insights
from journeymap.engine.registry import MapRegistry
from journeymap.model.loading import parse_map
from journeymap.reports import ReportResult, make_params, run_report
from journeymap.reports.funnel_steps import default_steps, step_numbers
from journeymap.store import Store, open_store

CONTACTS = int(os.environ.get("JM_BENCH_CONTACTS", "1000000"))
RUNS = int(os.environ.get("JM_BENCH_RUNS", "5"))
WRITES = int(os.environ.get("JM_BENCH_WRITES", "30"))
BASE_RUNS = int(os.environ.get("JM_BENCH_BASE_RUNS", "3"))
CHUNK = 100_000
SEED = 20260105
MAP_ID = "bench-reports"
YEAR = np.datetime64("2025-01-01T00:00:00", "us")
HOUR = np.timedelta64(3_600_000_000, "us")
GOALS = {10: "purchase", 20: "tag", 30: "purchase", 40: "tag"}
SPLIT = 25
"""The split element's number: branch k25 goes on to e26, branch k25b skips it to e27."""
UTM_SOURCES = ["google", "facebook", "newsletter", None]
UTM_MEDIUMS = ["cpc", "social", "email", None]
TIME = pa.timestamp("us", tz="UTC")

FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "dates+tz": {"date_range": ("2025-03-01", "2025-08-31"), "tz": "Europe/Paris"},
    "utm": {"utm": {"source": "google", "medium": "cpc"}},
    "last-touch (none)": {"utm": {"source": "(none)"}, "last_touch": True},
}


def bench_map() -> dict[str, Any]:
    """Two triggers into a 47-element chain (waits, emails, tags, four goals, a split whose
    second branch skips an element) and an end."""
    elements: list[dict[str, Any]] = [
        {"id": "t-form", "kind": "trigger", "event": {"on": "form_submitted", "form": "signup"}},
        {
            "id": "t-page",
            "kind": "trigger",
            "event": {"on": "page_visited", "url_pattern": "*/pricing*"},
        },
    ]
    for i in range(1, 48):
        eid = f"e{i:02d}"
        if i == SPLIT:
            elements.append({"id": eid, "kind": "split"})
        elif i in GOALS:
            event = (
                {"on": "purchase"} if GOALS[i] == "purchase" else {"on": "tag_added", "tag": eid}
            )
            elements.append({"id": eid, "kind": "goal", "event": event})
        elif i % 5 == 3:
            action = {"type": "send_email", "message": {"subject": f"Mail {i}"}}
            elements.append({"id": eid, "kind": "action", "action": action})
        elif i % 5 == 1:
            elements.append({"id": eid, "kind": "wait", "duration": "P1D"})
        else:
            elements.append(
                {"id": eid, "kind": "action", "action": {"type": "add_tag", "tag": eid}}
            )
    elements.append({"id": "end", "kind": "end"})
    chain = [e["id"] for e in elements[2:]]
    connectors = [
        {"id": "k-tf", "from": "t-form", "to": "e01"},
        {"id": "k-tp", "from": "t-page", "to": "e01"},
        *(
            {"id": f"k{i + 1:02d}", "from": a, "to": b}
            for i, (a, b) in enumerate(itertools.pairwise(chain))
        ),
        {"id": "k25b", "from": "e25", "to": "e27"},
    ]
    for c in connectors:
        if c["from"] == f"e{SPLIT:02d}":
            c["weight"] = 50
    return {"id": MAP_ID, "elements": elements, "connectors": connectors}


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pa.array([f"{prefix}{n:07d}" for n in numbers.tolist()])


def _pick(rng: np.random.Generator, values: list[Any], n: int, p: list[float]) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(rng.choice(len(values), n, p=p)))


def _chunk(  # noqa: PLR0915 - one block of generated facts, table by table, reads top to bottom
    store: Store, rng: np.random.Generator, first: int, n: int, seq0: int
) -> int:
    """Facts of contacts first..first+n-1, appended table by table; returns the next seq."""
    m = bench_map()
    names = pa.array([e["id"] for e in m["elements"]])
    kinds = np.array([e["kind"] for e in m["elements"]])
    emails = np.array(
        [e["kind"] == "action" and e["action"]["type"] == "send_email" for e in m["elements"]]
    )
    conn_from: dict[str, str] = {}
    for c in m["connectors"]:
        conn_from.setdefault(c["from"], c["id"])  # the split's first branch; k25b set below
    conn_of = pa.array([conn_from.get(e["id"]) for e in m["elements"]], pa.string())
    contacts = np.arange(first, first + n)
    cids = _ids("c", contacts)
    start = YEAR + (rng.integers(0, 365 * 24, n) * HOUR)
    # contacts: first-touch UTM, and a different last touch for some
    src = _pick(rng, UTM_SOURCES, n, [0.35, 0.25, 0.15, 0.25])
    med = _pick(rng, UTM_MEDIUMS, n, [0.3, 0.25, 0.15, 0.3])
    camp = _pick(rng, ["spring", "summer", None], n, [0.3, 0.3, 0.4])
    nulls = pa.nulls(n, pa.string())
    moved = rng.random(n) < 0.3
    last_src = pa.array(np.where(moved, "newsletter", np.array(src.to_pylist(), dtype=object)))
    store.append_columns(
        "contacts",
        {
            "contact_id": cids,
            "created_at": pa.array(start, TIME),
            "first_utm_source": src,
            "first_utm_medium": med,
            "first_utm_campaign": camp,
            "first_utm_content": nulls,
            "first_utm_term": nulls,
            "last_utm_source": last_src,
            "last_utm_medium": med,
            "last_utm_campaign": camp,
            "last_utm_content": nulls,
            "last_utm_term": nulls,
            "tags": pa.nulls(n, pa.list_(pa.string())),
            "fields": nulls,
        },
    )
    # purchases: 30% of contacts buy 1-3 times, 5% of purchases are refunds
    buyers = np.flatnonzero(rng.random(n) < 0.3)
    buyers = np.repeat(buyers, rng.integers(1, 4, len(buyers)))
    amount = np.round(rng.uniform(10, 200, len(buyers)), 2)
    amount[rng.random(len(buyers)) < 0.05] *= -0.5
    store.append_columns(
        "purchases",
        {
            "contact_id": cids.take(pa.array(buyers)),
            "occurred_at": pa.array(
                start[buyers] + rng.integers(0, 200 * 24, len(buyers)) * HOUR, TIME
            ),
            "amount": pa.array(np.round(amount, 2)),
            "product": pa.nulls(len(buyers), pa.string()),
        },
    )
    # walks: every contact enters once, 10% again 100 days later; 2% of walks enter at goal e10
    again = np.flatnonzero(rng.random(n) < 0.1)
    walk_contact = np.concatenate([np.arange(n), again])
    walk_start = np.concatenate([start, start[again] + 100 * 24 * HOUR])
    order = np.lexsort((np.arange(len(walk_contact)), walk_contact))
    walk_contact, walk_start = walk_contact[order], walk_start[order]
    w = len(walk_contact)
    at_goal = rng.random(w) < 0.02
    first_chain = np.where(at_goal, 10, 0)  # chain index of the first element after entering
    skip = rng.random(w) < 0.5  # walks that take the split's second branch, past e26
    length = np.minimum(rng.geometric(1 / 8.1, w), 47 - first_chain - skip)  # chain elements
    gap = rng.integers(1, 48, w) * HOUR
    sizes = length + 1
    walk = np.repeat(np.arange(w), sizes)
    pos = np.arange(len(walk)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    trig = np.where(rng.random(w) < 0.8, 0, 1)
    ci = first_chain[walk] + pos - 1  # chain index of each visit after the first
    ci += skip[walk] & (ci >= SPLIT)
    el = np.where(pos == 0, np.where(at_goal, 2 + 9, trig)[walk], 2 + ci)
    prev = np.where(pos == 0, -1, np.roll(el, 1))
    branch_b = (prev == 1 + SPLIT) & skip[walk]  # moves along k25b
    arrivals = len(walk)
    seq = seq0 + 4 * np.arange(arrivals)
    at = walk_start[walk] + pos * gap[walk]
    contact_of = cids.take(pa.array(walk_contact[walk]))
    entry = np.repeat(seq[np.cumsum(sizes) - sizes], sizes)
    last = np.cumsum(sizes) - 1
    exits = last[(kinds[el[last]] != "end") & (rng.random(w) < 0.25)]
    prev_arr = pa.array(prev, mask=prev < 0)
    trans = {
        "seq": pa.array(np.concatenate([seq, seq[exits] + 2])),
        "contact_id": pa.concat_arrays([contact_of, contact_of.take(pa.array(exits))]),
        "map_id": pa.array([MAP_ID] * (arrivals + len(exits))),
        "entry_id": pa.array(np.concatenate([entry, entry[exits]])),
        "from_element": pa.concat_arrays([names.take(prev_arr), names.take(pa.array(el[exits]))]),
        "to_element": pa.concat_arrays(
            [names.take(pa.array(el)), pa.nulls(len(exits), pa.string())]
        ),
        "connector_id": pa.concat_arrays(
            [
                pc.if_else(pa.array(branch_b), "k25b", conn_of.take(prev_arr)),
                pa.nulls(len(exits), pa.string()),
            ]
        ),
        "kind": pa.array(
            np.concatenate([np.where(pos == 0, "enter", "flow"), np.full(len(exits), "exit")])
        ),
        "occurred_at": pa.array(np.concatenate([at, at[exits] + HOUR]), TIME),
    }
    store.append_columns("transitions", trans)
    # achievements on arrival at a goal, except half of the walks that stop there (waiting)
    is_goal = kinds[el] == "goal"
    waiting = np.zeros(arrivals, bool)
    waiting[last] = rng.random(w) < 0.5
    hit = np.flatnonzero(is_goal & ~waiting)
    store.append_columns(
        "achievements",
        {
            "seq": pa.array(seq[hit] + 1),
            "contact_id": contact_of.take(pa.array(hit)),
            "map_id": pa.array([MAP_ID] * len(hit)),
            "goal_id": names.take(pa.array(el[hit])),
            "entry_id": pa.array(entry[hit]),
            "from_element": names.take(prev_arr.take(pa.array(hit))),
            "occurred_at": pa.array(at[hit], TIME),
        },
    )
    # email events: a send on every arrival at a send-email element; opens, clicks, unsubscribes
    sent = np.flatnonzero(emails[el])
    events = [("sent", sent)]
    for name, share in (("opened", 0.35), ("clicked", 0.12), ("unsubscribed", 0.01)):
        events.append((name, sent[rng.random(len(sent)) < share]))
    rows = np.concatenate([r for _, r in events])
    store.append_columns(
        "email_events",
        {
            "event": pa.array(np.concatenate([np.full(len(r), e) for e, r in events])),
            "map_id": pa.array([MAP_ID] * len(rows)),
            "element_id": names.take(pa.array(el[rows])),
            "contact_id": contact_of.take(pa.array(rows)),
            "occurred_at": pa.array(at[rows] + HOUR, TIME),
        },
    )
    # page visits: two per contact, half anonymous
    v = 2 * n
    who = rng.integers(0, n, v)
    anon = rng.random(v) < 0.5
    visitor = np.where(
        anon,
        np.char.add("v", (first * 2 + np.arange(v)).astype(str)),
        np.array(cids.to_pylist(), dtype=object)[who],
    )
    store.append_columns(
        "page_visits",
        {
            "visitor_id": pa.array(visitor.astype(str)),
            "contact_id": pa.array(np.where(anon, None, visitor), pa.string()),
            "url": _pick(
                rng,
                [
                    "https://shop.test/pricing",
                    "https://shop.test/pricing?plan=pro",
                    "https://shop.test/about",
                    "https://shop.test/blog/x",
                ],
                v,
                [0.3, 0.1, 0.3, 0.3],
            ),
            "utm_source": _pick(rng, UTM_SOURCES, v, [0.35, 0.25, 0.15, 0.25]),
            "utm_medium": _pick(rng, UTM_MEDIUMS, v, [0.3, 0.25, 0.15, 0.3]),
            "utm_campaign": nulls.take(pa.array(who)),
            "utm_content": nulls.take(pa.array(who)),
            "utm_term": nulls.take(pa.array(who)),
            "occurred_at": pa.array(YEAR + rng.integers(0, 365 * 24, v) * HOUR, TIME),
        },
    )
    return int(seq0 + 4 * arrivals + 4)


def generate(path: str) -> None:
    """Write the map and every fact of the benchmark store at `path` (run in a child process)."""
    store = open_store(path)
    MapRegistry(store).save(parse_map(bench_map()), datetime(2025, 1, 1, tzinfo=UTC))
    rng = np.random.default_rng(SEED)
    seq = 1
    for first in range(0, CONTACTS, CHUNK):
        seq = _chunk(store, rng, first, min(CHUNK, CONTACTS - first), seq)
    store.close()


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


REPORTS: dict[str, str | None] = {
    "contact-flow": None,
    "funnel-conversion": None,
    "lifetime-value": None,
    "goal-conversion-rate": "e30",
    "goal-conversion-point": "e30",
    "goal-conversion-time": "e30",
}
"""Every report, with the goal it is asked about."""


def _baseline(
    store: Store, report: str, goal: str | None, params: dict[str, Any]
) -> dict[str, Any]:
    """The report's figures by straightforward SQL over the raw facts."""
    out: dict[str, Any] = {
        "elements": store.query("report_baseline_elements", params),
        "connectors": store.query("report_baseline_connectors", params),
    }
    if report == "contact-flow":
        out["email"] = store.query("report_baseline_email", params)
        out["pages"] = store.query(
            "report_baseline_page_visits",
            {
                "patterns": ["*/pricing*"],
                "from": params["from"],
                "to": params["to"],
                **{k: v for k, v in params.items() if k.startswith("utm_")},
            },
        )
    elif report == "funnel-conversion":
        m = parse_map(bench_map())
        steps = default_steps(m)
        goals = [s for s in steps if m.element_by_id[s].kind == "goal"]
        out["funnel"] = store.query(
            "report_baseline_funnel",
            {
                **params,
                "step_names": list(steps),
                "step_numbers": list(step_numbers(m, steps)),
                "goal_steps": goals,
            },
        )
    elif report == "lifetime-value":
        out["spend"] = store.query("report_baseline_spend", params)
    elif report == "goal-conversion-point":
        out["point"] = store.query("report_baseline_conversion_point", {**params, "goal": goal})
    else:
        out["paths"] = store.query("report_baseline_goal_paths", {**params, "goal": goal})
    return out


def _agree(r: ReportResult, base: dict[str, Any]) -> bool:
    """Whether the report and the baseline give the same figures."""
    by_el = {row["element_id"]: row for row in base["elements"]}
    for e in r.elements:
        row = by_el.get(e.id, {"visitors": 0, "here_now": 0, "visits": 0})
        if (e.visitors, e.here_now, e.visits) != (row["visitors"], row["here_now"], row["visits"]):
            return False
    links = {row["connector_id"]: row["contacts"] for row in base["connectors"]}
    if any(c.contacts != links.get(c.id, 0) for c in r.connectors):
        return False
    checks: list[bool] = []
    if "email" in base:
        mail = {
            row["element_id"]: (row["sent"], row["opened"], row["clicked"]) for row in base["email"]
        }
        checks += [
            (e.sent, e.opened, e.clicked) == mail.get(e.id, (0, 0, 0))
            for e in r.elements
            if e.sent is not None
        ]
    if "pages" in base:
        (pages,) = base["pages"] or [{"page_visits": 0, "unique_visitors": 0}]
        page = r.element("t-page")
        checks.append(
            (page.page_visits, page.unique_visitors)
            == (pages["page_visits"], pages["unique_visitors"])
        )
    if "funnel" in base:
        counts = [row["reached"] for row in base["funnel"]]
        reached = [step["count"] for step in r.totals["funnel"]]
        checks.append(reached[: len(counts)] == counts and not any(reached[len(counts) :]))
    if "spend" in base:
        spend = {row["element_id"]: row["amount_spent"] for row in base["spend"]}
        checks += [e.amount_spent == spend.get(e.id, 0) for e in r.elements]
    if "point" in base:
        point = {row["element_id"]: row["contacts"] for row in base["point"]}
        checks += [e.conversion_point == point.get(e.id, 0) for e in r.elements]
        checks.append(r.totals["entered_at_goal"] == point.get(None, 0))
    if "paths" in base:
        paths = {row["element_id"]: row["n"] for row in base["paths"]}
        n = [
            e.to_goal if r.report == "goal-conversion-rate" else e.conversion_time_n
            for e in r.elements
        ]
        checks += [k == paths.get(e.id, 0) for k, e in zip(n, r.elements, strict=True)]
    return all(checks)


def _event_blocks(store: Store, i: int, seq: int) -> dict[str, dict[str, list[Any]]]:
    """One single-event block per fact table, for contact number `i` of the generated store;
    the contact upsert keeps the contact's first touch and moves its last touch."""
    cid = f"c{i:07d}"
    at = [datetime(2025, 12, 1, tzinfo=UTC)]
    (contact,) = store.query("contact", {"contact_id": cid})
    contact["last_utm_source"] = f"partner{seq % 7}"
    return {
        "contacts": {k: [v] for k, v in contact.items()},
        "transitions": {
            "seq": [seq],
            "contact_id": [cid],
            "map_id": [MAP_ID],
            "entry_id": [1],
            "from_element": ["e45"],
            "to_element": ["e46"],
            "connector_id": ["k45"],
            "kind": ["flow"],
            "occurred_at": at,
        },
        "achievements": {
            "seq": [seq + 1],
            "contact_id": [cid],
            "map_id": [MAP_ID],
            "goal_id": ["e40"],
            "entry_id": [1],
            "from_element": ["e39"],
            "occurred_at": at,
        },
        "purchases": {
            "contact_id": [cid],
            "occurred_at": at,
            "amount": [Decimal("12.50")],
            "product": [None],
        },
        "page_visits": {
            "visitor_id": [cid],
            "contact_id": [cid],
            "url": ["https://shop.test/pricing"],
            "utm_source": ["google"],
            "utm_medium": [None],
            "utm_campaign": [None],
            "utm_content": [None],
            "utm_term": [None],
            "occurred_at": at,
        },
    }


def _write_costs(store: Store, summaries_kept: bool) -> dict[str, float]:
    """Median ms per single-event commit, per fact table (summaries kept, or skipped)."""
    import journeymap.store.duckdb.store as duck  # noqa: PLC0415 - the bench's one look inside

    keep = duck.summaries.maintain
    if not summaries_kept:
        duck.summaries.maintain = lambda con, table: None
    try:
        times: dict[str, list[float]] = {}
        seq = int(store.scalar("max_seq") or 0) + 10
        for n in range(WRITES):
            contact = (n * 7_919) % CONTACTS  # spread over the store, old and new contacts
            for table, block in _event_blocks(store, contact, seq).items():
                began = time.perf_counter()
                store.append_columns(table, block)
                times.setdefault(table, []).append(time.perf_counter() - began)
            seq += 10
    finally:
        duck.summaries.maintain = keep
    return {t: statistics.median(v) * 1000 for t, v in times.items()}


def _store_path(tmp: str) -> str:
    """The benchmark store: `JM_BENCH_DB` when set (generated there once), else a temporary file."""
    path = os.environ.get("JM_BENCH_DB") or str(Path(tmp) / "reports.duckdb")
    if not Path(path).exists():
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench.reports", "--generate", path], check=True)
        print(f"generated {CONTACTS:,} contacts in {time.perf_counter() - began:.0f} s", flush=True)
    return path


def _timed(
    name: str,
    label: str,
    run: Callable[[], Any],
    base: Callable[[], Any],
    agree: Callable[..., bool],
) -> tuple[float, Callable[[], str]]:
    """The case's median ms, and the rest of its line (raw SQL timed later, after every case)."""
    ms = _median_ms(run, RUNS)
    result = run()
    print(f"{name:<22} {label:<18} {ms:>10.1f}", flush=True)

    def line() -> str:
        base_ms = _median_ms(base, BASE_RUNS)
        same = agree(result, base())
        return (
            f"{name:<22} {label:<18} {ms:>10.1f} {base_ms:>11.1f} {base_ms / ms:>6.1f}x"
            f"  {'yes' if same else 'NO'}"
        )

    return ms, line


def _cases(
    store: Store, now: datetime
) -> list[tuple[str, str, Callable[[], Any], Callable[[], Any], Callable[..., bool]]]:
    """Every (case, filter): name, filter label, product call, baseline call, agreement check."""
    only = {x.strip() for x in os.environ.get("JM_BENCH_ONLY", "").split(",") if x.strip()}
    chosen = {x.strip() for x in os.environ.get("JM_BENCH_FILTERS", "").split(",") if x.strip()}
    out = []
    for label, filters in FILTERS.items():
        if chosen and label not in chosen:
            continue
        tz = filters.get("tz", "UTC")
        for report, goal in REPORTS.items():
            params = make_params(MAP_ID, goal=goal, **filters)
            out.append(
                (
                    report,
                    label,
                    functools.partial(run_report, store, report, params, now),
                    functools.partial(_baseline, store, report, goal, params.cohort_params()),
                    _agree,
                )
            )
        for name, case in insights.CASES.items():
            cohort = make_params(MAP_ID, **filters).cohort_params()
            out.append(
                (
                    name,
                    label,
                    insights.runner(store, MAP_ID, case, filters, now),
                    functools.partial(insights.baseline, store, bench_map(), case, cohort, tz, now),
                    insights.AGREE[case.report],
                )
            )
    order = [*REPORTS, *insights.CASES]
    out.sort(key=lambda c: order.index(c[0]))
    return [c for c in out if not only or c[0] in only]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="jm-bench-reports-") as tmp:
        store = open_store(_store_path(tmp))
        counts = store.query("report_bench_counts", {"map_id": MAP_ID})[0]
        print(", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        now = datetime.now(UTC)
        lines = [_timed(*case) for case in _cases(store, now)]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        head = ("report", "filter", "report ms", "raw SQL ms", "ratio")
        print(f"\n{head[0]:<22} {head[1]:<18} {head[2]:>10} {head[3]:>11} {head[4]:>7}  same")
        for _, line in lines:
            print(line(), flush=True)
        print(f"\npeak memory of the report process before the raw-SQL runs: {peak:,.0f} MiB")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        if WRITES:
            kept = _write_costs(store, summaries_kept=True)
            bare = _write_costs(store, summaries_kept=False)
            print(f"\nsingle-event commit, median of {WRITES}: with summaries / facts only")
            for table, ms in kept.items():
                print(f"{table:<14} {ms:>8.2f} ms {bare[table]:>8.2f} ms", flush=True)
        store.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        generate(sys.argv[2])
    else:
        main()
