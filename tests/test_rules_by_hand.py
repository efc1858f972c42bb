"""Decision rules against numbers worked out by hand, with round parameter values set for the purpose.

tests/test_rules.py checks the rules' directions at the shipped parameters; these pin the arithmetic, the
edge cases (a tie, one voter, a draw equal to the probability) and the names of the terms the explanations show,
written against the mutants scripts/mutation.py found alive.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.enums import DecisionRule
from sim.rules import (
    ConsentInputs,
    CoupInputs,
    ExitInputs,
    GrievanceSources,
    coup_probability,
    exit_probability,
    grievance_week,
    revoke_probability,
    tally,
    withdrawal_remaining,
)
from sim.rules._math import logistic
from sim.rules.assistance import AssistInputs, assist_logit_terms, decide_assist, reputation_after
from sim.rules.coups import coup_terms
from sim.rules.membership import decide_exit, grievance_target
from sim.rules.presence import consent_terms, decide_revoke
from sim.scenario import AssistanceParams, CoupParams, MembershipParams, PresenceParams

M, U, C, Q = DecisionRule.MAJORITY, DecisionRule.UNANIMITY, DecisionRule.CONSENSUS, DecisionRule.QUALIFIED_MAJORITY


# --- the bloc's rule --------------------------------------------------------------------------------


def test_a_tie_is_not_a_majority() -> None:
    assert not tally([1, 1, -1, -1], M, 0.5).passed  # 2 of 4: half is not more than half
    assert not tally([1, 1, 0, 0], M, 0.5).passed
    assert tally([1, 1, 1, -1], M, 0.5).passed
    assert not tally([1, -1, 0], M, 0.5).passed  # 1 of 3 (a third is not a majority either)
    assert tally([1, 1, -1, 0, 0, 0], M, 0.5).passed is False  # 2 of 6
    assert tally([1, 1, 1, 1, -1, 0, 0], M, 0.5).passed  # 4 of 7


def test_qualified_majority_at_and_below_its_share() -> None:
    assert tally([1, 1, -1], Q, 2 / 3).passed  # exactly two thirds
    assert not tally([1, 1, -1, -1], Q, 2 / 3).passed  # a half
    assert tally([1, 1, 1, -1], Q, 0.75).passed  # exactly three quarters
    assert not tally([1, 1, 1, -1, -1], Q, 0.75).passed  # 0.6


def test_one_voter() -> None:
    for rule in (M, U, C, Q):
        yes, no, ab = tally([1], rule, 0.67), tally([-1], rule, 0.67), tally([0], rule, 0.67)
        assert yes.passed and not no.passed and not ab.passed, rule
        assert (yes.yes, yes.no, yes.abstain) == (1, 0, 0) and (ab.yes, ab.no, ab.abstain) == (0, 0, 1)


def test_no_voters_counts_nothing() -> None:
    for rule in (M, U, C, Q):
        t = tally([], rule, 0.0)
        assert (t.passed, t.yes, t.no, t.abstain) == (False, 0, 0, 0)


# --- shared maths -----------------------------------------------------------------------------------


def test_logistic_by_hand() -> None:
    assert logistic(0.0) == 0.5
    assert logistic(0.5) == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert logistic(-1.0) == pytest.approx(0.2689414, abs=1e-7)  # e^-1 / (1 + e^-1)
    assert logistic(1.0) == pytest.approx(0.7310586, abs=1e-7)
    assert logistic(-800.0) == 0.0 and logistic(800.0) == 1.0  # no overflow


# --- assistance -------------------------------------------------------------------------------------


def _assist_params() -> AssistanceParams:
    return AssistanceParams().model_copy(update=dict(
        reference_honour_rate=0.5, w_bindingness=1.0, w_affinity=2.0, w_spare=3.0, w_threat=4.0,
        w_entrapment=5.0, w_reputation=6.0, ref_bindingness=0.5, ref_affinity=0.5, ref_spare=0.5,
        ref_reputation=0.5, reputation_gain=0.25))


def test_assist_terms_by_hand() -> None:
    p = _assist_params()
    x = AssistInputs(bindingness=1.0, affinity=0.0, spare_share=1.0, own_threat=0.5, victim_provoked=True,
                     reputation=1.0)
    assert assist_logit_terms(x, p) == pytest.approx(
        {"intercept": 0.0, "bindingness": 0.5, "affinity": -1.0, "spare": 1.5, "threat": -2.0, "entrapment": -5.0,
         "reputation": 3.0})
    d = decide_assist(x, p, np.random.default_rng(0))
    assert d.probability == pytest.approx(logistic(-3.0))
    assert d.terms == assist_logit_terms(x, p)


def test_reputation_moves_by_its_gain_within_bounds() -> None:
    p = _assist_params()
    assert reputation_after(0.5, True, p) == 0.75 and reputation_after(0.5, False, p) == 0.25
    assert reputation_after(0.9, True, p) == 1.0 and reputation_after(0.1, False, p) == 0.0


class _Fixed:
    """A generator whose draws are given: decisions at the probability's edge."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


