"""Run every benchmark, or those named: `python -m bench [engine|import|reports|api|...]`."""

from __future__ import annotations

import importlib
import sys

SUITES = {
    "engine": "bench.engine",
    "import": "bench.importer",
    "reports": "bench.reports",
    "api": "bench.api",
    "crash": "bench.crash",
    "stalled": "bench.stalled",
    "clickhouse": "bench.clickhouse",
    "applier": "bench.applier",
}


def main(argv: list[str]) -> None:
    names = argv or list(SUITES)
    for name in names:
        if name not in SUITES:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {sorted(SUITES)}")
    for name in names:
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(SUITES[name]).main()


if __name__ == "__main__":
    main(sys.argv[1:])
