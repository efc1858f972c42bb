"""Unit tests of each decision rule, without a model."""

from __future__ import annotations

import numpy as np
import pytest

from sim.enums import DecisionRule, Rung
from sim.rules import (
    AssistInputs,
    SupportCache,
    SupportInputs,
    assist_probability,
    decide_assist,
    lanchester_week,
    sanctions_week,
    settlement_probability,
    support_probability,
    tally,
    vote_from_probability,
)
from sim.scenario import AssistanceParams, CombatParams, SanctionsParams, SupportParams

A = AssistanceParams()


def ref_inputs(**kw) -> AssistInputs:
    base = dict(bindingness=A.ref_bindingness, affinity=A.ref_affinity, spare_share=A.ref_spare,
                own_threat=0.0, victim_provoked=False, reputation=A.ref_reputation)
    base.update(kw)
    return AssistInputs(**base)


class TestAssistance:
    def test_reference_ally_honours_at_leeds_rate(self):
        assert assist_probability(ref_inputs(), A) == pytest.approx(0.745, abs=1e-9)

    def test_bindingness_raises_honour(self):
        assert assist_probability(ref_inputs(bindingness=0.3), A) < assist_probability(ref_inputs(), A)

    def test_threat_at_home_lowers_honour(self):
        assert assist_probability(ref_inputs(own_threat=0.8), A) < assist_probability(ref_inputs(), A)

    def test_entrapment_lowers_honour(self):
        assert assist_probability(ref_inputs(victim_provoked=True), A) < assist_probability(ref_inputs(), A)

    def test_spare_forces_raise_honour(self):
        assert assist_probability(ref_inputs(spare_share=0.6), A) > assist_probability(ref_inputs(), A)

    def test_draw_frequency_matches_probability(self):
        rng = np.random.default_rng(3)
        x = ref_inputs(own_threat=0.3)
        p = assist_probability(x, A)
        hits = sum(decide_assist(x, A, rng).assist for _ in range(4000))
        assert abs(hits / 4000 - p) < 0.03


class TestContest:
    """What members expect of a war: the war model's own chance (sim.rules.contest)."""

    def test_the_stronger_side_wins_unless_a_settlement_comes_first(self):
        from sim.rules.contest import attacker_win_probability

        p = CombatParams()
        assert attacker_win_probability(900, 1000, p) == 0.0  # square law, equal breakpoints: the weaker loses
        strong = attacker_win_probability(3000, 1000, p)
        assert 0.5 < strong < 1.0  # settlements can come first
        assert attacker_win_probability(1500, 1000, p) < strong
        assert attacker_win_probability(3000, 1000, p.model_copy(update={"settle_base": -30.0})) == pytest.approx(1.0)

    def test_scale_free_and_cached_by_ratio(self):
        from sim.rules.contest import attacker_win_probability, win_probability

        p = CombatParams()
        for a, d in ((1500, 1000), (15000, 10000), (2.5, 1.0)):
            assert win_probability(a, d, p) == pytest.approx(attacker_win_probability(a, d, p), abs=0.01)
        assert attacker_win_probability(15000, 10000, p) == pytest.approx(attacker_win_probability(1500, 1000, p))

    def test_expected_win_averages_over_allies_and_the_defence_estimate(self):
        from sim.rules.contest import expected_win, win_probability

        p = CombatParams()
        alone = expected_win(2000, 1000, [], 0.0, p)
        assert alone == pytest.approx(win_probability(2000, 1000, p))
        sure_ally = expected_win(2000, 1000, [(1.0, 1500)], 0.0, p)
        assert sure_ally == pytest.approx(win_probability(2000, 2500, p)) and sure_ally < alone
        half = expected_win(2000, 1000, [(0.5, 1500)], 0.0, p)
        assert half == pytest.approx(0.5 * alone + 0.5 * sure_ally)
        assert 0.0 < expected_win(950, 1000, [], 0.24, p)  # an uncertain defence may be weaker than thought
        assert expected_win(0, 1000, [], 0.24, p) == 0.0 and expected_win(10, 0, [], 0.24, p) == 1.0


class TestBlocDecision:
    def test_unanimity_needs_everyone(self):
        assert tally([1, 1, 1], DecisionRule.UNANIMITY, 0.67).passed
        assert not tally([1, 1, 0], DecisionRule.UNANIMITY, 0.67).passed

    def test_consensus_allows_abstention_not_objection(self):
        assert tally([1, 0, 0], DecisionRule.CONSENSUS, 0.67).passed
        assert not tally([1, 1, -1], DecisionRule.CONSENSUS, 0.67).passed
        assert not tally([0, 0], DecisionRule.CONSENSUS, 0.67).passed

    def test_majority_and_qualified(self):
        votes = [1, 1, 1, -1, 0]  # 3 of 5
        assert tally(votes, DecisionRule.MAJORITY, 0.67).passed
        assert not tally(votes, DecisionRule.QUALIFIED_MAJORITY, 0.67).passed
        assert tally([1, 1, -1], DecisionRule.QUALIFIED_MAJORITY, 2 / 3).passed

    def test_counts(self):
        t = tally([1, -1, 0, 0], DecisionRule.MAJORITY, 0.67)
        assert (t.yes, t.no, t.abstain) == (1, 1, 2)

    def test_no_voters_no_decision(self):
        assert not tally([], DecisionRule.MAJORITY, 0.5).passed


