"""Split Test: branches, achievers after the split, intervals, tests and the chance of being best.

The statistics are checked against scipy called directly on the counts the facts were built to
give, and against formulas written out here (Wilson's interval, Pearson's chi-square, the closed
form for two Beta posteriors), sharing no code with journeymap.reports.binomial."""

from __future__ import annotations

import hashlib
import io
import math
from csv import DictReader
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from journeymap.reports import ReportInvalid
from test_api_support import open_api
from test_engine_support import T0, add, at, buy, end, form, goal, kind, trigger, wait

Z = 1.959963984540054
"""The 97.5% point of the standard normal."""


def bucket(contact_id: str, split_id: str) -> int:
    """docs/maps.md: BLAKE2b (8-byte digest) of `contact id, NUL, split id`, big-endian, mod 100."""
    digest = hashlib.blake2b(f"{contact_id}\0{split_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100


def pick(n: int, low: int, high: int, prefix: str = "c", split: str = "s") -> list[str]:
    """The first n contact ids whose bucket at `split` is in [low, high)."""
    found = []
    i = 0
    while len(found) < n:
        cid = f"{prefix}{i}"
        if low <= bucket(cid, split) < high:
            found.append(cid)
        i += 1
    return found


def split_map(weights: tuple[int, ...] = (50, 50)) -> tuple[list[dict[str, object]], list[object]]:
    """t -> s (split) -> one 30-day wait per branch -> g (purchase) -> done."""
    names = "abc"[: len(weights)]
    elements: list[dict[str, object]] = [trigger("t", reentry="always"), kind("s", "split")]
    edges: list[object] = [("c1", "t", "s")]
    for name, weight in zip(names, weights, strict=True):
        elements.append(wait(f"w{name}", duration="P30D"))
        edges += [(f"c{name}", "s", f"w{name}", {"weight": weight}), (f"g{name}", f"w{name}", "g")]
    elements += [goal("g"), end("done")]
    edges.append(("cg", "g", "done"))
    return elements, edges


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def chi_square_p_by_hand(k1: int, n1: int, k2: int, n2: int) -> float:
    """Pearson's chi-square on the 2x2 table, without continuity correction (1 degree)."""
    table = [[k1, n1 - k1], [k2, n2 - k2]]
    total = n1 + n2
    cols = [k1 + k2, total - k1 - k2]
    rows = [n1, n2]
    chi2 = sum(
        (table[i][j] - rows[i] * cols[j] / total) ** 2 / (rows[i] * cols[j] / total)
        for i in range(2)
        for j in range(2)
    )
    return math.erfc(math.sqrt(chi2 / 2))  # the chi-square(1) survival function


def b_beats_a(ka: int, na: int, kb: int, nb: int) -> float:
    """P(p_B > p_A) for Beta(1 + k, 1 + n - k) posteriors, in closed form (Evan Miller, 2015)."""
    a_a, b_a, a_b, b_b = 1 + ka, 1 + na - ka, 1 + kb, 1 + nb - kb
    i = np.arange(a_b)
    terms = (
        special.betaln(a_a + i, b_a + b_b)
        - np.log(b_b + i)
        - special.betaln(1 + i, b_b)
        - special.betaln(a_a, b_a)
    )
    return float(np.exp(terms).sum())


@pytest.fixture
def ab(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """40 contacts down branch a, 8 of them buy after the split; 40 down b, 20 buy.

    Also: `early` (branch a) bought before ever passing the split and never again, so it counts
    in a but is no achiever; `cross` went down a, then the weights changed and it went down b
    (left out of the test); `other` (UTM source other) is outside a filtered cohort."""
    add(jm, "ab", *split_map())
    a = pick(40, 0, 50)
    b = pick(40, 50, 100)
    early = a[-1]
    jm.track(buy(early, at(0)))
    jm.track_many([form(c, at(1)) for c in [*a, *b]])
    jm.track_many([buy(c, at(10)) for c in a[:8] + b[:20]])
    cross = pick(1, 10, 50, prefix="x")[0]  # a at 50/50, b at 10/90
    jm.track(form(cross, at(20)))
    elements, edges = split_map((10, 90))
    add(jm, "ab", elements, edges)
    jm.track(form(cross, at(30)))
    jm.track(form("other", at(40), utm={"source": "other"}))
    return jm


def _branch(r: journeymap.ReportResult, cid: str) -> dict[str, object]:
    return r.connector(cid).figures()


def test_branch_counts_rates_and_statistics(ab: journeymap.Journeymap) -> None:
    r = ab.report("split-test", map_id="ab", goal="g")
    side = "a" if bucket("other", "s") < 10 else "b"  # version 2 weights 10/90
    n_a, n_b = 40 + (side == "a"), 40 + (side == "b")
    s = r.element("s")
    assert (s.split_contacts, s.split_crossed, s.split_control) == (n_a + n_b, 1, "ca")
    a, b = _branch(r, "ca"), _branch(r, "cb")
    assert (a["branch_contacts"], a["branch_achievers"]) == (n_a, 8)
    assert (b["branch_contacts"], b["branch_achievers"]) == (n_b, 20)
    assert a["contacts"] == n_a + 1  # the connector's own count keeps the crossed contact
    for fig, k, n in ((a, 8, n_a), (b, 20, n_b)):
        assert fig["branch_rate"] == k / n
        ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
        assert fig["branch_rate_low"] == pytest.approx(ci.low, abs=1e-12)
        assert fig["branch_rate_high"] == pytest.approx(ci.high, abs=1e-12)
        assert (fig["branch_rate_low"], fig["branch_rate_high"]) == pytest.approx(
            wilson_by_hand(k, n), abs=1e-12
        )
    assert (a["branch_lift"], a["branch_lift_rel"], a["branch_p_value"], a["branch_test"]) == (
        None,
        None,
        None,
        None,
    )
    assert b["branch_lift"] == pytest.approx(20 / n_b - 8 / n_a, abs=1e-15)
    assert b["branch_lift_rel"] == pytest.approx((20 / n_b - 8 / n_a) / (8 / n_a), abs=1e-12)
    table = [[20, n_b - 20], [8, n_a - 8]]
    assert b["branch_test"] == "chi-square"
    direct = stats.chi2_contingency(table, correction=False).pvalue
    assert b["branch_p_value"] == pytest.approx(direct, rel=1e-12)
    assert b["branch_p_value"] == pytest.approx(chi_square_p_by_hand(8, n_a, 20, n_b), rel=1e-9)
    best_b = b_beats_a(8, n_a, 20, n_b)
    assert b["branch_prob_best"] == pytest.approx(best_b, abs=1e-7)
    assert a["branch_prob_best"] == pytest.approx(1 - best_b, abs=1e-7)
    assert s.split_verdict == "winner"
    assert s.split_winner == "cb"
    assert s.split_verdict_text is not None
    assert s.split_verdict_text.startswith("“Wait 30 days (cb)” wins: ")


def test_the_cohort_filter_applies_to_every_branch(ab: journeymap.Journeymap) -> None:
    r = ab.report("split-test", map_id="ab", goal="g", utm={"source": "(none)"})
    assert (r.connector("ca").branch_contacts, r.connector("cb").branch_contacts) == (40, 40)
    a, b = r.connector("ca"), r.connector("cb")
    # docs/metrics.md's example, rounded as it is written there
    assert (a.branch_rate_low, a.branch_rate_high) == (
        pytest.approx(0.105, abs=5e-4),
        pytest.approx(0.348, abs=5e-4),
    )
    assert (b.branch_lift, b.branch_lift_rel) == (pytest.approx(0.3), pytest.approx(1.5))
    assert (b.branch_test, b.branch_p_value) == ("chi-square", pytest.approx(0.005, abs=5e-4))
    assert b.branch_prob_best == pytest.approx(0.997, abs=5e-4)
    assert (r.element("s").split_verdict, r.element("s").split_winner) == ("winner", "cb")
    assert r.element("s").split_crossed == 1
    only = ab.report("split-test", map_id="ab", goal="g", utm={"source": "other"})
    assert only.element("s").split_contacts == 1
    assert only.element("s").split_verdict == "too_small"


def test_a_control_named_by_the_user(ab: journeymap.Journeymap) -> None:
    r = ab.report("split-test", map_id="ab", goal="g", utm={"source": "(none)"}, control="cb")
    assert r.options == {"control": "cb"}
    a, b = r.connector("ca"), r.connector("cb")
    assert (b.branch_lift, b.branch_p_value) == (None, None)
    assert a.branch_lift == pytest.approx(8 / 40 - 20 / 40)
    assert a.branch_lift_rel == pytest.approx(-0.6)
    assert r.element("s").split_verdict == "control_wins"
    assert r.element("s").split_winner == "cb"


def test_small_samples_use_fishers_exact_test_and_are_not_called(
    jm: journeymap.Journeymap,
) -> None:
    add(jm, "small", *split_map())
    a, b = pick(12, 0, 50), pick(10, 50, 100)
    jm.track_many([form(c, at(0)) for c in [*a, *b]])
    jm.track_many([buy(c, at(5)) for c in a[:1] + b[:6]])
    r = jm.report("split-test", map_id="small", goal="g")
    cb = r.connector("cb")
    assert (cb.branch_contacts, cb.branch_achievers) == (10, 6)
    assert cb.branch_test == "fisher"
    assert cb.branch_p_value == pytest.approx(
        stats.fisher_exact([[6, 4], [1, 11]]).pvalue, rel=1e-12
    )
    s = r.element("s")
    assert s.split_verdict == "too_small"
    assert s.split_winner is None
    assert s.split_verdict_text == (
        "Too early to call: “Wait 30 days (ca)” has 12 contacts; each branch needs at least 30 "
        "contacts and the branches at least 10 achievers together."
    )


def test_three_branches_chance_of_being_best_against_sampling(jm: journeymap.Journeymap) -> None:
    add(jm, "abc", *split_map((34, 33, 33)))
    groups = [pick(60, 0, 34), pick(60, 34, 67), pick(60, 67, 100)]
    buyers = [12, 15, 21]
    jm.track_many([form(c, at(0)) for g in groups for c in g])
    jm.track_many([buy(c, at(5)) for g, k in zip(groups, buyers, strict=True) for c in g[:k]])
    r = jm.report("split-test", map_id="abc", goal="g")
    best = [r.connector(c).branch_prob_best for c in ("ca", "cb", "cc")]
    assert sum(b or 0 for b in best) == pytest.approx(1.0, abs=1e-12)
    rng = np.random.default_rng(7)
    draws = np.stack([rng.beta(1 + k, 1 + 60 - k, 400_000) for k in buyers])
    sampled = np.bincount(draws.argmax(axis=0), minlength=3) / draws.shape[1]
    assert best == pytest.approx(list(sampled), abs=0.004)
    # each branch against the control a, Bonferroni: significant below 0.05 / 2
    pc = r.connector("cc").branch_p_value
    direct = stats.chi2_contingency([[21, 39], [12, 48]], correction=False).pvalue
    assert pc == pytest.approx(direct)
    assert pc == pytest.approx(0.0657690377, abs=1e-9)  # not below 0.025: no winner
    s = r.element("s")
    assert (s.split_verdict, s.split_winner) == ("no_difference", None)
    assert s.split_verdict_text == (
        "No winner yet: no branch converts better than the control “Wait 30 days (ca)” (20.0%) "
        "at 95% confidence (smallest p = 0.066)."
    )


def test_drill_down_lists_the_contacts_behind_each_branch(ab: journeymap.Journeymap) -> None:
    kw = {"goal": "g", "utm": {"source": "(none)"}}
    sent = ab.contacts("ab", figure="branch_contacts", connector="ca", **kw)  # type: ignore[arg-type]
    assert sent.total == 40
    assert {row.contact_id for row in sent.rows} == set(pick(40, 0, 50))
    won = ab.contacts("ab", figure="branch_achievers", connector="cb", **kw)  # type: ignore[arg-type]
    assert won.total == 20
    assert {row.contact_id for row in won.rows} == set(pick(40, 50, 100)[:20])
    assert {row.value for row in won.rows} == {540.0}  # passed at minute 1, bought at minute 10
    crossed = ab.contacts("ab", figure="split_crossed", element="s", **kw)  # type: ignore[arg-type]
    assert [(row.contact_id, row.value) for row in crossed.rows] == [
        (pick(1, 10, 50, prefix="x")[0], 2)
    ]
    tested = ab.contacts("ab", figure="split_contacts", element="s", **kw)  # type: ignore[arg-type]
    assert tested.total == 80
    with pytest.raises(ReportInvalid) as bad:
        ab.contacts("ab", figure="branch_contacts", connector="cg", **kw)  # type: ignore[arg-type]
    assert bad.value.code == "figure_not_for_connector"


def test_errors_name_the_parameter(ab: journeymap.Journeymap, jm: journeymap.Journeymap) -> None:
    with pytest.raises(ReportInvalid) as bad:
        ab.report("split-test", map_id="ab", goal="g", control="c1")
    assert (bad.value.code, bad.value.field) == ("bad_control", "control")
    with pytest.raises(ReportInvalid) as missing:
        ab.report("split-test", map_id="ab")
    assert missing.value.code == "goal_required"
    add(jm, "plain", [trigger("t"), goal("g"), end("e")], [("c1", "t", "g"), ("c2", "g", "e")])
    with pytest.raises(ReportInvalid) as none:
        jm.report("split-test", map_id="plain", goal="g")
    assert (none.value.code, none.value.field) == ("no_split", "map_id")


def test_http_api_takes_the_control_and_names_a_bad_one(ab: journeymap.Journeymap) -> None:
    with open_api(ab) as api:
        url = "/api/maps/ab/reports/split-test"
        params = {"goal": "g", "utm_source": "(none)", "control": "cb"}
        body = api.client.get(url, params=params, headers=api.read).json()
        assert body["options"] == {"control": "cb"}
        branches = {c["id"]: c for c in body["connectors"] if c["from"] == "s"}
        assert branches["cb"]["branch_lift"] is None
        assert branches["ca"]["branch_lift"] == pytest.approx(8 / 40 - 20 / 40)
        assert branches["ca"]["branch_p_value"] == pytest.approx(
            chi_square_p_by_hand(20, 40, 8, 40), rel=1e-9
        )
        split = next(e for e in body["elements"] if e["id"] == "s")
        assert (split["split_verdict"], split["split_winner"]) == ("control_wins", "cb")
        csv = api.client.get(url, params={**params, "format": "csv"}, headers=api.read).text
        rows = {r["id"]: r for r in DictReader(io.StringIO(csv))}
        assert (rows["ca"]["branch_contacts"], rows["ca"]["branch_achievers"]) == ("40", "8")
        assert rows["s"]["split_verdict"] == "control_wins"
        bad = api.client.get(url, params={**params, "control": "c1"}, headers=api.read)
        assert bad.status_code == 422
        problem = bad.json()["error"]
        assert (problem["code"], problem["problems"][0]["field"]) == ("bad_control", "control")


def test_the_command_line_prints_each_branch_and_the_verdict(tmp_path: Path) -> None:
    db = tmp_path / "small.duckdb"
    with journeymap.open(db, clock=ManualClock(T0)) as jm:
        add(jm, "small", *split_map())
        a, b = pick(12, 0, 50), pick(10, 50, 100)
        jm.track_many([form(c, at(0)) for c in [*a, *b]])
        jm.track_many([buy(c, at(5)) for c in a[:1] + b[:6]])
    args = ["stats", "--db", str(db), "--map", "small", "--report", "split-test", "--goal", "g"]
    console.width = 80
    try:
        result = CliRunner().invoke(app, args)
    finally:
        console._width = None
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    # the figures, worked out independently of the report
    lo_a, hi_a = wilson_by_hand(1, 12)
    lo_b, hi_b = wilson_by_hand(6, 10)
    assert (f"{lo_a:.1%}", f"{hi_a:.1%}", f"{lo_b:.1%}", f"{hi_b:.1%}") == (
        "1.5%",
        "35.4%",
        "31.3%",
        "83.2%",
    )
    assert f"{stats.fisher_exact([[6, 4], [1, 11]]).pvalue:.3f}" == "0.020"
    assert f"{b_beats_a(1, 12, 6, 10):.1%}" == "99.4%"
    assert lines[1] == "Report: Split Test, goal: Any purchase (g)"
    start = lines.index("Split: A/B split")
    assert lines[start:] == [
        "Split: A/B split",
        "",
        " branch           contacts   converted       95% CI        lift       p    best",
        " " + "─" * 78,
        " Wait 30 days           12    8.3% (1)    1.5-35.4%           -       -    0.6%",
        " (ca), control",
        " Wait 30 days           10   60.0% (6)   31.3-83.2%   +51.7 pts   0.020   99.4%",
        " (cb)",
        "",
        "Too early to call: “Wait 30 days (ca)” has 12 contacts; each branch needs at least 30 "
        "contacts and the branches at least 10 achievers together.",
    ]
    bad = CliRunner().invoke(app, [*args, "--control", "cx"])
    assert bad.exit_code == 1
    assert bad.stderr == (
        "error [bad_control] --control: 'cx' is not a connector leaving a split of map 'small'; "
        "branches are ca, cb\n"
    )
