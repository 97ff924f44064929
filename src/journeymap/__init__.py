"""journeymap: marketing automation with Performance Mode."""

from journeymap.library import Journeymap, open

__version__ = "0.1.0"
__all__ = ["Journeymap", "__version__", "open"]
