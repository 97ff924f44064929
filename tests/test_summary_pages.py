"""The page-visit summary: page visitors on page-visit triggers, read from it, equal a query over
the raw page visits written here, after random engine traffic and an import, and after a rebuild."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from test_engine_support import T0, add, end, trigger
from test_import_support import write

URLS = [
    "https://shop.test/pricing",
    "https://shop.test/pricing?plan=pro",
    "https://shop.test/about",
    "/pricing",
    "https://shop.test/blog/[x]",
]
PATTERNS = ["*/pricing*", "*pricing", "https://shop.test/*", "*/blog/?x?", "*[ab]out", "*"]
UTM = [None, "", "ads", "news", "(none)"]
ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kathmandu"]

RAW = """
SELECT count(*) AS page_visits, count(DISTINCT visitor_id) AS unique_visitors
FROM page_visits
WHERE url GLOB $pattern
  AND ($lo::TIMESTAMPTZ IS NULL OR occurred_at >= $lo::TIMESTAMPTZ)
  AND ($hi::TIMESTAMPTZ IS NULL OR occurred_at < $hi::TIMESTAMPTZ)
  AND ($source::VARCHAR IS NULL OR coalesce(nullif(utm_source, ''), '(none)') = $source)
  AND ($medium::VARCHAR IS NULL OR coalesce(nullif(utm_medium, ''), '(none)') = $medium)
"""
"""The figures as docs/metrics.md defines them, straight from the facts."""

SNAPSHOT = """
SELECT u.url, v.visitor_id, p.vt, p.u1, p.u2, p.u3, p.u4, p.u5, sum(p.visits) AS visits
FROM rs_page p JOIN rs_page_url u USING (uk) JOIN rs_visitor v USING (vk)
GROUP BY ALL ORDER BY ALL
"""
"""The summary by URL and visitor id (keys differ between incremental upkeep and a rebuild)."""

visits = st.lists(
    st.tuples(
        st.integers(0, 5),  # visitor: 0-2 anonymous, 3-5 contacts
        st.sampled_from(URLS),
        st.sampled_from(UTM),
        st.sampled_from(UTM),
        st.integers(0, 4 * 24 * 60),  # minutes after T0
        st.booleans(),  # imported rather than tracked
    ),
    max_size=25,
)
filters = st.fixed_dictionaries(
    {
        "days": st.one_of(st.none(), st.tuples(st.integers(0, 4), st.integers(0, 2))),
        "tz": st.sampled_from(ZONES),
        "source": st.sampled_from([None, "ads", "news", "(none)", "nowhere"]),
        "medium": st.sampled_from([None, "ads", "(none)"]),
        "last_touch": st.booleans(),
    }
)


def _who(who: int) -> tuple[str | None, str | None]:
    """Visitors 0-2 are anonymous visitor ids, 3-5 contacts (whose visitor id is the contact)."""
    return (f"v{who}", None) if who < 3 else (None, f"c{who}")


def _raw(jm: journeymap.Journeymap, pattern: str, f: dict[str, Any]) -> tuple[int, int]:
    lo = hi = None
    if f["days"] is not None:
        zone = ZoneInfo(f["tz"])
        first = T0.date() + timedelta(days=f["days"][0])
        last = first + timedelta(days=f["days"][1])
        lo = datetime.combine(first, time(), zone).astimezone(UTC)
        hi = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    con = jm.store._con  # type: ignore[attr-defined]
    bound = {"pattern": pattern, "lo": lo, "hi": hi, "source": f["source"], "medium": f["medium"]}
    found = con.execute(RAW, bound).fetchall()[0]
    return int(found[0]), int(found[1])


def _report(jm: journeymap.Journeymap, f: dict[str, Any]) -> dict[str, tuple[int, int]]:
    utm = {k: f[k] for k in ("source", "medium") if f[k] is not None}
    days: tuple[date, date] | None = None
    if f["days"] is not None:
        first = T0.date() + timedelta(days=f["days"][0])
        days = (first, first + timedelta(days=f["days"][1]))
    r = jm.report(
        "contact-flow",
        map_id="pages",
        date_range=days,
        tz=f["tz"],
        utm=utm,
        last_touch=f["last_touch"],
    )
    return {e.id: (e.page_visits or 0, e.unique_visitors or 0) for e in r.elements if e.id != "e"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    patterns=st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3),
    rows=visits,
    asked=st.lists(filters, min_size=1, max_size=4),
)
def test_page_visitors_from_the_summary_equal_the_raw_page_visits(
    patterns: list[str], rows: list[Any], asked: list[dict[str, Any]]
) -> None:
    triggers = [trigger(f"p{i}", on="page_visited", url_pattern=p) for i, p in enumerate(patterns)]
    links = [(f"k{i}", f"p{i}", "e") for i in range(len(patterns))]
    imported = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        journeymap.open(":memory:", clock=ManualClock(T0)) as jm,
    ):
        add(jm, "pages", [*triggers, end("e")], links)
        for who, url, source, medium, minutes, from_file in sorted(rows, key=lambda r: r[4]):
            visitor, contact = _who(who)
            when = T0 + timedelta(minutes=minutes)
            if from_file:
                imported.append(
                    {
                        "visitor_id": visitor,
                        "contact_id": contact,
                        "url": url,
                        "utm_source": source or None,
                        "utm_medium": medium or None,
                        "occurred_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                )
                continue
            utm = {k: v for k, v in (("source", source), ("medium", medium)) if v is not None}
            jm.track(Event("page_visited", contact, when, url=url, visitor_id=visitor, utm=utm))
        if imported:
            jm.import_files([write(Path(tmp) / "pages.parquet", imported)])
        for f in asked:
            expected = {f"p{i}": _raw(jm, p, f) for i, p in enumerate(patterns)}
            assert _report(jm, f) == expected
        con = jm.store._con  # type: ignore[attr-defined]
        incremental = con.execute(SNAPSHOT).fetchall()
        jm.store.rebuild_summaries()
        assert con.execute(SNAPSHOT).fetchall() == incremental
        assert _report(jm, asked[0]) == {
            f"p{i}": _raw(jm, p, asked[0]) for i, p in enumerate(patterns)
        }
