"""The `journeymap` command: each module below registers its commands on the shared app."""

from journeymap.cli.app import app

__all__ = ["app"]
