"""Mesa agents: plain state plus a short step; decisions live in :mod:`sim.rules`."""

from sim.agents.armed_group import ArmedGroupAgent
from sim.agents.bloc import BlocAgent
from sim.agents.external import ExternalPowerAgent
from sim.agents.state import StateAgent

__all__ = ["ArmedGroupAgent", "BlocAgent", "ExternalPowerAgent", "StateAgent"]
