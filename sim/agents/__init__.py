"""Mesa agents: plain state plus a short step; decisions live in :mod:`sim.rules`."""

from sim.agents.bloc import BlocAgent
from sim.agents.state import StateAgent

__all__ = ["BlocAgent", "StateAgent"]
