"""Map errors through the HTTP API and the command line: counted per element and listed."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

import journeymap
from journeymap.cli import app as cli
from test_api_support import open_api


def chain_map(links: int) -> dict[str, Any]:
    """Tag k added -> add tag k+1, for k = 0 .. links - 1, each chain link ending at its end."""
    elements: list[dict[str, Any]] = []
    connectors: list[dict[str, Any]] = []
    for k in range(links):
        elements += [
            {
                "id": f"t{k}",
                "kind": "trigger",
                "reentry": "always",
                "event": {"on": "tag_added", "tag": f"k{k}"},
            },
            {"id": f"a{k}", "kind": "action", "action": {"type": "add_tag", "tag": f"k{k + 1}"}},
            {"id": f"e{k}", "kind": "end"},
        ]
        connectors += [
            {"id": f"c{k}", "from": f"t{k}", "to": f"a{k}"},
            {"id": f"d{k}", "from": f"a{k}", "to": f"e{k}"},
        ]
    return {"id": "chain", "elements": elements, "connectors": connectors}


def test_a_chain_past_the_limit_is_counted_on_its_action_and_listed(
    jm: journeymap.Journeymap,
) -> None:
    with open_api(jm, cascade_limit=2) as api:
        r = api.client.post("/api/maps", json=chain_map(5), headers=api.write)
        assert r.status_code == 201, r.text
        for contact in ("x", "y"):
            r = api.client.post(
                "/api/events",
                json={"kind": "tag_added", "contact_id": contact, "tag": "k0"},
                headers=api.write,
                params={"wait": "applied"},
            )
            assert r.json()["applied"] is True
        # the event is round 0, rounds 1 and 2 fire t1 and t2; a2's tag k3 would be round 3
        body = api.client.get("/api/map-errors", headers=api.read).json()
        assert body["total"] == 2
        assert [(c["map_id"], c["element_id"], c["code"], c["errors"]) for c in body["counts"]] == [
            ("chain", "a2", "cascade_limit", 2)
        ]
        listed = [(e["contact_id"], e["element_id"], e["event"]) for e in body["errors"]]
        assert listed == [("y", "a2", "tag_added"), ("x", "a2", "tag_added")]
        assert "2 rounds" in body["errors"][0]["reason"]
        one = api.client.get("/api/map-errors", params={"limit": 1}, headers=api.read).json()
        assert (one["total"], len(one["errors"])) == (2, 1)
        other = api.client.get("/api/map-errors", params={"map": "nope"}, headers=api.read).json()
        assert other == {"total": 0, "counts": [], "errors": []}
        bad = api.client.get("/api/map-errors", params={"limit": 0}, headers=api.read)
        assert (bad.status_code, bad.json()["error"]["problems"][0]["field"]) == (422, "limit")
    jm.close()
    out = CliRunner().invoke(cli, ["map", "errors", "--db", jm.path, "--map", "chain"])
    assert out.exit_code == 0, out.output
    assert "2 map errors" in out.stdout
    assert "cascade_limit" in out.stdout
    lines = [line for line in out.stdout.splitlines() if "│ a2" in line or " a2 " in line]
    assert len(lines) == 3  # the count row and the two listed errors


def test_no_map_errors_says_so(jm: journeymap.Journeymap) -> None:
    path = jm.path
    jm.close()
    out = CliRunner().invoke(cli, ["map", "errors", "--db", path])
    assert (out.exit_code, out.stdout) == (0, "No map errors.\n")
