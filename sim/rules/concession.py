"""The target's side: does the junta (or the incumbent who refuses to hand over) concede this week?

Log-odds of conceding = intercept + sanctions borne + the threat's credibility - confidence from allies
- confidence from a patron. Sanctions raise the target's cost; a credible threat (a force that would win,
at a rung that leads to war) raises it more; allies who would defend it (Smith 1998: alliances embolden
targets) and an external patron lower it. A concession is a transition timetable or, with
``yield_share``, handing power back at once.
"""

from __future__ import annotations

from typing import NamedTuple

from sim.rules._math import logistic
from sim.scenario.parameters import TargetParams

__all__ = ["ConcessionInputs", "concession_probability", "concession_terms"]


class ConcessionInputs(NamedTuple):
    """What the target weighs in a week."""

    sanction_years: float  # years of full sanctions borne (weeks x exposure x enforcement / 52)
    threat: float  # the bloc's chance of winning x the chance its rung leads to war, 0-1
    allies: float  # sum of committed allies' chances of defending it, at most 1
    patron: bool  # an external patron is present in the target or coming in


def concession_terms(x: ConcessionInputs, p: TargetParams) -> dict[str, float]:
    """The additive terms of the weekly log-odds of conceding, by name."""
    return {
        "intercept": p.intercept,
        "sanctions": p.w_sanctions * x.sanction_years,
        "threat": p.w_threat * x.threat,
        "allies": -p.w_allies * min(1.0, x.allies),
        "patron": -p.w_patron * float(x.patron),
    }


def concession_probability(x: ConcessionInputs, p: TargetParams) -> float:
    """Weekly chance that the target concedes."""
    return logistic(sum(concession_terms(x, p).values()))
