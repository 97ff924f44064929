"""The back process of `journeymap serve`: the store, the applier and every route but intake.

Started by `journeymap serve` (`python -m journeymap.cli.back`), never by hand. It reads its
settings and its Unix socket's path as one JSON line on stdin, opens the store, answers the
front on that socket, and says `{"log": PATH}` on stdout once it takes requests. Its stdin stays
open while the front lives: when it closes (the front stopped or died), the back stops too,
applying what the log holds first.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import threading
import time
from types import FrameType

import uvicorn

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.connection import LimitedHeaders
from journeymap.api.live import intake_path
from journeymap.errors import JourneymapError, StoreInUse
from journeymap.library import Journeymap

_WAIT_FOR_PREDECESSOR = 120.0
"""How long a back waits for the back of a server that just stopped (or whose front was killed)
to finish applying and let the store go."""


def main() -> None:
    given = json.loads(sys.stdin.readline())
    settings = Settings(**given["settings"])
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the front, which stops us
    try:
        jm = _open(settings.db)
    except JourneymapError as exc:
        print(f"error {exc}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    try:
        app = create_app(jm, settings, shared_log=True)
        app.openapi()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(given["socket"])
        listener.listen(2048)
        print(json.dumps({"log": intake_path(jm.store.home, settings.intake_log)}), flush=True)
        os.dup2(2, 1)  # the front stops reading our stdout: later output goes to stderr
        config = uvicorn.Config(
            app,
            access_log=False,  # the front writes the access log
            http=LimitedHeaders.configured(
                settings.header_timeout_seconds, settings.max_header_bytes
            ),
            timeout_keep_alive=max(settings.keep_alive_seconds, 300),
            log_level="warning",
            server_header=False,  # the front's server says these
            date_header=False,
        )
        server = uvicorn.Server(config)
        threading.Thread(
            target=_front_watch, args=(server,), name="journeymap-front-watch", daemon=True
        ).start()
        server.run(sockets=[listener])
    finally:
        jm.close()
        # a front killed with -9 cannot clean up: the back removes its socket and folder
        with contextlib.suppress(OSError):
            os.unlink(given["socket"])
            os.rmdir(os.path.dirname(given["socket"]))


def _open(db: str) -> Journeymap:
    """The store; when the back of a server that just stopped still holds it, wait for it."""
    deadline = time.monotonic() + _WAIT_FOR_PREDECESSOR
    while True:
        try:
            return journeymap.open(db)
        except StoreInUse as exc:
            if "journeymap.cli.back" not in (exc.command or "") or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _front_watch(server: uvicorn.Server) -> None:
    """Stop when the front's end of our stdin closes."""
    while sys.stdin.buffer.read(65536):
        pass
    server.should_exit = True


def _exit(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
