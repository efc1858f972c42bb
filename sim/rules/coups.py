"""Optional endogenous coup hazard: instability, insurgent pressure and neighbours' coups."""

from __future__ import annotations

from dataclasses import dataclass

from sim.rules._math import logistic
from sim.scenario.parameters import CoupParams

__all__ = ["CoupInputs", "coup_probability", "coup_terms"]


@dataclass(frozen=True, slots=True)
class CoupInputs:
    """What makes a coup likelier this week."""

    stability: float
    threat: float
    neighbour_coups: int  # coups in neighbouring states within the window


def coup_terms(x: CoupInputs, p: CoupParams) -> dict[str, float]:
    """Additive terms of the weekly log-odds of a coup."""
    return {
        "intercept": p.intercept,
        "instability": p.w_instability * (1.0 - x.stability),
        "threat": p.w_threat * x.threat,
        "neighbours": p.w_neighbours * x.neighbour_coups,
    }


def coup_probability(x: CoupInputs, p: CoupParams) -> float:
    """Weekly chance of a coup (0 when the hazard is switched off)."""
    if not p.enabled:
        return 0.0
    return logistic(sum(coup_terms(x, p).values()))
