"""External presence: a host's consent to a foreign power's troops, and a patron coming in.

A host ruled by its military may revoke a power's consent; the weekly log-odds rise with the sanctions
it suffers and with another patron ready to come in (Russia after France in Mali, Burkina Faso and
Niger). Withdrawal then takes the power's ``withdrawal_weeks``; troops leave in equal weekly shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules._math import logistic
from sim.scenario.parameters import PresenceParams

__all__ = ["ConsentInputs", "consent_terms", "decide_revoke", "revoke_probability", "withdrawal_remaining"]


@dataclass(frozen=True, slots=True)
class ConsentInputs:
    """What a host weighs about a foreign power's presence."""

    military_regime: bool
    sanctions: float  # share of its neighbours enforcing sanctions on it, 0-1
    patron_ready: bool  # another power is ready to come in


def consent_terms(x: ConsentInputs, p: PresenceParams) -> dict[str, float]:
    """Additive terms of the weekly log-odds of revoking consent."""
    return {
        "intercept": p.consent_intercept,
        "military": p.w_military * float(x.military_regime),
        "sanctions": p.w_sanctions * x.sanctions,
        "patron": p.w_patron * float(x.patron_ready),
    }


def revoke_probability(x: ConsentInputs, p: PresenceParams) -> float:
    """Weekly chance that the host revokes consent."""
    return logistic(sum(consent_terms(x, p).values()))


def decide_revoke(x: ConsentInputs, p: PresenceParams, rng: np.random.Generator) -> tuple[bool, float]:
    """Draw the host's decision; returns (revoked, probability)."""
    pr = revoke_probability(x, p)
    return bool(rng.random() < pr), pr


def withdrawal_remaining(initial: float, start: int, end: int, week: int) -> float:
    """Troops still in the host at ``week`` of a withdrawal ordered at week ``start`` (with ``initial``
    troops there) to be complete at week ``end``: they leave in equal weekly shares."""
    if week >= end:
        return 0.0
    return initial * (end - week) / (end - start)
