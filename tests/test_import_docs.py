"""docs/import.md documents every kind and every column the importer knows."""

from __future__ import annotations

import re
from pathlib import Path

from journeymap.importer import KINDS

DOC = (Path(__file__).parent.parent / "docs" / "import.md").read_text(encoding="utf-8")


def _documented(kind: str) -> set[str]:
    """Column names in the table under the kind's heading."""
    section = DOC.split(f"### {kind}\n", 1)[1].split("\n#", 1)[0]
    names = re.findall(r"^\| (?:\*\*)?([a-z_]+)(?:\*\*)? \|", section, flags=re.MULTILINE)
    return set(names) - {"column"}


def test_every_column_of_every_kind_is_documented() -> None:
    for name, kind in KINDS.items():
        assert _documented(name) == set(kind.names), name