def test_draws_are_strictly_below_the_probability() -> None:
    # a uniform draw u decides "yes" when u < p; u == p is "no" (P(u == p) = 0, but the convention is fixed)
    p = _assist_params()
    x = AssistInputs(bindingness=0.5, affinity=0.5, spare_share=0.5, own_threat=0.0, victim_provoked=False,
                     reputation=0.5)  # every term 0: probability 0.5
    assert decide_assist(x, p, _Fixed(0.5)).assist is False  # type: ignore[arg-type]
    assert decide_assist(x, p, _Fixed(0.4999)).assist is True  # type: ignore[arg-type]
    mp = MembershipParams().model_copy(update=dict(exit_intercept=0.0, w_grievance=1.0, w_alternative=1.0))
    assert decide_exit(ExitInputs(0.0, False), mp, _Fixed(0.5)) == (False, 0.5)  # type: ignore[arg-type]
    assert decide_exit(ExitInputs(0.0, False), mp, _Fixed(0.49)) == (True, 0.5)  # type: ignore[arg-type]
    pp = PresenceParams().model_copy(update=dict(consent_intercept=0.0, w_military=1.0, w_sanctions=1.0,
                                                 w_patron=1.0))
    no = ConsentInputs(military_regime=False, sanctions=0.0, patron_ready=False)
    assert decide_revoke(no, pp, _Fixed(0.5)) == (False, 0.5)  # type: ignore[arg-type]
    assert decide_revoke(no, pp, _Fixed(0.49)) == (True, 0.5)  # type: ignore[arg-type]


# --- coups, presence, membership --------------------------------------------------------------------


def test_coup_terms_by_hand() -> None:
    p = CoupParams().model_copy(update=dict(enabled=True, intercept=-3.0, w_instability=2.0, w_threat=1.0,
                                            w_neighbours=0.5))
    x = CoupInputs(stability=0.25, threat=0.5, neighbour_coups=2)
    assert coup_terms(x, p) == pytest.approx({"intercept": -3.0, "instability": 1.5, "threat": 0.5,
                                              "neighbours": 1.0})
    assert coup_probability(x, p) == pytest.approx(0.5)
    assert coup_probability(x, p.model_copy(update={"enabled": False})) == 0.0


def test_consent_terms_by_hand() -> None:
    p = PresenceParams().model_copy(update=dict(consent_intercept=-4.0, w_military=1.0, w_sanctions=2.0,
                                                w_patron=3.0))
    x = ConsentInputs(military_regime=True, sanctions=0.5, patron_ready=True)
    assert consent_terms(x, p) == pytest.approx({"intercept": -4.0, "military": 1.0, "sanctions": 1.0,
                                                 "patron": 3.0})
    assert revoke_probability(x, p) == pytest.approx(logistic(1.0))


def test_withdrawal_in_equal_weekly_shares() -> None:
    # 1000 troops, ordered out at week 10 to be gone by week 14: 1000, 750, 500, 250, 0, 0
    assert [withdrawal_remaining(1000, 10, 14, w) for w in range(10, 16)] == [1000, 750, 500, 250, 0, 0]


