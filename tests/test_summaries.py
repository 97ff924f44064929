"""Cohort attributes on the report summaries follow their contact and agree with a rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import journeymap
from test_engine_support import add, at, buy, end, form, goal, trigger, wait
from test_reports_support import flow


def _lifecycle(jm: journeymap.Journeymap) -> None:
    """t (signup form) -> w (wait a day) -> g (purchase goal) -> e."""
    add(
        jm,
        "life",
        [trigger("t"), wait("w", duration="P1D"), goal("g"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "e")],
    )


def _figures(jm: journeymap.Journeymap, **filters: Any) -> tuple[int, dict[str, Any], int]:
    r = jm.report("goal-conversion-rate", map_id="life", goal="g", **filters)
    return r.cohort_size, flow(r), r.element("g").achieved or 0


def _agrees_with_rebuild(jm: journeymap.Journeymap) -> bool:
    incremental = jm.store.query("summary_snapshot")
    jm.store.rebuild_summaries()
    return jm.store.query("summary_snapshot") == incremental


def test_first_touch_utm_given_after_entry_moves_every_summary_row(
    jm: journeymap.Journeymap,
) -> None:
    _lifecycle(jm)
    jm.track(form("a", at(0)))  # enters with no UTM: cohort "(none)"
    jm.track(form("b", at(1), utm={"source": "ads"}))
    jm.track(buy("a", at(2)))  # pulled from w to g, achieves g, then e
    jm.track(form("a", at(3), utm={"source": "news"}))  # first touch is set now, not on entry
    on_map = {"t": (1, 0, 1), "w": (1, 0, 1), "g": (1, 0, 1), "e": (0, 1, 1)}
    assert _figures(jm, utm={"source": "news"}) == (1, on_map, 1)
    b_only = {"t": (1, 0, 1), "w": (0, 1, 1), "g": (0, 0, 0), "e": (0, 0, 0)}
    assert _figures(jm, utm={"source": "ads"}) == (1, b_only, 0)
    nobody = {"t": (0, 0, 0), "w": (0, 0, 0), "g": (0, 0, 0), "e": (0, 0, 0)}
    assert _figures(jm, utm={"source": "(none)"}) == (0, nobody, 0)
    assert _agrees_with_rebuild(jm)
    assert _figures(jm, utm={"source": "news"}) == (1, on_map, 1)


def test_last_touch_follows_the_latest_utm_without_moving_first_touch(
    jm: journeymap.Journeymap,
) -> None:
    _lifecycle(jm)
    jm.track(form("a", at(0), utm={"source": "ads"}))
    jm.track(form("b", at(1), utm={"source": "ads"}))
    jm.track(form("a", at(2), utm={"source": "news"}))  # a's last touch moves to news
    assert _figures(jm, utm={"source": "ads"})[0] == 2
    assert _figures(jm, utm={"source": "ads"}, last_touch=True)[0] == 1
    both = {"t": (1, 0, 1), "w": (0, 1, 1), "g": (0, 0, 0), "e": (0, 0, 0)}
    assert _figures(jm, utm={"source": "news"}, last_touch=True) == (1, both, 0)
    assert _figures(jm, utm={"source": "nowhere"}) == (0, dict.fromkeys(both, (0, 0, 0)), 0)
    assert _agrees_with_rebuild(jm)


def test_a_store_with_summaries_of_an_older_layout_rebuilds_them_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with journeymap.open(path) as jm:
        _lifecycle(jm)
        jm.track(form("a", at(0)))  # a waits at w
        con = jm.store._con  # type: ignore[attr-defined]
        con.execute("UPDATE rs_visit SET live = 0")  # what an older layout could have stored
        con.execute("UPDATE rs_layout SET v = v - 2")  # before the flow rollup's predecessor
        con.execute("UPDATE jm_ddl SET fingerprint = 'an older release'")  # its SQL differed
    with journeymap.open(path) as jm:
        assert flow(jm.report("contact-flow", map_id="life"))["w"] == (0, 1, 1)


def test_a_store_of_the_layout_before_the_flow_rollup_gets_it_built_on_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.duckdb"
    with journeymap.open(path) as jm:
        _lifecycle(jm)
        jm.track(form("a", at(0)))  # a waits at w
        jm.track(form("b", at(1), utm={"source": "ads"}))
        con = jm.store._con  # type: ignore[attr-defined]
        kept = con.execute("SELECT * FROM rs_flow ORDER BY ALL").fetchall()
        con.execute("DROP TABLE rs_flow")  # layout 5 had none
        con.execute("UPDATE rs_layout SET v = 5")
        con.execute("UPDATE jm_ddl SET fingerprint = 'an older release'")
        visits = con.execute("SELECT * FROM rs_visit ORDER BY ALL").fetchall()
    with journeymap.open(path) as jm:
        con = jm.store._con  # type: ignore[attr-defined]
        assert con.execute("SELECT * FROM rs_flow ORDER BY ALL").fetchall() == kept
        assert con.execute("SELECT * FROM rs_visit ORDER BY ALL").fetchall() == visits
        assert con.execute("SELECT v FROM rs_layout").fetchall() == [(6,)]
        assert flow(jm.report("contact-flow", map_id="life"))["w"] == (0, 2, 2)
        assert flow(jm.report("contact-flow", map_id="life", utm={"source": "ads"}))["w"] == (
            0,
            1,
            1,
        )