class TestSupport:
    S = SupportParams()

    def x(self, **kw) -> SupportInputs:
        base = dict(rung=Rung.STANDBY, democratic_norm=0.7, recent_coups=2, coup_risk=0.3, leadership=0.0,
                    p_win=0.5, domestic_constraint=0.2, trade_exposure=0.2, fatigue=0.0)
        base.update(kw)
        return SupportInputs(**base)

    def test_domestic_constraint_only_on_military_rungs(self):
        lo, hi = self.x(domestic_constraint=0.0), self.x(domestic_constraint=0.9)
        assert support_probability(hi, self.S) < support_probability(lo, self.S)
        c0 = self.x(rung=Rung.CONDEMN, domestic_constraint=0.0)
        c1 = self.x(rung=Rung.CONDEMN, domestic_constraint=0.9)
        assert support_probability(c0, self.S) == support_probability(c1, self.S)

    def test_better_odds_more_support_for_force(self):
        weak = self.x(rung=Rung.INTERVENTION, p_win=0.2)
        strong = self.x(rung=Rung.INTERVENTION, p_win=0.9)
        assert support_probability(strong, self.S) > support_probability(weak, self.S)

    def test_norms_and_fatigue(self):
        assert support_probability(self.x(democratic_norm=0.9), self.S) > support_probability(
            self.x(democratic_norm=0.1), self.S)
        assert support_probability(self.x(fatigue=1.0), self.S) < support_probability(self.x(), self.S)

    # (that the probability is the logistic of the terms' sum is checked with terms and sum worked out by hand
    # in tests/test_rules_by_hand.py::test_support_terms_by_hand, not against its own definition)

    def test_the_cache_gives_the_rule_to_the_bit(self):
        cache = SupportCache()
        S = SupportParams(w_fatigue=1.3, w_cost=2.1)
        for rung in Rung:
            if rung is Rung.NONE:
                continue
            for pw, fatigue, holding in ((0.0, 0.0, False), (0.37, 1.2, True), (0.999, 2.5, False)):
                x = self.x(rung=rung, p_win=pw, fatigue=fatigue, holding=holding)
                exact = support_probability(x, S)
                assert support_probability(x, S, cache) == exact  # first call fills the memo
                assert support_probability(x, S, cache) == exact  # second call reads it
        # the memo keys on what does not vary week by week (not p_win, not fatigue): per rung and holding
        assert len(cache) == 6 * 2

    def test_votes(self):
        assert vote_from_probability(0.52, 0.0, 0.1) == 0
        assert vote_from_probability(0.9, 0.5, 0.1) == 1
        assert vote_from_probability(0.9, 0.95, 0.1) == -1
        assert vote_from_probability(0.1, 0.5, 0.1) == -1


class TestCombat:
    def test_square_law(self):
        a, d = lanchester_week(1000, 500, 0.1)
        assert (a, d) == (pytest.approx(950), pytest.approx(400))

    def test_never_negative(self):
        a, d = lanchester_week(10, 5000, 0.5)
        assert a == 0.0 and d > 0

    def test_settlement_rises_with_cost(self):
        p = CombatParams()
        assert settlement_probability(0.3, 0.3, p) > settlement_probability(0.0, 0.0, p)


class TestSanctions:
    def test_bite_and_recovery(self):
        p = SanctionsParams()
        assert sanctions_week(0.5, 0.8, 1.0, p) == pytest.approx(0.5 - p.bite * 0.8)
        assert sanctions_week(0.5, 0.8, 0.0, p) == pytest.approx(0.5 + p.recovery)
        assert sanctions_week(0.0, 1.0, 1.0, p) == 0.0

    def test_partial_enforcement_bites_less(self):
        p = SanctionsParams()
        assert sanctions_week(0.5, 0.8, 0.4, p) > sanctions_week(0.5, 0.8, 1.0, p)


def test_concession_rises_with_sanctions_and_threat_and_falls_with_allies_and_patrons():
    from sim.rules.concession import ConcessionInputs, concession_probability, concession_terms
    from sim.scenario.parameters import TargetParams

    p = TargetParams()
    base = ConcessionInputs(0.0, 0.0, 0.0, False)
    pr = concession_probability(base, p)
    assert 0.0 < pr < 0.005  # about 8% a year without pressure
    assert concession_probability(base._replace(sanction_years=1.0), p) > pr
    assert concession_probability(base._replace(threat=0.8), p) > pr
    assert concession_probability(base._replace(allies=2.0), p) == concession_probability(
        base._replace(allies=1.0), p) < pr  # allies' confidence is capped at 1
    assert concession_probability(base._replace(patron=True), p) < pr
    assert set(concession_terms(base, p)) == {"intercept", "sanctions", "threat", "allies", "patron"}
