"""War: Lanchester square-law attrition and the settlement hazard (Fearon 1995)."""

from __future__ import annotations

from sim.rules._math import logistic
from sim.scenario.parameters import CombatParams

__all__ = ["lanchester_week", "settlement_probability"]


def lanchester_week(attacker: float, defender: float, rate: float) -> tuple[float, float]:
    """One week of square-law attrition on effective forces: dA = -rate*D, dD = -rate*A.

    Both sides are updated from the same starting values and never fall below zero.
    """
    a = max(0.0, attacker - rate * defender)
    d = max(0.0, defender - rate * attacker)
    return a, d


def settlement_probability(loss_share_attacker: float, loss_share_defender: float, p: CombatParams) -> float:
    """Weekly chance of a negotiated end: rises with the share of force both sides have lost.

    War is costly, so a bargain exists (Fearon 1995); the longer and costlier the war, the likelier
    the sides find it.
    """
    cost = 0.5 * (loss_share_attacker + loss_share_defender)
    return logistic(p.settle_base + p.w_settle_cost * cost / max(1.0 - p.breakpoint, 1e-9))
