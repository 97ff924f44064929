"""History import: contacts, visits, purchases, email events, page visits and marketing costs
from CSV, JSON Lines or Parquet files (docs/import.md)."""

from journeymap.importer.kinds import KINDS, Column, Kind
from journeymap.importer.result import FileResult, ImportResult
from journeymap.importer.runner import import_file, import_files, import_settings

__all__ = [
    "KINDS",
    "Column",
    "FileResult",
    "ImportResult",
    "Kind",
    "import_file",
    "import_files",
    "import_settings",
]
