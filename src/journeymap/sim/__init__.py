"""The simulator: seeded contacts that drive the real engine on a simulated clock."""

from journeymap.sim.odds import Odds
from journeymap.sim.simulation import Progress, SimResult, Simulation

__all__ = ["Odds", "Progress", "SimResult", "Simulation"]