def test_grievance_target_and_step_by_hand() -> None:
    p = MembershipParams().model_copy(update=dict(w_sanctions=0.4, w_threat=0.2, w_suspension=0.1,
                                                  partner_weight=0.5, w_patron=0.05, adjust_rate=0.5))
    x = GrievanceSources(sanctions=0.5, threat=0.5, suspension=1.0, partner_sanctions=1.0, partner_threat=1.0,
                         patron_sent_away=1.0)
    # own 0.2 + 0.1 + 0.1 = 0.4; partner 0.5 * (0.4 + 0.2) = 0.3; patron 0.05 -> 0.75
    assert grievance_target(x, p) == pytest.approx(0.75)
    assert grievance_week(0.25, x, p) == pytest.approx(0.5)  # halfway from 0.25 to 0.75
    assert grievance_target(x._replace(sanctions=3.0), p) == 1.0  # capped
    pe = p.model_copy(update=dict(exit_intercept=-1.0, w_grievance=2.0, w_alternative=1.5))
    assert exit_probability(ExitInputs(0.5, True), pe) == pytest.approx(logistic(1.5))


# --- support ----------------------------------------------------------------------------------------


def _support_params():
    from sim.scenario import SupportParams

    return SupportParams().model_copy(update=dict(
        rung_cost=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], war_risk=[0.0, 0.0, 0.0, 0.5, 0.5, 1.0], w_norm=2.0,
        w_contagion=1.0, contagion_cap=4.0, w_leadership=0.5, w_cost=2.0, w_domestic=3.0, w_trade=1.0,
        w_fatigue=0.25, hold_margin=0.75))


def _support_inputs(rung, **kw):
    from sim.rules import SupportInputs

    base = dict(rung=rung, democratic_norm=1.0, recent_coups=2.0, coup_risk=0.5, leadership=1.0, p_win=0.5,
                domestic_constraint=0.5, trade_exposure=0.5, fatigue=2.0, holding=True)
    base.update(kw)
    return SupportInputs(**base)


def test_support_terms_by_hand() -> None:
    from sim.enums import Rung
    from sim.rules import support_probability, support_terms

    p = _support_params()
    # ultimatum (rung 4): military and economic; norm 2 * 0.5; contagion 1 * 2/4 * 0.5; cost 2 * 0.5 * 0.5
    t = support_terms(_support_inputs(Rung.ULTIMATUM), p)
    assert t == pytest.approx({"rung_cost": -0.4, "norm": 1.0, "contagion": 0.25, "leadership": 0.5,
                               "expected_cost": -0.5, "domestic": -1.5, "trade": -0.5, "fatigue": -0.5,
                               "hold": 0.75})
    assert support_probability(_support_inputs(Rung.ULTIMATUM), p) == pytest.approx(logistic(-0.9))
    # sanctions (rung 3): economic, not military, no war risk; not holding; contagion capped at 4 coups
    t = support_terms(_support_inputs(Rung.SANCTIONS, holding=False, recent_coups=9.0, democratic_norm=0.25), p)
    assert t == pytest.approx({"rung_cost": -0.3, "norm": -0.5, "contagion": 0.5, "leadership": 0.5,
                               "expected_cost": 0.0, "domestic": 0.0, "trade": -0.5, "fatigue": -0.5,
                               "hold": 0.0})
    # condemnation (rung 1): neither economic nor military
    t = support_terms(_support_inputs(Rung.CONDEMN), p)
    assert (t["domestic"], t["trade"], t["rung_cost"]) == (0.0, 0.0, pytest.approx(-0.1))


def test_votes_at_the_abstention_band_and_draw_edges() -> None:
    from sim.rules import vote_from_probability

    assert vote_from_probability(0.5, 0.0, 0.0) == 1  # no band: nobody abstains
    assert vote_from_probability(0.75, 0.0, 0.25) == 1  # exactly at the band's edge votes
    assert vote_from_probability(0.74, 0.0, 0.25) == 0
    assert vote_from_probability(0.8, 0.8, 0.1) == -1  # yes only when the draw is strictly below
    assert vote_from_probability(0.8, 0.79, 0.1) == 1
