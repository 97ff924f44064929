"""HTTP intake under load: journeymap's server beside a bare FastAPI endpoint, both driven by wrk.

`python -m bench api` runs, `JM_BENCH_RUNS` times (default 3), for `JM_BENCH_API_SECONDS`
seconds per phase (default 10), with `JM_BENCH_API_CONNECTIONS` connections (default 16) from
one wrk thread (wrk is a C program: it leaves the server's cores to the server; its CPU time is
printed beside):

- baseline: a bare FastAPI app (bench/bare_api.py) that parses the same event bodies with
  journeymap's own models and answers, nothing else; single events, then batches of
  `JM_BENCH_API_BATCH` (default 100);
- journeymap: `journeymap serve` over a fresh store with one map (form trigger -> wait 1 day ->
  purchase goal -> end): single events and batches, each with one more wrk connection reading
  Contact Flow in a loop; after each phase the same report is read alone on the idle server
  (same data), for its idle p99. During the single phase a probe posts one event every 50 ms and
  polls every 10 ms until it is visible, for the freshness delay (acknowledgment -> visible in a
  read).

Every event is a new contact's form fill or its purchase, with a client event id. It prints the
median over the runs of each figure, with the baseline beside it and the ratio.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

SECONDS = float(os.environ.get("JM_BENCH_API_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("JM_BENCH_API_CONNECTIONS", "16"))
BATCH = int(os.environ.get("JM_BENCH_API_BATCH", "100"))
RUNS = int(os.environ.get("JM_BENCH_RUNS", "3"))
BIN = Path(sys.executable).parent
CLI = str(BIN / "journeymap")
WRK = Path(__file__).resolve().parent / "wrk"
MAP = {
    "id": "bench",
    "elements": [
        {"id": "signup", "kind": "trigger", "event": {"on": "form_submitted", "form": "signup"}},
        {"id": "pause", "kind": "wait", "duration": "P1D"},
        {"id": "bought", "kind": "goal", "event": {"on": "purchase"}},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [
        {"id": "c1", "from": "signup", "to": "pause"},
        {"id": "c2", "from": "pause", "to": "bought"},
        {"id": "c3", "from": "bought", "to": "done"},
    ],
}
REPORT = "/api/maps/bench/reports/contact-flow"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def make_token(db: Path, scope: str = "write") -> str:
    """A new token for the store, made with the CLI as an operator would."""
    return subprocess.run(
        [CLI, "token", "create", "--scope", scope, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    """CPU seconds of a server process and its children (`journeymap serve`'s back)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(c)) for c in children)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_up(base: str) -> None:
    for _ in range(600):
        try:
            if httpx2.get(f"{base}/api/health").status_code < 500:
                return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"no server at {base}")


@contextmanager
def process(args: list[str], base: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(base)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)


def wrk(base: str, script: str, *args: str, connections: int, seconds: float) -> dict[str, Any]:
    """Run wrk (one thread) and return the JSON line its script prints, with its CPU seconds."""
    before = children_cpu()
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{round(seconds)}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK / script),
            base,
            "--",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    got: dict[str, Any] = json.loads(line)
    got["wrk_cpu_s"] = children_cpu() - before
    got["per_s"] = got["requests"] / (got["duration_us"] / 1e6)
    return got


def intake(base: str, token: str, batch: int, prefix: str) -> dict[str, Any]:
    got = wrk(
        base, "events.lua", token, str(batch), prefix, connections=CONNECTIONS, seconds=SECONDS
    )
    if got["non2xx"] or got["socket_errors"]:
        raise SystemExit(f"intake errors: {got}")
    got["events_per_s"] = got["per_s"] * batch
    return got


def reader(base: str, token: str, seconds: float) -> dict[str, Any]:
    return wrk(base, "get.lua", token, REPORT, connections=1, seconds=seconds)


def freshness(base: str, token: str, stop: threading.Event, delays: list[float]) -> None:
    """Post one event every 50 ms; time from its acknowledgment until a read shows it."""
    n = 0
    with httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
        while not stop.wait(0.05):
            n += 1
            contact = f"probe-{time.time_ns()}-{n}"
            body = {"kind": "form_submitted", "contact_id": contact, "form": "signup"}
            http.post("/api/events", json=body).raise_for_status()
            acked = time.perf_counter()
            while http.get(f"/api/contacts/{contact}").status_code == 404:
                time.sleep(0.01)  # gentle: the probe must not load the server it measures
            delays.append(time.perf_counter() - acked)


