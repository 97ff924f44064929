"""The token mirror: the server's tokens (hashes, scope, expiry, revocation) in the intake log's
file, kept by the process that holds the store, read by the process that takes events."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime

from journeymap.clock import as_utc

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    expires_at TEXT,   -- ISO 8601 in UTC, or NULL
    revoked INTEGER NOT NULL
) WITHOUT ROWID;
"""

MirroredToken = tuple[str, str, datetime | None, bool]
"""A token as mirrored: its sha256 hash, scope, expiry, and whether it is revoked."""


class TokenMirror:
    """A copy of the token table in a SQLite file, replaced whole on every change."""

    def __init__(self, path: str) -> None:
        self._con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA busy_timeout=10000")
        self._con.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def replace(self, tokens: Iterable[MirroredToken]) -> None:
        """Make the mirror hold exactly these tokens (one transaction: readers see old or new)."""
        rows = [
            (digest, scope, _text(expires) if expires else None, int(revoked))
            for digest, scope, expires, revoked in tokens
        ]
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                self._con.execute("DELETE FROM tokens")
                self._con.executemany("INSERT INTO tokens VALUES (?, ?, ?, ?)", rows)
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    def scope_of_hash(self, digest: str, now: datetime) -> str | None:
        """The scope of the token with this hash, or None when unknown, revoked or expired."""
        with self._lock:
            row = self._con.execute(
                "SELECT scope FROM tokens WHERE token_hash = ? AND revoked = 0 "
                "AND (expires_at IS NULL OR expires_at > ?)",
                (digest, _text(now)),
            ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        with self._lock:
            self._con.close()


def _text(when: datetime) -> str:
    """An instant as text that sorts as time does (UTC, always with microseconds)."""
    return as_utc(when).strftime("%Y-%m-%dT%H:%M:%S.%f")
