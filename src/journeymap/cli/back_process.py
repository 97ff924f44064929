"""The back process as `journeymap serve` runs it: started, watched, and stopped with the front."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import typer
from pydantic import SecretStr

from journeymap.api import Settings
from journeymap.cli.app import err_console


@dataclass
class Back:
    """A running back process: where it listens and where the intake log is."""

    proc: subprocess.Popen[bytes]
    socket_path: str
    log_path: str
    stopping: threading.Event = field(default_factory=threading.Event)
    died: bool = False

    @classmethod
    @contextmanager
    def started(cls, settings: Settings) -> Iterator[Back]:
        """Start the back and wait until it takes requests; when the block ends, stop it (it
        applies what the log holds first). If the back dies, this process is sent SIGTERM, so
        the front stops too, and the block's end exits with an error."""
        folder = tempfile.mkdtemp(prefix="journeymap-")
        socket_path = os.path.join(folder, "back.sock")
        proc = subprocess.Popen(
            [sys.executable, "-m", "journeymap.cli.back"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C goes to the front, which stops the back in order
        )
        assert proc.stdin is not None
        assert proc.stdout is not None
        back: Back | None = None
        try:
            proc.stdin.write(_handover(settings, socket_path))
            proc.stdin.flush()
            ready = proc.stdout.readline()
            if not ready:  # it said why on stderr
                raise typer.Exit(proc.wait() or 1)
            back = cls(proc, socket_path, json.loads(ready)["log"])
            threading.Thread(target=back.watch, name="journeymap-back-watch", daemon=True).start()
            yield back
        finally:
            if back is not None:
                back.stopping.set()
            proc.stdin.close()  # the back stops when its stdin closes
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            code = proc.wait()
            shutil.rmtree(folder, ignore_errors=True)
            if back is not None and back.died:  # whatever ended the front, this is the news
                err_console.print(f"[red]error[/red] the back process exited with code {code}")
                raise typer.Exit(1)

    def watch(self) -> None:
        """Wait for the back to end; if that was not asked for, stop the front."""
        self.proc.wait()
        if not self.stopping.is_set():
            self.died = True
            os.kill(os.getpid(), signal.SIGTERM)


def _handover(settings: Settings, socket_path: str) -> bytes:
    """The back's one line of input: every setting (secrets as they are) and its socket."""
    values = {
        name: value.get_secret_value() if isinstance(value, SecretStr) else value
        for name, value in settings.model_dump().items()
    }
    return (json.dumps({"settings": values, "socket": socket_path}) + "\n").encode("utf-8")