def run_baseline() -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    uvicorn = [str(BIN / "uvicorn"), "bench.bare_api:app", "--port", str(port), "--no-access-log"]
    with process(uvicorn, base) as proc:
        start = cpu_seconds(proc.pid)
        single = intake(base, "none", 1, "b1")
        mid = cpu_seconds(proc.pid)
        batch = intake(base, "none", BATCH, "b2")
        end = cpu_seconds(proc.pid)
    return {
        "single_per_s": single["events_per_s"],
        "single_p50_ms": single["p50_us"] / 1000,
        "single_p99_ms": single["p99_us"] / 1000,
        "single_server_cpu": (mid - start) / SECONDS,
        "single_wrk_cpu": single["wrk_cpu_s"] / SECONDS,
        "batch_per_s": batch["events_per_s"],
        "batch_p50_ms": batch["p50_us"] / 1000,
        "batch_p99_ms": batch["p99_us"] / 1000,
        "batch_server_cpu": (end - mid) / SECONDS,
    }


def run_journeymap(folder: Path, run: int) -> dict[str, float]:
    db = folder / f"api-{run}.duckdb"
    write, read = make_token(db, "write"), make_token(db, "read")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = [CLI, "serve", "--db", str(db), "--port", str(port)]
    out: dict[str, float] = {}
    with process(serve, base) as proc:
        auth = {"Authorization": f"Bearer {write}"}
        httpx2.post(f"{base}/api/maps", json=MAP, headers=auth).raise_for_status()
        for label, batch in (("single", 1), ("batch", BATCH)):
            delays: list[float] = []
            stop = threading.Event()
            probe = threading.Thread(target=freshness, args=(base, write, stop, delays))
            reads: list[dict[str, Any]] = []
            side = threading.Thread(
                target=lambda out=reads: out.append(reader(base, read, SECONDS))
            )
            cpu0 = server_cpu(proc.pid)
            side.start()
            if label == "single":
                probe.start()
            got = intake(base, write, batch, f"{label}{run}")
            stop.set()
            side.join()
            if label == "single":
                probe.join()
                out["fresh_p50_ms"] = statistics.median(delays) * 1000
                out["fresh_p99_ms"] = quantile(delays, 0.99) * 1000
            out[f"{label}_server_cpu"] = (server_cpu(proc.pid) - cpu0) / SECONDS
            caught_up(base, read)
            idle = reader(base, read, min(SECONDS, 5))
            out[f"{label}_per_s"] = got["events_per_s"]
            out[f"{label}_p50_ms"] = got["p50_us"] / 1000
            out[f"{label}_p99_ms"] = got["p99_us"] / 1000
            out[f"{label}_wrk_cpu"] = got["wrk_cpu_s"] / SECONDS
            out[f"{label}_report_p99_ms"] = reads[0]["p99_us"] / 1000
            out[f"{label}_idle_report_p99_ms"] = idle["p99_us"] / 1000
    return out


def caught_up(base: str, token: str) -> None:
    """Wait until the applier has applied everything accepted."""
    for _ in range(6000):
        lag = httpx2.get(f"{base}/api/health").json()["intake"]["lag_events"]
        if lag == 0:
            return
        time.sleep(0.05)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    print(
        f"wrk -t1 -c{CONNECTIONS}, {SECONDS:g} s per phase, batches of {BATCH}, "
        f"median of {RUNS} runs; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    bases: list[dict[str, float]] = []
    ours: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(RUNS):
            bases.append(run_baseline())
            ours.append(run_journeymap(Path(tmp), run))
            print(f"run {run + 1}: journeymap {ours[-1]}\n       baseline {bases[-1]}", flush=True)
    b = {k: statistics.median(r[k] for r in bases) for k in bases[0]}
    j = {k: statistics.median(r[k] for r in ours) for k in ours[0]}
    for label, size in (("single", 1), ("batch", BATCH)):
        print(
            f"{label:6} ({size:>3}/request): journeymap {j[f'{label}_per_s']:9,.0f} events/s "
            f"p50 {j[f'{label}_p50_ms']:6.1f} ms p99 {j[f'{label}_p99_ms']:6.1f} ms "
            f"(server CPU {j[f'{label}_server_cpu']:.2f} cores) | bare FastAPI "
            f"{b[f'{label}_per_s']:9,.0f} events/s p99 {b[f'{label}_p99_ms']:6.1f} ms "
            f"(CPU {b[f'{label}_server_cpu']:.2f}) | ratio "
            f"{j[f'{label}_per_s'] / b[f'{label}_per_s']:.2f}"
        )
        print(
            f"       report GET p99 under intake {j[f'{label}_report_p99_ms']:6.1f} ms, idle "
            f"{j[f'{label}_idle_report_p99_ms']:6.1f} ms | ratio "
            f"{j[f'{label}_report_p99_ms'] / j[f'{label}_idle_report_p99_ms']:.2f}"
        )
    print(
        f"freshness (ack -> visible): p50 {j['fresh_p50_ms']:.0f} ms p99 {j['fresh_p99_ms']:.0f} ms"
        f" | wrk CPU {j['single_wrk_cpu']:.2f} cores"
    )


if __name__ == "__main__":
    main()
