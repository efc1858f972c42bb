"""Assist or abandon: an ally's choice when a collective-defence clause is triggered.

Logistic in the clause's bindingness, regime affinity, the forces the ally can spare from its own
counter-insurgency, its own threat at home, whether the victim provoked the attack (entrapment, Snyder
1984) and its reputation. Each term is measured from a reference ally, so that at reference values the
chance of honouring is ``reference_honour_rate`` (74.5%, Leeds, Long & Mitchell 2000): the intercept is
computed from that figure, not tuned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules._math import logistic, logit
from sim.scenario.parameters import AssistanceParams

__all__ = ["AssistDecision", "AssistInputs", "assist_logit_terms", "assist_probability", "decide_assist",
           "reputation_after"]


@dataclass(frozen=True, slots=True)
class AssistInputs:
    """What an ally weighs. All in 0-1 except where noted."""

    bindingness: float
    affinity: float
    spare_share: float  # share of its personnel not tied down at home and not yet deployed
    own_threat: float  # insurgent pressure at home, 0 = none, 1 = severe
    victim_provoked: bool
    reputation: float


@dataclass(frozen=True, slots=True)
class AssistDecision:
    """The ally's decision and the numbers behind it."""

    assist: bool
    probability: float
    terms: dict[str, float]


def assist_logit_terms(x: AssistInputs, p: AssistanceParams) -> dict[str, float]:
    """The additive terms of the log-odds of assisting, by name (their sum is the log-odds)."""
    return {
        "intercept": logit(p.reference_honour_rate),
        "bindingness": p.w_bindingness * (x.bindingness - p.ref_bindingness),
        "affinity": p.w_affinity * (x.affinity - p.ref_affinity),
        "spare": p.w_spare * (x.spare_share - p.ref_spare),
        "threat": -p.w_threat * x.own_threat,
        "entrapment": -p.w_entrapment * float(x.victim_provoked),
        "reputation": p.w_reputation * (x.reputation - p.ref_reputation),
    }


def assist_probability(x: AssistInputs, p: AssistanceParams) -> float:
    """Chance that the ally honours the obligation."""
    return logistic(sum(assist_logit_terms(x, p).values()))


def decide_assist(x: AssistInputs, p: AssistanceParams, rng: np.random.Generator) -> AssistDecision:
    """Draw the ally's decision from :func:`assist_probability` with the model's generator."""
    terms = assist_logit_terms(x, p)
    prob = logistic(sum(terms.values()))
    return AssistDecision(assist=bool(rng.random() < prob), probability=prob, terms=terms)


def reputation_after(reputation: float, honoured: bool, p: AssistanceParams) -> float:
    """The ally's reputation for keeping commitments after it honoured (or abandoned) one, 0-1."""
    if honoured:
        return min(1.0, reputation + p.reputation_gain)
    return max(0.0, reputation - p.reputation_gain)
