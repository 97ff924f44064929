"""Import staging in DuckDB: a file read whole into `import_raw`, typed by the view `import_typed`.

The readers and conversions are SQL (import_read_*.sql, import_macros.sql); this module only fills
in what varies with the file: positional column names (c0, c1, ...) and, per column, the macro that
converts the raw type the file holds to the column's type. No value of the file is ever written
into SQL text; field names of a contacts file become quoted string literals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import duckdb

from journeymap.store.protocol import FileUnreadable, StagedColumn, StagingLimits

SQL_TYPES: dict[str, str] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "time": "TIMESTAMPTZ",
    "date": "DATE",
    "number": "DOUBLE",
    "tags": "VARCHAR[]",
}
"""Column type (importer.kinds.Column.type) to the SQL type of its typed values."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def stage_file(con: Any, path: str, fmt: str, names: Sequence[str] | None) -> list[str]:
    """Read a file into `import_raw` (c0..cN, and line_problem for JSON Lines); its columns."""
    con.execute(_sql("import_macros"))
    try:
        if names is None:  # JSON Lines: every key of every line
            keys = con.execute(_sql("import_json_keys"), {"path": path}).fetchall()
            names = sorted(str(k[0]) for k in keys)
        positions = [f"c{i}" for i in range(len(names))]
        params: dict[str, Any] = {"path": path}
        if fmt == "jsonl":
            params["paths"] = [_pointer(n) for n in names]
            columns = ", ".join(f"v[{i + 1}] AS c{i}" for i in range(len(names))) or "NULL AS c0"
            con.execute(_sql("import_read_jsonl").format(columns=columns), params)
        elif fmt == "csv":
            struct = ", ".join(f"'{p}': 'VARCHAR'" for p in positions)
            con.execute(
                _sql("import_read_csv").format(columns=struct, aliases=", ".join(positions)),
                params,
            )
        else:
            con.execute(_sql("import_read_parquet").format(aliases=", ".join(positions)), params)
    except duckdb.Error as exc:
        raise FileUnreadable(str(exc).split("\n", 1)[0]) from None
    return list(names)


