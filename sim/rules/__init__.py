"""Decision rules as plain functions of (inputs, parameters, rng) -> decision, testable without a model."""

from sim.rules.assistance import AssistInputs, assist_logit_terms, assist_probability, decide_assist
from sim.rules.bloc_decision import Tally, Vote, tally
from sim.rules.combat import lanchester_week, settlement_probability
from sim.rules.contest import p_win
from sim.rules.sanctions import sanctions_week
from sim.rules.support import SupportInputs, support_probability, support_terms, vote_from_probability

__all__ = [
    "AssistInputs",
    "SupportInputs",
    "Tally",
    "Vote",
    "assist_logit_terms",
    "assist_probability",
    "decide_assist",
    "lanchester_week",
    "p_win",
    "sanctions_week",
    "settlement_probability",
    "support_probability",
    "support_terms",
    "tally",
    "vote_from_probability",
]
