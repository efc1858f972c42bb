"""Sanctions' bite on a target's stability."""

from __future__ import annotations

from sim.scenario.parameters import SanctionsParams

__all__ = ["sanctions_week"]


def sanctions_week(stability: float, exposure: float, enforcement: float, p: SanctionsParams) -> float:
    """A state's stability after one week: sanctions bite in proportion to exposure and enforcement;
    without them, stability recovers.

    It takes its three numbers directly, not an input record: it runs for every state every week, and
    building a record each time would cost more than the rule (a tenth of the phase's time).

    Args:
        stability: current stability, 0-1.
        exposure: the state's dependence on sanctioners' trade routes, 0-1.
        enforcement: share of its neighbours that enforce sanctions on it, 0-1 (a non-aggression clause
            such as charter Art. 8 keeps parties from joining a blockade).
        p: sanctions parameters.
    """
    if enforcement > 0:
        return max(0.0, stability - p.bite * exposure * enforcement)
    return min(1.0, stability + p.recovery)
