"""What a map cannot do is recorded as a map error and never stops the other maps: a failing
step or action, follow-up events past the cascade limit, and actions naming a missing map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.engine.compiled import CompiledMap
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.errors import EventRejected, MapInvalid
from journeymap.model.map import AutomationMap
from journeymap.store.facts import FactBatch
from test_engine_support import T0, action, add, at, build_map, end, form, moves, trigger, wait


def _errors(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    return [
        (r["map_id"], r["element_id"], r["contact_id"], r["event"], r["code"])
        for r in reversed(jm.map_errors())
    ]


def _chain(jm: journeymap.Journeymap, links: int) -> None:
    """Map `chain`: tag k added -> add tag k+1, for k = 0 .. links - 1."""
    elements: list[dict[str, Any]] = []
    edges: list[Any] = []
    for k in range(links):
        elements += [
            trigger(f"t{k}", on="tag_added", reentry="always", tag=f"k{k}"),
            action(f"a{k}", "add_tag", tag=f"k{k + 1}"),
            end(f"e{k}"),
        ]
        edges += [(f"c{k}", f"t{k}", f"a{k}"), (f"d{k}", f"a{k}", f"e{k}")]
    add(jm, "chain", elements, edges)


def _entered(jm: journeymap.Journeymap) -> list[str]:
    return [m[2] for m in moves(jm, "chain") if m[4] == "enter"]  # type: ignore[misc]


def test_a_chain_past_the_cascade_limit_is_recorded_on_the_action_that_caused_it(
    jm: journeymap.Journeymap,
) -> None:
    _chain(jm, 10)
    jm.track(Event("tag_added", "x", at(0), tag="k0"))
    # the event itself is round 0; rounds 1 .. 8 fire t1 .. t8; a8's tag k9 would be round 9
    assert _entered(jm) == [f"t{k}" for k in range(9)]
    assert _errors(jm) == [("chain", "a8", "x", "tag_added", "cascade_limit")]
    (row,) = jm.map_errors()
    assert "8 rounds" in row["reason"]
    assert row["occurred_at"] == at(0)
    # the profile changed: the contact has the tag, only the trigger did not fire
    (contact,) = jm.store.query("contact", {"contact_id": "x"})
    assert "k9" in contact["tags"]
    assert jm.map_error_counts("chain") == [
        {
            "map_id": "chain",
            "element_id": "a8",
            "code": "cascade_limit",
            "errors": 1,
            "latest": at(0),
        }
    ]


def test_the_cascade_limit_is_configurable(tmp_path: Path) -> None:
    with journeymap.open(tmp_path / "s.duckdb", clock=ManualClock(T0), cascade_limit=12) as jm:
        _chain(jm, 10)
        jm.track(Event("tag_added", "x", at(0), tag="k0"))
        assert _entered(jm) == [f"t{k}" for k in range(10)]
        assert _errors(jm) == []
    with journeymap.open(tmp_path / "t.duckdb", clock=ManualClock(T0), cascade_limit=2) as jm:
        _chain(jm, 10)
        jm.track(Event("tag_added", "x", at(0), tag="k0"))
        assert _entered(jm) == ["t0", "t1", "t2"]
        assert _errors(jm) == [("chain", "a2", "x", "tag_added", "cascade_limit")]


def test_add_to_map_naming_no_stored_map_is_refused_and_nothing_is_stored(
    jm: journeymap.Journeymap,
) -> None:
    with pytest.raises(MapInvalid) as caught:
        add(
            jm,
            "a",
            [trigger("t"), action("add", "add_to_map", map_id="nowhere"), end("e")],
            [("a1", "t", "add"), ("a2", "add", "e")],
        )
    (problem,) = caught.value.problems
    assert (problem.code, problem.element_id) == ("unknown_map", "add")
    assert "'nowhere'" in problem.message
    assert jm.maps() == []


def test_an_action_naming_a_map_archived_since_records_an_error_and_the_contact_passes_on(
    jm: journeymap.Journeymap,
) -> None:
    add(jm, "b", [trigger("tb", on="added_manually"), end("eb")], [("b1", "tb", "eb")])
    add(
        jm,
        "a",
        [
            trigger("t"),
            action("add", "add_to_map", map_id="b"),
            action("rm", "remove_from_map", map_id="b"),
            end("e"),
        ],
        [("a1", "t", "add"), ("a2", "add", "rm"), ("a3", "rm", "e")],
    )
    jm.archive_map("b")
    jm.track(form("x", at(5)))
    assert [m[2] for m in moves(jm, "a")] == ["t", "add", "rm", "e"]
    assert moves(jm, "b") == []
    assert _errors(jm) == [
        ("a", "add", "x", "add_to_map", "unknown_map"),
        ("a", "rm", "x", "remove_from_map", "unknown_map"),
    ]
    assert jm.map_errors()[0]["reason"] == (
        "remove_from_map names map 'b', which is unknown or archived"
    )


def test_added_manually_to_a_map_that_does_not_run_is_rejected_and_writes_nothing(
    jm: journeymap.Journeymap,
) -> None:
    add(jm, "b", [trigger("tb", on="added_manually"), end("eb")], [("b1", "tb", "eb")])
    jm.archive_map("b")
    for map_id in ("b", "nowhere", None):
        with pytest.raises(EventRejected, match="'map_id' names no running map"):
            jm.track(Event("added_manually", "x", at(0), map_id=map_id, event_id="e1"))
    assert jm.store.query("contact", {"contact_id": "x"}) == []
    assert not jm.store.scalar("event_seen", {"event_id": "e1"})


def _mail_map(map_id: str) -> AutomationMap:
    """Form -> tag -> send email -> end: the email's failure must take the tag back too."""
    return build_map(
        map_id,
        [
            trigger("t"),
            action("tag", "add_tag", tag=f"on-{map_id}"),
            action("mail", "send_email", message={"subject": "Hello"}),
            end("e"),
        ],
        [("c1", "t", "tag"), ("c2", "tag", "mail"), ("c3", "mail", "e")],
    )


