"""Decision rules as plain functions of (inputs, parameters, rng) -> decision, testable without a model."""

from sim.rules.accord import AccordInputs, accord_hazard, accord_week
from sim.rules.assistance import AssistInputs, assist_logit_terms, assist_probability, decide_assist
from sim.rules.bloc_decision import Tally, Vote, tally
from sim.rules.combat import lanchester_week, settlement_probability
from sim.rules.concession import ConcessionInputs, concession_probability, concession_terms
from sim.rules.contest import attacker_win_probability, expected_win, win_probability
from sim.rules.coups import CoupInputs, coup_probability
from sim.rules.insurgency import GroupCell, group_week, pressure_ratio, threat_from_deaths
from sim.rules.membership import ExitInputs, GrievanceSources, exit_probability, grievance_week
from sim.rules.presence import ConsentInputs, revoke_probability, withdrawal_remaining
from sim.rules.sanctions import sanctions_week
from sim.rules.support import SupportCache, SupportInputs, support_probability, support_terms, vote_from_probability

__all__ = [
    "AccordInputs",
    "AssistInputs",
    "ConcessionInputs",
    "ConsentInputs",
    "CoupInputs",
    "ExitInputs",
    "GrievanceSources",
    "GroupCell",
    "SupportCache",
    "SupportInputs",
    "Tally",
    "Vote",
    "accord_hazard",
    "accord_week",
    "assist_logit_terms",
    "assist_probability",
    "attacker_win_probability",
    "concession_probability",
    "concession_terms",
    "coup_probability",
    "decide_assist",
    "exit_probability",
    "expected_win",
    "grievance_week",
    "group_week",
    "lanchester_week",
    "pressure_ratio",
    "revoke_probability",
    "sanctions_week",
    "settlement_probability",
    "support_probability",
    "support_terms",
    "tally",
    "threat_from_deaths",
    "vote_from_probability",
    "win_probability",
    "withdrawal_remaining",
]
