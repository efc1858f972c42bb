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

__all__ = ["ConsentInputs", "consent_terms", "decide_revoke", "revoke_probability", "withdrawal_step"]


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


def withdrawal_step(troops: float, weeks_left: int) -> float:
    """Troops remaining after one more week of a withdrawal with ``weeks_left`` weeks to go (>= 0)."""
    if weeks_left <= 1:
        return 0.0
    return max(0.0, troops * (1.0 - 1.0 / weeks_left))