def _pointer(key: str) -> str:
    """The JSON pointer to a top-level key."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


def stage_types(
    con: Any,
    columns: Sequence[StagedColumn],
    fields: Sequence[tuple[str, int]],
    limits: StagingLimits,
) -> None:
    """Define `import_typed` over `import_raw`: row_no, each column typed, `fields` (a JSON object
    of the extra columns' text), the first column whose value does not convert (bad_column,
    bad_reason), the first required column left empty (missing_column) and a problem with the
    whole row (row_problem). A value that does not convert is no value."""
    raw = {str(r[0]): str(r[1]) for r in con.execute(_sql("import_raw_columns")).fetchall()}
    json_file = "line_problem" in raw
    wanted = [(c.name, c.type, c.source) for c in columns]
    wanted += [(name, "text", i) for name, i in fields]
    sources = [i for _, _, i in wanted if i is not None]
    first = _first_json_classes(con, sources) if json_file else {}
    plans = [
        _Column(n, kind, None if i is None else f"c{i}", raw.get(f"c{i}", ""), json_file)
        for n, (_, kind, i) in enumerate(wanted)
    ]
    plain, clean = _plain_text(con, plans, limits)
    plans = [replace(p, plain=p.n in plain) for p in plans]
    inner = ["rowid + 1 AS row_no", f"{'line_problem' if json_file else 'NULL'} AS row_problem"]
    middle = ["row_no", "row_problem"]
    outer = ["row_no", "row_problem"]
    for plan in plans:
        inner += plan.inner()
        middle += [*plan.passed(), f"{plan.value()} AS v{plan.n}"]
        ok = plan.n in clean or (not plan.plain and plan.clean_text(con, limits))
        outer += [f"v{plan.n}", f"{plan.bad(limits, first, ok)} AS b{plan.n}"]
    final = ["row_no"]  # a value that does not convert is no value
    final += [f"CASE WHEN b{n} IS NULL THEN v{n} END AS {c.name}" for n, c in enumerate(columns)]
    pairs = []
    for n, (name, _) in enumerate(fields, start=len(columns)):
        pairs += [_literal(name), f"CASE WHEN b{n} IS NULL THEN v{n} END"]
    fields_json = f"json_merge_patch('{{}}', json_object({', '.join(pairs)}))" if pairs else "'{}'"
    final.append(f"{fields_json}::VARCHAR AS fields")
    bad = [(f"b{n} IS NOT NULL", name) for n, (name, _, _) in enumerate(wanted)]
    final.append(_first_of(bad, "bad_column"))
    final.append(f"coalesce({', '.join(f'b{n}' for n in range(len(wanted)))}, NULL) AS bad_reason")
    required = [(f"{c.name} IS NULL", c.name) for c in columns if c.required]
    final.append(_first_of(required, "missing_column"))
    final.append("row_problem")
    con.execute(
        _sql("import_typed").format(
            final=",\n    ".join(final),
            outer=",\n        ".join(outer),
            middle=",\n            ".join(middle),
            inner=",\n                ".join(inner),
        )
    )


def _first_of(conditions: list[tuple[str, str]], alias: str) -> str:
    if not conditions:
        return f"NULL::VARCHAR AS {alias}"
    cases = " ".join(f"WHEN {cond} THEN {_literal(name)}" for cond, name in conditions)
    return f"CASE {cases} END AS {alias}"


def _literal(text: str) -> str:
    """A SQL string literal (names are checked to hold no control characters)."""
    return "'" + text.replace("'", "''") + "'"


_NUMERIC = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
     "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"}
)  # fmt: skip


def _numeric(t: str) -> bool:
    return t in _NUMERIC or t.startswith("DECIMAL")


def _temporal(t: str) -> bool:
    return t.startswith(("TIMESTAMP", "DATE"))


_NATIVE: dict[str, Callable[[str], bool]] = {
    "time": _temporal,
    "date": _temporal,
    "number": _numeric,
    "tags": lambda t: t.endswith("[]"),
}
"""Raw SQL types a column type takes as they are (cast) rather than as text."""

_AS_TEXT: dict[str, Callable[[str], bool]] = {
    "id": lambda t: _numeric(t) or t == "BOOLEAN",
    "text": lambda t: _numeric(t) or t == "BOOLEAN",
}
"""Raw SQL types besides text a column type takes as their text."""


EDGE_BLANK = r"^[\t-\r \xa0]|[\t-\r \xa0]$"
"""A value that starts or ends with a blank jm_text trims (jm_blank in import_macros.sql)."""


def _plain_text(
    con: Any, plans: Sequence[_Column], limits: StagingLimits
) -> tuple[set[int], set[int]]:
    """The id and text columns read as text in which no value has blanks to trim (so cleaning a
    value only makes '' no value), and of those the ones no value of which breaks its bounds;
    told from the distinct values (far fewer than rows, for ids), so the rows need neither."""
    plain: set[int] = set()
    clean: set[int] = set()
    for p in plans:
        if p.kind not in {"id", "text"} or p.mode != "text":
            continue
        limit = limits.id if p.kind == "id" else limits.text
        edged, bad = con.execute(
            f"SELECT bool_or(regexp_matches(v, '{EDGE_BLANK}')), "
            f"bool_or(jm_{p.kind}_bad(v, {limit}) IS NOT NULL) "
            f"FROM (SELECT DISTINCT {p.raw_text()} AS v FROM import_raw)"
        ).fetchone()
        if not edged:
            plain.add(p.n)
            if not bad:
                clean.add(p.n)
    return plain, clean


@dataclass(frozen=True)
class _Column:
    """How one column is typed: read as text (t<n>), or as it is (x<n>), or from JSON (j<n>)."""

    n: int
    kind: str
    source: str | None
    raw_type: str
    json: bool
    plain: bool = False
    """No value has blanks to trim (text mode only)."""

    @property
    def mode(self) -> str:
        if self.source is None:
            return "absent"
        if self.json:
            return "json"
        if self.raw_type == "VARCHAR" or (
            self.kind in _AS_TEXT and _AS_TEXT[self.kind](self.raw_type)
        ):
            return "text"
        if self.kind in _NATIVE and _NATIVE[self.kind](self.raw_type):
            return "native"
        return "absent" if self.raw_type in {'"NULL"', "NULL"} else "other"

    def raw_text(self) -> str:
        """The raw value as text, uncleaned (text mode)."""
        return f"{self.source}{'' if self.raw_type == 'VARCHAR' else '::VARCHAR'}"

    def inner(self) -> list[str]:
        src, n = self.source, self.n
        text = f"nullif({self.raw_text()}, '')" if self.plain else f"jm_text({self.raw_text()})"
        return {
            "absent": [],
            "text": [f"{text} AS t{n}"],
            "json": [f"{src} AS j{n}", f"jm_text(jm_json_text({src})) AS t{n}"],
            "native": [f"{src} AS x{n}"],
            "other": [f"{src} AS x{n}"],
        }[self.mode]

    def passed(self) -> list[str]:
        """The inner columns the bad check reads besides the value."""
        return [c.rsplit(" AS ", 1)[1] for c in self.inner()]

    def value(self) -> str:
        n, sql = self.n, SQL_TYPES[self.kind]
        if self.mode in {"absent", "other"}:
            return f"NULL::{sql}"
        if self.mode == "native":
            return f"jm_{self.kind}_native(x{n})"
        if self.kind == "tags":
            return f"jm_tags_json(j{n})" if self.json else f"jm_tags(t{n})"
        return f"t{n}" if self.kind in {"id", "text"} else f"jm_{self.kind}(t{n})"

    def clean_text(self, con: Any, limits: StagingLimits) -> bool:
        """Whether no value of an id or text column breaks its bounds, told from the distinct
        values (far fewer than rows, for ids), so the rows need no check of their own."""
        if self.kind not in {"id", "text"} or self.mode not in {"text", "json"}:
            return False
        text = f"jm_text({self.raw_text()})"
        if self.json:
            text = f"jm_text(jm_json_text({self.source}))"
        limit = limits.id if self.kind == "id" else limits.text
        found = con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {text} AS t FROM import_raw) "
            f"WHERE jm_{self.kind}_bad(t, {limit}) IS NOT NULL"
        ).fetchone()
        return not found[0]

    def bad(self, limits: StagingLimits, first: dict[str, str | None], clean: bool) -> str:
        n, lo, hi = self.n, *limits.years
        if self.mode == "absent":
            return "NULL::VARCHAR"
        if self.mode == "other":
            return f"jm_other_bad(x{n})"
        t = "NULL::VARCHAR" if self.mode == "native" else f"t{n}"
        own = {
            "id": "NULL::VARCHAR" if clean else f"jm_id_bad({t}, {limits.id})",
            "text": "NULL::VARCHAR" if clean else f"jm_text_bad({t}, {limits.text})",
            "time": f"jm_time_bad({t}, v{n}, {lo}, {hi})",
            "date": f"jm_date_bad({t}, v{n}, {lo}, {hi})",
            "number": f"jm_number_bad({t}, v{n}, {limits.number!r})",
            "tags": f"jm_tags_bad(v{n}, {limits.name})",
        }[self.kind]
        if self.mode == "native" and self.kind == "number":
            own = f"jm_number_bad('', v{n}, {limits.number!r})"
        if not self.json:
            return own
        expected = first.get(self.source or "")
        if expected is None:  # every value empty
            return "NULL::VARCHAR"
        check = "jm_tags_json_bad" if self.kind == "tags" else "jm_json_bad"
        return f"coalesce({check}(j{n}, {_literal(expected)}), {own})"


def _first_json_classes(con: Any, sources: Sequence[int]) -> dict[str, str | None]:
    """The JSON type class of the first non-null value of each of the raw columns."""
    if not sources:
        return {}
    picks = ", ".join(
        f"arg_min(jm_json_class(c{i}), rowid) FILTER (WHERE jm_json_class(c{i}) IS NOT NULL)"
        for i in sources
    )
    row = con.execute(f"SELECT {picks} FROM import_raw").fetchone()
    return {f"c{i}": row[n] for n, i in enumerate(sources)}
