"""The store's tables laid out on a ClickHouse cluster: per fact table, a replicated local table
on every server, sharded by contact id, and a Distributed table of the table's own name in front
of them; small tables whole on every server; so the store's SQL runs unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from journeymap.errors import JourneymapError
from journeymap.store.clickhouse import transport
from journeymap.store.clickhouse.store import ClickHouseStore, schema, statements
from journeymap.store.clickhouse.transport import DATABASE, Transport

LOCAL = "_local"
"""Suffix of the local table each server holds its shard of a table in."""

REPLICA_PATH = "/clickhouse/tables/{shard}/{database}/{table}"
"""Where a replicated table keeps its metadata in ClickHouse Keeper (the server's macros fill
`{shard}`; ClickHouse fills `{database}` and `{table}`)."""

EVERYWHERE: frozenset[str] = frozenset(
    {
        "maps",
        "map_drafts",
        "marketing_costs",
        "imports",
        "tokens",
        "token_revocations",
        "tracking_keys",
        "public_urls",
        "webhook_outbox",
        "webhook_keys",
        "intake_positions",
        "dead_letters",
        "engine_marks",
    }
)
"""Small tables with no contact: kept whole on every server (each server a replica of one
table), under the table's own name, so any server reads and joins them locally."""

EVERYWHERE_PATH = "/clickhouse/tables/all/{database}/{table}"

SHARD_KEYS: dict[str, str] = {
    "page_visits": "cityHash64(coalesce(contact_id, visitor_id))",
    "ingested_events": "cityHash64(event_id)",
}
"""Sharding keys of the sharded tables not sharded by contact id: page visits (anonymous ones go
by visitor) and the ids of events taken in. Every other sharded table goes by
`cityHash64(contact_id)`, so all of a contact's facts live on one shard (contacts, whose rows
replace earlier ones by contact id, included)."""

CONTACT_KEY = "cityHash64(contact_id)"

_TABLE = re.compile(
    r"CREATE TABLE IF NOT EXISTS (?P<name>\w+) \((?P<columns>.*)\)\s*"
    r"ENGINE = (?P<engine>\w+)(?P<rest>.*)",
    re.DOTALL,
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Table:
    """One table of the single-server schema: its columns, engine and what follows it."""

    name: str
    columns: str
    engine: str
    rest: str
    """ORDER BY, PARTITION BY and SETTINGS, as in the single-server schema."""

    @property
    def shard_key(self) -> str:
        return SHARD_KEYS.get(self.name, CONTACT_KEY)


def tables() -> list[Table]:
    """The tables of the single-server schema (schema.sql), in its order."""
    found = []
    for statement in statements(schema()):
        match = _TABLE.fullmatch(statement)
        if match is not None:
            found.append(Table(**{k: v.strip() for k, v in match.groupdict().items()}))
    return found


def _name(kind: str, value: str) -> str:
    if not _NAME.fullmatch(value):
        raise JourneymapError(
            f"{kind} {value!r}: use letters, digits and underscores, not starting with a digit",
            code="bad_cluster_name",
        )
    return value


def cluster_ddl(cluster: str, database: str = DATABASE) -> list[str]:
    """The statements that lay the store out on `cluster`, each run once on any one server:
    the database, then per sharded table its replicated local table and its Distributed table,
    and per small table one table replicated on every server."""
    on = f"ON CLUSTER {_name('cluster', cluster)}"
    db = _name("database", database)
    out = [f"CREATE DATABASE IF NOT EXISTS {db} {on}"]
    for t in tables():
        if t.name in EVERYWHERE:
            out.append(
                f"CREATE TABLE IF NOT EXISTS {db}.{t.name} {on} (\n    {t.columns}\n)\n"
                f"ENGINE = Replicated{t.engine}('{EVERYWHERE_PATH}', '{{replica}}')\n{t.rest}"
            )
            continue
        local = f"{db}.{t.name}{LOCAL}"
        out.append(
            f"CREATE TABLE IF NOT EXISTS {local} {on} (\n    {t.columns}\n)\n"
            f"ENGINE = Replicated{t.engine}('{REPLICA_PATH}', '{{replica}}')\n{t.rest}"
        )
        out.append(
            f"CREATE TABLE IF NOT EXISTS {db}.{t.name} {on} AS {local}\n"
            f"ENGINE = Distributed({cluster}, {db}, {t.name}{LOCAL}, {t.shard_key})"
        )
    return out


def database_of(url: str) -> str:
    """The database a ClickHouse store URL names (the default when it names none)."""
    scheme, _, _ = url.partition("://")
    if scheme in {"clickhouse", "clickhouses"}:
        return urlsplit(url).path.strip("/") or DATABASE
    return DATABASE


def _transport(url: str) -> Transport:
    scheme, sep, rest = url.partition("://")
    if sep and scheme == "chdb" and rest:
        return transport.chdb(rest, create=True)
    if sep and scheme in {"clickhouse", "clickhouses"}:
        return transport.server(url)
    raise JourneymapError(
        f"{url}: a cluster store is ClickHouse: give clickhouse://USER:PASSWORD@HOST:PORT/DATABASE "
        "(any one server of the cluster)",
        code="bad_store_url",
    )


def apply(url: str, cluster: str, said: Callable[[str], None] | None = None) -> int:
    """Run the cluster's DDL through the server `url` names, then open the store there (which
    makes its report views on that server); returns how many statements ran. A statement the
    server refuses stops it, naming the statement; the ones before it stay (each is IF NOT
    EXISTS, so running it again after a fix goes on where it stopped)."""
    ddl = cluster_ddl(cluster, database_of(url))
    link = _transport(url)
    try:
        for i, sql in enumerate(ddl):
            try:
                link.command(sql)
            except Exception as exc:
                first = str(exc).strip().split("\n", 1)[0]
                head = sql.split("\n", 1)[0]
                raise JourneymapError(
                    f"{link.where}: statement {i + 1} of {len(ddl)} ({head}) failed: {first}; "
                    f"{i} ran before it",
                    code="cluster_ddl_failed",
                ) from None
            if said is not None:
                said(sql.split("\n", 1)[0])
    except BaseException:
        link.close()
        raise
    ClickHouseStore(link).close()
    return len(ddl)
