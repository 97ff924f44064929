"""A rich progress bar for large import files; silent for small ones and when not asked for."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

LARGE_FILE_BYTES = 4 << 20
"""Files at least this big show a bar when progress is asked for."""


class Bar:
    """Progress of one file: a reading task, then a writing task."""

    def __init__(self, enabled: bool) -> None:
        self._progress = (
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            if enabled
            else None
        )
        self._task: object = None

    def __enter__(self) -> Bar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, description: str, total: int) -> None:
        """Begin a new task (the previous one stays shown as it ended)."""
        if self._progress is not None:
            self._task = self._progress.add_task(description, total=total)

    def update(self, completed: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=completed)  # type: ignore[arg-type]
