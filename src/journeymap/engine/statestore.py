"""The engine's state on disk: each contact's profile and positions, loaded when an event or a
due wait needs them, so the engine's memory follows activity, not the number of contacts.

A SQLite file beside the store (a row store: a contact's state is one index lookup). It is a
cache of what the store's facts say, never a source of figures: each engine flush writes the
facts to the store with a flush number, then the state of the contacts it touched here with the
same number. When the numbers differ (a crash between the two, or facts written around the
engine, as a history import does), the engine rebuilds this file from the facts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from journeymap.clock import as_utc
from journeymap.engine.state import MapState, Position, Profile
from journeymap.store.facts import UTM_FIELDS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, tags TEXT NOT NULL,
    fields TEXT NOT NULL, utm_first TEXT NOT NULL, utm_last TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (
    contact_id TEXT NOT NULL, map_id TEXT NOT NULL, entries INTEGER NOT NULL,
    PRIMARY KEY (contact_id, map_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS positions (
    contact_id TEXT NOT NULL, map_id TEXT NOT NULL, element_id TEXT NOT NULL,
    entry_id INTEGER NOT NULL, arrived_seq INTEGER NOT NULL, arrived_at TEXT NOT NULL,
    came_from TEXT, due_at TEXT, achieved INTEGER NOT NULL,
    PRIMARY KEY (contact_id, map_id, element_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS positions_due ON positions (due_at, arrived_seq)
    WHERE due_at IS NOT NULL;
"""

_AFTER_EVERY_SEQ = 1 << 62

_PUT_CONTACT = "INSERT OR REPLACE INTO contacts VALUES (?, ?, ?, ?, ?, ?)"

Due = tuple[datetime, int, str, str, str]
"""A wait falling due: (due at, arrival seq, contact, map, element)."""

ContactState = tuple[Profile | None, dict[str, MapState]]
"""A contact's profile (None when it does not exist) and its state on each map."""


class StateStore:
    """Contacts' engine state in a SQLite file (or in memory for an in-memory store)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            self._con = _open(path)
        except sqlite3.DatabaseError:  # a damaged cache: start over, it is rebuilt from facts
            _remove(path)
            self._con = _open(path)

    @classmethod
    def beside(cls, home: str | None) -> StateStore:
        """The state file beside the store's file or directory (`home`), or in memory for a
        store with none on this machine (rebuilt from the facts each time it is opened)."""
        return cls(":memory:" if home is None else cls.path_beside(home))

    @staticmethod
    def path_beside(home: str) -> str:
        """The state file kept beside the store's file or directory `home`."""
        return str(Path(home).with_name(Path(home).name + ".state"))

    # --- marks ----------------------------------------------------------------------------------

    def meta(self, key: str) -> int | None:
        with self._lock:
            row = self._con.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    # --- reading --------------------------------------------------------------------------------

    def load(self, contact_id: str) -> ContactState:
        """A contact's stored profile and map states."""
        with self._lock:
            con = self._con
            row = con.execute(
                "SELECT created_at, tags, fields, utm_first, utm_last FROM contacts "
                "WHERE contact_id = ?",
                (contact_id,),
            ).fetchone()
            maps: dict[str, MapState] = {}
            for map_id, entries in con.execute(
                "SELECT map_id, entries FROM members WHERE contact_id = ?", (contact_id,)
            ):
                maps[map_id] = MapState(entries=int(entries))
            for r in con.execute(
                "SELECT map_id, element_id, entry_id, arrived_seq, arrived_at, came_from, "
                "due_at, achieved FROM positions WHERE contact_id = ?",
                (contact_id,),
            ):
                state = maps.setdefault(r[0], MapState())
                state.positions[r[1]] = _position(r[1:])
        profile = None if row is None else _profile(contact_id, row)
        return profile, maps

    def exists(self, contact_id: str) -> bool:
        with self._lock:
            row = self._con.execute(
                "SELECT 1 FROM contacts WHERE contact_id = ?", (contact_id,)
            ).fetchone()
        return row is not None

    def due(self, now: datetime, since: datetime | None, after: Due | None, most: int) -> list[Due]:
        """Waits due after `since` and at or before `now`, in (due, arrival) order, after a
        wait, at most `most`."""
        if after is not None:
            start = (_t(after[0]), after[1])
        else:  # every arrival seq is below this: strictly after `since`
            start = ("" if since is None else _t(since), _AFTER_EVERY_SEQ)
        with self._lock:
            rows = self._con.execute(
                "SELECT due_at, arrived_seq, contact_id, map_id, element_id FROM positions "
                "WHERE due_at IS NOT NULL AND due_at <= ? AND (due_at, arrived_seq) > (?, ?) "
                "ORDER BY due_at, arrived_seq LIMIT ?",
                (_t(now), start[0], start[1], most),
            ).fetchall()
        return [(_dt(r[0]), int(r[1]), r[2], r[3], r[4]) for r in rows]

    def next_due(self, since: datetime | None) -> datetime | None:
        """When the earliest wait due after `since` falls due."""
        with self._lock:
            row = self._con.execute(
                "SELECT min(due_at) FROM positions WHERE due_at IS NOT NULL AND due_at > ?",
                ("" if since is None else _t(since),),
            ).fetchone()
        return None if row is None or row[0] is None else _dt(row[0])

    # --- writing --------------------------------------------------------------------------------

    def save(
        self,
        profiles: Iterable[Profile],
        states: Iterable[tuple[str, str, MapState]],
        marks: dict[str, int],
    ) -> None:
        """Write changed contacts and map states and the marks, at once."""
        with self._writing() as con:
            con.executemany(
                "INSERT OR REPLACE INTO contacts VALUES (?, ?, ?, ?, ?, ?)",
                (_profile_row(p) for p in profiles),
            )
            states = list(states)  # one call per statement, not three per state
            con.executemany(
                "DELETE FROM positions WHERE contact_id = ? AND map_id = ?",
                [(contact_id, map_id) for contact_id, map_id, _state in states],
            )
            con.executemany(
                "INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row for c, m, state in states for row in _position_rows(c, m, state)),
            )
            con.executemany(
                "INSERT OR REPLACE INTO members VALUES (?, ?, ?)",
                [(c, m, state.entries) for c, m, state in states if state.entries],
            )
            con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", marks.items())

    def rebuild(
        self,
        contacts: Iterator[dict[str, Any]],
        members: Iterator[dict[str, Any]],
        positions: Iterator[tuple[str, str, str, Position]],
        marks: dict[str, int],
        *,
        whole: bool = True,
    ) -> None:
        """Replace everything with state derived from the facts; without `whole`, only the
        state of the contacts given (every contact whose state is given has a contacts row)."""
        with self._writing() as con:
            if whole:
                for table in ("contacts", "members", "positions", "meta"):
                    con.execute(f"DELETE FROM {table}")
                con.executemany(_PUT_CONTACT, (_contact_row(r) for r in contacts))
            else:
                for row in contacts:
                    key = (row["contact_id"],)
                    con.execute("DELETE FROM members WHERE contact_id = ?", key)
                    con.execute("DELETE FROM positions WHERE contact_id = ?", key)
                    con.execute(_PUT_CONTACT, _contact_row(row))
            con.executemany(
                "INSERT INTO members VALUES (?, ?, ?)",
                ((r["contact_id"], r["map_id"], int(r["entries"])) for r in members),
            )
            con.executemany(
                "INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((c, m, *_position_values(p)) for c, m, _e, p in positions),
            )
            con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", marks.items())

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of the block's writes, or none if it raises."""
        with self._lock:
            con = self._con
            con.execute("BEGIN")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._con.close()


