"""The ClickHouse store: the same protocol over ClickHouse, through chDB or a server."""