def _fail_on(map_id: str) -> Any:
    def listener(effect: Effect, _profile: Profile, _batch: FactBatch) -> None:
        if effect.map_id == map_id and effect.spec.type == "send_email":
            raise RuntimeError(f"cannot send from {map_id}")

    return listener


def test_a_map_whose_action_raises_is_put_back_and_the_other_maps_go_on(
    jm: journeymap.Journeymap,
) -> None:
    for map_id in ("bad", "good"):
        jm.add_map(_mail_map(map_id))
    jm.engine.listeners.append(_fail_on("bad"))
    errors = jm.engine.apply(form("x", at(0)))
    jm.engine.flush()
    assert [(e.map_id, e.element_id, e.code) for e in errors] == [("bad", "mail", "step_failed")]
    assert moves(jm, "bad") == []
    assert jm.engine.state_of("x", "bad").positions == {}
    assert [m[2] for m in moves(jm, "good")] == ["t", "tag", "mail", "e"]
    (contact,) = jm.store.query("contact", {"contact_id": "x"})
    assert contact["tags"] == ["on-good"]  # the bad map's tag was taken back with it
    assert [(r["map_id"], r["contact_id"]) for r in jm.outbox()] == [("good", "x")]
    assert [d.map_id for d in jm.deliveries().deliveries] == ["good"]  # no trace of bad's
    assert _errors(jm) == [("bad", "mail", "x", "form_submitted", "step_failed")]
    assert jm.map_errors()[0]["reason"] == "RuntimeError: cannot send from bad"
    # the next contact goes the same way: the broken map never stops intake
    jm.track(form("y", at(1)))
    assert [m[2] for m in moves(jm, "good", "y")] == ["t", "tag", "mail", "e"]
    assert len(jm.map_errors("bad")) == 2


def test_a_poison_subject_fails_on_its_own_map_only(jm: journeymap.Journeymap) -> None:
    jm.add_map(_mail_map("good"))
    data = _mail_map("poison").model_dump(mode="json", by_alias=True)
    data["elements"][2]["action"]["message"]["subject"] = "\udc00"
    # a map stored before texts were checked: the engine runs it as loaded
    jm.engine.maps["poison"] = CompiledMap.build(AutomationMap.model_validate(data))
    jm.track(form("x", at(0)))
    assert _errors(jm) == [("poison", "mail", "x", "form_submitted", "step_failed")]
    assert jm.map_errors()[0]["reason"].startswith("UnicodeEncodeError: ")
    assert [m[2] for m in moves(jm, "good")] == ["t", "tag", "mail", "e"]
    assert moves(jm, "poison") == []


def test_a_wait_whose_next_action_raises_keeps_the_contact_and_records_the_error(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "w",
        [
            trigger("t"),
            wait("pause", duration="PT1H"),
            action("mail", "send_email", message={"subject": "Later"}),
            end("e"),
        ],
        [("c1", "t", "pause"), ("c2", "pause", "mail"), ("c3", "mail", "e")],
    )
    jm.track(form("x", at(0)))
    jm.engine.listeners.append(_fail_on("w"))
    assert jm.tick(at(60)) == 0
    assert _errors(jm) == [("w", "mail", "x", "tick", "step_failed")]
    assert set(jm.engine.state_of("x", "w").positions) == {"pause"}
    assert [m[2] for m in moves(jm, "w")] == ["t", "pause"]
