"""Membership: grievance against a bloc, and the exit notice it may lead to.

Grievance moves each week toward its current sources (the bloc's sanctions, its threat of force and
suspension, felt in full against the state and in part against a partner of its alternative bloc; a
bloc whose patron the state sent away). The weekly log-odds of giving notice rise with grievance and
with an alternative: another bloc with a collective-defence clause in force (the AES once the charter
is signed), or a patron outside the bloc's own. Notice periods come from the bloc's exit clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sim.rules._math import logistic
from sim.scenario.parameters import MembershipParams

__all__ = ["ExitInputs", "GrievanceSources", "decide_exit", "exit_probability", "grievance_target", "grievance_week"]


class GrievanceSources(NamedTuple):
    """Measures a bloc takes against the state (own) or its alternative-bloc partners (partner), 0-1."""

    sanctions: float = 0.0
    threat: float = 0.0
    suspension: float = 0.0
    partner_sanctions: float = 0.0
    partner_threat: float = 0.0
    patron_sent_away: float = 0.0


def grievance_target(x: GrievanceSources, p: MembershipParams) -> float:
    """The level grievance moves toward, 0-1."""
    own = p.w_sanctions * x.sanctions + p.w_threat * x.threat + p.w_suspension * x.suspension
    partner = p.partner_weight * (p.w_sanctions * x.partner_sanctions + p.w_threat * x.partner_threat)
    return min(1.0, own + partner + p.w_patron * x.patron_sent_away)


def grievance_week(grievance: float, x: GrievanceSources, p: MembershipParams) -> float:
    """Grievance after one week."""
    return grievance + p.adjust_rate * (grievance_target(x, p) - grievance)


@dataclass(frozen=True, slots=True)
class ExitInputs:
    """What a member (or the members of an alternative bloc, jointly) weighs about leaving."""

    grievance: float  # 0-1 (the mean over those deciding together)
    alternative: bool  # another bloc with a collective-defence clause in force, or a patron outside


def exit_probability(x: ExitInputs, p: MembershipParams) -> float:
    """Weekly chance of an exit notice."""
    return logistic(p.exit_intercept + p.w_grievance * x.grievance + p.w_alternative * float(x.alternative))


def decide_exit(x: ExitInputs, p: MembershipParams, rng: np.random.Generator) -> tuple[bool, float]:
    """Draw the decision; returns (give notice, probability)."""
    pr = exit_probability(x, p)
    return bool(rng.random() < pr), pr