def _open(path: str) -> sqlite3.Connection:
    con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    if path != ":memory:":
        con.execute("PRAGMA journal_mode=WAL")
    # a crash may lose the last commits; the marks then differ and the file is rebuilt
    con.execute("PRAGMA synchronous=NORMAL")
    con.executescript(_SCHEMA)
    con.execute("SELECT count(*) FROM meta").fetchone()  # a damaged file raises here
    return con


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def _t(when: datetime) -> str:
    """Times as fixed-width UTC text, so they sort as they compare."""
    return as_utc(when).replace(tzinfo=None).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


def _position(r: tuple[Any, ...]) -> Position:
    element_id, entry_id, arrived_seq, arrived_at, came_from, due_at, achieved = r
    return Position(
        element_id,
        int(entry_id),
        int(arrived_seq),
        _dt(arrived_at),
        came_from,
        None if due_at is None else _dt(due_at),
        bool(achieved),
    )


def _position_values(p: Position) -> tuple[Any, ...]:
    return (
        p.element_id,
        p.entry_id,
        p.arrived_seq,
        _t(p.arrived_at),
        p.came_from,
        None if p.due_at is None else _t(p.due_at),
        int(p.achieved),
    )


def _position_rows(contact_id: str, map_id: str, state: MapState) -> Iterator[tuple[Any, ...]]:
    for p in state.positions.values():
        yield (contact_id, map_id, *_position_values(p))


def _profile(contact_id: str, row: tuple[Any, ...]) -> Profile:
    created_at, tags, fields, utm_first, utm_last = row
    return Profile(
        contact_id=contact_id,
        created_at=_dt(created_at),
        tags=set(json.loads(tags)),
        fields=json.loads(fields),
        utm_first=json.loads(utm_first),
        utm_last=json.loads(utm_last),
    )


def _profile_row(p: Profile) -> tuple[Any, ...]:
    return (
        p.contact_id,
        _t(p.created_at),
        json.dumps(sorted(p.tags)),
        json.dumps(p.fields, sort_keys=True),
        json.dumps(p.utm_first, sort_keys=True),
        json.dumps(p.utm_last, sort_keys=True),
    )


def _contact_row(r: dict[str, Any]) -> tuple[Any, ...]:
    """A contacts-table row of the store as a state row."""
    return (
        r["contact_id"],
        _t(r["created_at"]),
        json.dumps(sorted(r["tags"] or [])),
        r["fields"] or "{}",
        json.dumps({f: r[f"first_utm_{f}"] for f in UTM_FIELDS if r[f"first_utm_{f}"]}),
        json.dumps({f: r[f"last_utm_{f}"] for f in UTM_FIELDS if r[f"last_utm_{f}"]}),
    )
