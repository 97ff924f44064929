"""What an import did, per file and in total."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileResult:
    """One file: its kind, rows read, rows skipped as present, and rows written per table."""

    file: str
    sha256: str
    kind: str | None
    rows: int
    skipped: bool = False
    """The file was imported before (same SHA-256): nothing was read or written."""
    duplicates: int = 0
    """Rows already in the store (or repeated in the file) that were not written again."""
    written: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """Every file of one import call, in the order given."""

    files: tuple[FileResult, ...]

    @property
    def written(self) -> dict[str, int]:
        """Rows written per table over all files."""
        total: dict[str, int] = {}
        for f in self.files:
            for table, n in f.written.items():
                total[table] = total.get(table, 0) + n
        return total
