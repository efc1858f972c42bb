"""Sanctions' bite on a target's stability."""

from __future__ import annotations

from typing import NamedTuple

from sim.scenario.parameters import SanctionsParams

__all__ = ["SanctionsInputs", "sanctions_week"]


class SanctionsInputs(NamedTuple):
    """A state's week under (or free of) sanctions (a tuple: one is built per state and week)."""

    stability: float  # current stability, 0-1
    exposure: float  # the state's dependence on sanctioners' trade routes, 0-1
    enforcement: float  # share of its neighbours that enforce sanctions on it, 0-1 (0: none)


def sanctions_week(x: SanctionsInputs, p: SanctionsParams) -> float:
    """The state's stability after one week: sanctions bite in proportion to exposure and enforcement (a
    non-aggression clause such as charter Art. 8 keeps parties from joining a blockade); without them,
    stability recovers."""
    stability, exposure, enforcement = x
    if enforcement > 0:
        return max(0.0, stability - p.bite * exposure * enforcement)
    return min(1.0, stability + p.recovery)
