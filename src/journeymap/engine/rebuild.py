"""The engine's state file derived from the store's facts: all of it (after a crash between the
facts and the file, or a store that keeps no file), or only the contacts a history import wrote
around the engine (listed in the store's `engine_stale`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeymap.clock import as_utc
from journeymap.engine.compiled import CompiledMap
from journeymap.engine.schedule import due_time
from journeymap.engine.state import Position
from journeymap.engine.statestore import StateStore
from journeymap.model.elements import Wait
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

STALE = "engine_stale"

_QUERIES = {
    False: ("engine_contacts", "engine_entry_counts", "engine_live_positions"),
    True: ("engine_stale_contacts", "engine_stale_entry_counts", "engine_stale_positions"),
}
"""Where the contacts, their entries per map and their live positions are read: every contact's,
or (True) only those of the contacts an import wrote."""


def lists_imported(store: Store) -> bool:
    """Whether the store lists the contacts a history import wrote (else, after an import, the
    whole state file is rebuilt)."""
    return STALE in store.tables


def imported(store: Store) -> bool:
    """Whether a history import wrote contacts the state file has not taken in yet."""
    return lists_imported(store) and bool(store.scalar("engine_stale_any"))


def read_back(
    store: Store, state: StateStore, maps: Mapping[str, CompiledMap], mark: int, *, stale: bool
) -> None:
    """Write the state file from the facts (every contact, or with `stale` only the imported
    ones) with flush number `mark`, then the store's waits for imported waits and the same
    mark (and the imported contacts as taken in), in one transaction."""
    contacts, counts, live = _QUERIES[stale]
    waits: list[tuple[object, ...]] = []
    rows = (_rows(store, contacts), _rows(store, counts), _positions(store, live, maps, waits))
    state.rebuild(*rows, {"flush": mark}, whole=not stale)
    batch = FactBatch()
    batch.extend("waits", waits)
    batch.add("engine_marks", ("flush", mark))
    with store.transaction():
        store.append(batch)
        if lists_imported(store):
            store.query("engine_stale_clear")


def _rows(store: Store, query: str) -> Iterator[dict[str, Any]]:
    """A query's rows, read only once the first is wanted."""
    yield from store.stream(query)


def _positions(
    store: Store, query: str, maps: Mapping[str, CompiledMap], waits: list[tuple[object, ...]]
) -> Iterator[tuple[str, str, str, Position]]:
    """Live positions as the state file keeps them; a wait position written around the engine
    (history import) gets its release time here, and a waits row in `waits`."""
    for r in store.stream(query):
        due = as_utc(r["due_at"]) if r["due_at"] is not None else None
        pos = Position(
            r["element_id"],
            int(r["entry_id"]),
            int(r["arrived_seq"]),
            as_utc(r["arrived_at"]),
            r["came_from"],
            due,
            bool(r["achieved"]),
        )
        cmap = maps.get(r["map_id"])
        element = cmap.elements.get(pos.element_id) if cmap is not None else None
        if due is None and isinstance(element, Wait):
            pos.due_at = due_time(element, pos.arrived_at)
            waits.append(
                (
                    r["contact_id"],
                    r["map_id"],
                    pos.element_id,
                    pos.entry_id,
                    pos.arrived_seq,
                    pos.due_at,
                )
            )
        yield r["contact_id"], r["map_id"], pos.element_id, pos
