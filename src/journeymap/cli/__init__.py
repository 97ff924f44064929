"""The `journeymap` command: each module below registers its commands on the shared app."""

import journeymap.cli.contacts  # importing registers `contacts`
import journeymap.cli.dead_letters  # importing registers `dead-letters`
import journeymap.cli.deliveries  # importing registers `deliveries` and `webhooks`
import journeymap.cli.importing  # importing registers `import`
import journeymap.cli.map_errors  # importing registers `map errors`
import journeymap.cli.serve  # importing registers `serve`
import journeymap.cli.store  # importing registers `store copy|init`
import journeymap.cli.tokens  # importing registers `token create|list|revoke`
import journeymap.cli.trend  # noqa: F401 - importing registers `trend`
from journeymap.cli import demo, maps, simulate, stats  # noqa: F401 - importing registers the commands
from journeymap.cli.app import app

__all__ = ["app"]
