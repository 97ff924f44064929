"""Work a store runs only once the transaction around it has committed (waking the outbox)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class AfterCommit:
    """Callbacks deferred to the end of the outermost transaction, dropped if it rolls back.

    A store mixes this in and keeps `_lock`, `_depth` (open transactions) and `_after` (the
    callbacks waiting) as its transaction runs.
    """

    _lock: threading.RLock
    _depth: int
    _after: list[Callable[[], None]]

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the open transaction commits; at once when none is open."""
        with self._lock:
            if self._depth:
                self._after.append(fn)
                return
        fn()

    def _run_after_commit(self) -> None:
        after, self._after = self._after, []
        for fn in after:
            fn()
