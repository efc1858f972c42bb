"""Sanctions' bite on a target's stability."""

from __future__ import annotations

from sim.scenario.parameters import SanctionsParams

__all__ = ["sanctions_week"]


def sanctions_week(stability: float, exposure: float, enforcement: float, p: SanctionsParams) -> float:
    """The target's stability after one week.

    Args:
        stability: current stability, 0-1.
        exposure: the target's dependence on sanctioners' trade routes, 0-1.
        enforcement: share of the target's neighbours that enforce the sanctions, 0-1 (a non-aggression
            clause such as charter Art. 8 keeps parties from joining a blockade).
        p: sanctions parameters.
    """
    if enforcement > 0:
        return max(0.0, stability - p.bite * exposure * enforcement)
    return min(1.0, stability + p.recovery)
