"""The HTTP API: a FastAPI app over the library, with the engine live behind it."""

from journeymap.api.app import create_app
from journeymap.api.settings import Settings

__all__ = ["Settings", "create_app"]
