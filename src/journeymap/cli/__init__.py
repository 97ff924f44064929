"""The `journeymap` command: each module below registers its commands on the shared app."""

from journeymap.cli import maps  # noqa: F401 - importing registers the `map` commands
from journeymap.cli.app import app

__all__ = ["app"]
