"""The war's expected outcome (sim.rules.contest) and an armed group's week (sim.rules.insurgency) against
numbers worked out by hand, with round parameter values set for the purpose (written against the mutants
scripts/mutation.py found alive: a breakpoint compared with <= instead of <, the war's week limit moved by one,
an ally's chance of coming used the wrong way round, a term of the group's week dropped).

The war model at attrition 0.1, breakpoint 0.6 and a constant weekly settlement chance of 1/2 (settle_base 0,
w_settle_cost 0): each week A -= 0.1 D and D -= 0.1 A from the same start values; the defence breaks when it is
below 0.6 of its start, the attack likewise, and a war that has not ended gets one settlement draw a week.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.rules.contest import MAX_ENUMERATED_ALLIES, attacker_win_probability, expected_win, win_probability
from sim.rules.insurgency import GroupCell, expected_attacks, group_week, pressure_ratio, threat_from_deaths
from sim.scenario.parameters import CombatParams, InsurgencyParams

HALF = CombatParams(attrition_rate=0.1, breakpoint=0.6, settle_base=0.0, w_settle_cost=0.0, max_weeks=50)
# the war parameters as shipped on 2 December 2026, written out so that a recalibration does not move the tests
WAR = CombatParams(attrition_rate=0.02, breakpoint=0.6, settle_base=-4.0, w_settle_cost=3.0, max_weeks=104)


def sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_two_to_one_breaks_the_defence_in_the_third_week() -> None:
    # (A, D): (2, 1) -> (1.9, 0.8) -> (1.82, 0.61) -> (1.759, 0.428): D < 0.6 in week 3, after two settlement
    # draws survived (1/2 each)
    assert attacker_win_probability(2.0, 1.0, HALF) == pytest.approx(0.25, abs=1e-12)
    # equal sides: both at 0.9^k; the defence is checked first, so it breaks first at 0.9^5 = 0.59 (week 5)
    assert attacker_win_probability(1.0, 1.0, HALF) == pytest.approx(0.5 ** 4, abs=1e-12)
    # one to two: the attack falls to 0.428 < 0.6 in week 3, the defence still at 1.759
    assert attacker_win_probability(1.0, 2.0, HALF) == 0.0


def test_the_week_limit() -> None:
    # the defence breaks in week 3: with two weeks allowed the war settles first; with three it breaks
    assert attacker_win_probability(2.0, 1.0, HALF.model_copy(update={"max_weeks": 2})) == 0.0
    assert attacker_win_probability(2.0, 1.0, HALF.model_copy(update={"max_weeks": 3})) == pytest.approx(0.25)
    assert attacker_win_probability(2.0, 1.0, HALF.model_copy(update={"max_weeks": 1})) == 0.0


def test_a_defence_exactly_at_its_breakpoint_holds() -> None:
    # attrition 0.2: D = 1 - 0.2 * 2 = 0.6 = 0.6 * 1 after week 1, not below it; it breaks in week 2 (0.6 - 0.376)
    p = HALF.model_copy(update={"attrition_rate": 0.2})
    assert attacker_win_probability(2.0, 1.0, p) == pytest.approx(0.5)


def test_settlement_rises_with_the_losses() -> None:
    # settle_base -1, w 1.6: week 1 losses 0.05 and 0.2 (mean 0.125, / (1 - 0.6) = 0.3125) -> logit -0.5;
    # week 2 losses 1 - 1.82/2 = 0.09 and 0.39 (mean 0.24 / 0.4 = 0.6) -> logit -1 + 0.96 = -0.04
    p = HALF.model_copy(update={"settle_base": -1.0, "w_settle_cost": 1.6})
    assert attacker_win_probability(2.0, 1.0, p) == pytest.approx((1 - sigma(-0.5)) * (1 - sigma(-0.04)), rel=1e-9)


def test_no_force_and_no_defence() -> None:
    assert attacker_win_probability(0.0, 1.0, HALF) == 0.0
    assert attacker_win_probability(0.0, 0.0, HALF) == 0.0
    assert attacker_win_probability(1.0, 0.0, HALF) == 1.0
    assert win_probability(0.0, 1.0, HALF) == 0.0 and win_probability(0.0, 0.0, HALF) == 0.0
    assert win_probability(1.0, 0.0, HALF) == 1.0
    assert expected_win(0.0, 1.0, [], 0.0, HALF) == 0.0


def test_the_lookup_by_ratio() -> None:
    assert win_probability(2.0, 1.0, HALF) == pytest.approx(0.25)
    assert win_probability(8.0, 4.0, HALF) == pytest.approx(0.25)
    assert win_probability(1.0, 1.0, HALF) == pytest.approx(0.0625)
    assert win_probability(1.0, 2.0, HALF) == 0.0
    # the cached course is the war model's with each of the parameters passed on
    for change in ({"breakpoint": 0.5}, {"attrition_rate": 0.2}, {"settle_base": -1.0, "w_settle_cost": 1.6},
                   {"max_weeks": 2}):
        p = HALF.model_copy(update=change)
        assert win_probability(2.0, 1.0, p) == pytest.approx(attacker_win_probability(2.0, 1.0, p), abs=0.005)


def test_allies_who_may_come() -> None:
    # an ally of force 1 comes with chance 1/2: 1/2 P(2 v 1) + 1/2 P(2 v 2) = 0.125 + 0.03125
    assert expected_win(2.0, 1.0, [(0.5, 1.0)], 0.0, HALF) == pytest.approx(0.15625)
    # comes with chance 1/4: 3/4 * 0.25 + 1/4 * 0.0625
    assert expected_win(2.0, 1.0, [(0.25, 1.0)], 0.0, HALF) == pytest.approx(0.203125)
    # a sure ally, and one that never comes
    assert expected_win(2.0, 1.0, [(1.0, 1.0)], 0.0, HALF) == pytest.approx(0.0625)
    assert expected_win(2.0, 1.0, [(0.0, 1.0)], 0.0, HALF) == pytest.approx(0.25)
    # two allies, each of force 1/2, each with chance 1/2: none (1/4) -> 0.25, one (1/2) -> P(2 v 1.5), both ->
    # P(2 v 2) = 0.0625. P(2 v 1.5): (1.85, 1.3), (1.72, 1.115), (1.6085, 0.943), (1.514, 0.782) < 0.9: week 4
    assert attacker_win_probability(2.0, 1.5, HALF) == pytest.approx(0.125)
    assert expected_win(2.0, 1.0, [(0.5, 0.5), (0.5, 0.5)], 0.0, HALF) == pytest.approx(
        0.25 * 0.25 + 0.5 * 0.125 + 0.25 * 0.0625)


def test_more_allies_than_enumerated_count_at_their_expected_force() -> None:
    assert MAX_ENUMERATED_ALLIES == 5
    # six allies of force 1 at chance 1/2 count as one sure ally of 3: P(8 v 1 + 3) = P(2 v 1) = 0.25
    assert expected_win(8.0, 1.0, [(0.5, 1.0)] * 6, 0.0, HALF) == pytest.approx(0.25)
    # five are enumerated: 2**5 cases, k of them coming with chance C(5, k) / 32. Against 1.2 + k the attack of 8
    # breaks the defence in week 1, 2, 2, 3, 3, 4 (8 v 2.2: (7.78, 1.4), (7.64, 0.622) < 1.32 ...):
    # P = 1, 1/2, 1/2, 1/4, 1/4, 1/8
    wins = [1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    assert [attacker_win_probability(8.0, 1.2 + k, HALF) for k in range(6)] == pytest.approx(wins)
    want = sum(math.comb(5, k) / 32 * w for k, w in enumerate(wins))  # 12.375 / 32
    assert expected_win(8.0, 1.2, [(0.5, 1.0)] * 5, 0.0, HALF) == pytest.approx(want) == 0.38671875


def test_the_quadrature_is_five_point_gauss_hermite() -> None:
    from sim.rules import contest

    nodes, weights = np.polynomial.hermite.hermgauss(5)  # the roots of H5 and their weights (numpy's own)
    assert [x for x, _ in contest._GH] == pytest.approx(nodes, abs=1e-12)
    assert [w for _, w in contest._GH] == pytest.approx(weights, abs=1e-12)
    assert contest._SQRT_PI == pytest.approx(math.sqrt(math.pi))


def test_the_defence_estimate_error_is_a_lognormal_mean() -> None:
    # at the war parameters as shipped (WAR), against a Monte Carlo mean over the lognormal error (not the quadrature
    # the code uses). A five-point rule on a function of whole weeks is not exact: at these points it is
    # within 0.02 of the Monte Carlo mean (0.03 allowed)
    p = WAR
    z = np.random.default_rng(3).standard_normal(4000)
    for ratio, noise in ((1.5, 0.24), (2.0, 0.24), (3.0, 0.4)):
        mc = float(np.mean([attacker_win_probability(ratio, math.exp(noise * zi), p) for zi in z]))
        assert expected_win(ratio, 1.0, [], noise, p) == pytest.approx(mc, abs=0.03)
    p = HALF.model_copy(update={"settle_base": -1.0, "w_settle_cost": 1.6})
    # with no error the estimate is the war model's own
    assert expected_win(2.0, 1.0, [], 0.0, p) == pytest.approx(attacker_win_probability(2.0, 1.0, p), abs=0.005)
    assert expected_win(2.0, 1.0, [], -1.0, p) == pytest.approx(attacker_win_probability(2.0, 1.0, p), abs=0.005)


# --- insurgency ------------------------------------------------------------------------------------

IP = InsurgencyParams(base_attack_rate=2.0, deaths_per_attack=3.0, pressure_half=4.0, max_loss_rate=0.1,
                      recruitment_rate=0.2, threat_scale=10.0)


class Fixed:
    """A generator whose Poisson draw returns a set value and records the means it was asked for."""

    def __init__(self, *values: int) -> None:
        self.values, self.means = list(values), []

    def poisson(self, lam: float) -> int:
        self.means.append(lam)
        return self.values.pop(0)


def test_pressure_ratio_by_hand() -> None:
    assert pressure_ratio(800.0, 100.0, IP) == pytest.approx(2.0)  # 800 / (100 * 4)
    assert pressure_ratio(-5.0, 100.0, IP) == 0.0
    assert pressure_ratio(800.0, 0.0, IP) == 0.0 and pressure_ratio(800.0, -1.0, IP) == 0.0


def test_expected_attacks_by_hand() -> None:
    # 2 * 0.5 * 3000 / 1000 / (1 + 2) = 1
    assert expected_attacks(3000.0, 2.0, 0.5, IP) == pytest.approx(1.0)
    assert expected_attacks(-10.0, 0.0, 1.0, IP) == 0.0


def test_a_group_week_by_hand() -> None:
    # S 1000, capacity 4000, x 1, stability 0.25, activity 0.5, lethality 2:
    # attacks ~ Poisson(2 * 0.5 * 1000 / 1000 / 2 = 0.5); deaths ~ Poisson(7 attacks * 3 * 2 = 42)
    # recruits = 0.2 * 0.5 * 0.75 * 1000 * (1 - 1000/4000) = 56.25; losses = 0.1 * 0.5 * 1000 * 1/2 = 25
    rng = Fixed(7, 40)
    gw = group_week(GroupCell(1000.0, 4000.0, 1.0, 0.25, 0.5, 2.0), IP, rng)
    assert rng.means == pytest.approx([0.5, 42.0])
    assert gw.attacks == 7 and gw.deaths == 40
    assert gw.recruits == pytest.approx(56.25) and gw.losses == pytest.approx(25.0)
    assert gw.strength == pytest.approx(1000 + 56.25 - 25)


def test_a_group_week_at_the_edges() -> None:
    # no attacks drawn: no deaths drawn (no Poisson(0) call); a full group recruits nobody
    rng = Fixed(0)
    gw = group_week(GroupCell(4000.0, 4000.0, 0.0, 0.0, 1.0, 1.0), IP, rng)
    assert rng.means == pytest.approx([8.0]) and (gw.attacks, gw.deaths, gw.recruits, gw.losses) == (0, 0, 0.0, 0.0)
    # over capacity: no recruits, not negative ones; no capacity at all: none either
    gw = group_week(GroupCell(5000.0, 4000.0, 0.0, 0.0, 1.0, 1.0), IP, Fixed(0))
    assert gw.recruits == 0.0 and gw.strength == 5000.0
    gw = group_week(GroupCell(100.0, 0.0, 0.0, 0.0, 1.0, 1.0), IP, Fixed(0))
    assert gw.recruits == 0.0
    # a negative strength counts as none: no draw at all, nothing left
    rng = Fixed()
    gw = group_week(GroupCell(-5.0, 100.0, 1.0, 0.0, 1.0, 1.0), IP, rng)
    assert rng.means == [] and gw == (0, 0, 0.0, 0.0, 0.0)


def test_threat_by_hand() -> None:
    assert threat_from_deaths(10.0, IP) == pytest.approx(1 - math.exp(-1))
    assert threat_from_deaths(0.0, IP) == 0.0 and threat_from_deaths(-3.0, IP) == 0.0


# --- the accord, the support memo and edge cases of other rules --------------------------------------


class Draw:
    """A generator whose uniform draw is set."""

    def __init__(self, u: float) -> None:
        self.u = u

    def random(self) -> float:
        return self.u


def test_accord_hazard_by_hand() -> None:
    from sim.enums import AccordStatus as A
    from sim.rules.accord import AccordInputs, accord_hazard, accord_week
    from sim.scenario.parameters import AccordParams

    p = AccordParams(strain_hazard=0.01, collapse_hazard=0.05, w_peacekeepers_gone=2.0, w_offensive=3.0)
    # intact, half the peacekeepers gone: 0.01 * (1 + 2 * 0.5); strained, all gone (1.5 counts as 1): 0.05 * 3
    assert accord_hazard(AccordInputs(A.INTACT, 0.5, False), p) == pytest.approx(0.02)
    assert accord_hazard(AccordInputs(A.STRAINED, 1.5, False), p) == pytest.approx(0.15)
    assert accord_hazard(AccordInputs(A.STRAINED, -1.0, False), p) == pytest.approx(0.05)
    # after an offensive: x (1 + 3)
    assert accord_hazard(AccordInputs(A.INTACT, 0.0, True), p) == pytest.approx(0.04)
    # capped at 1: 0.5 * 3 * 4 = 6
    big = p.model_copy(update={"collapse_hazard": 0.5})
    assert accord_hazard(AccordInputs(A.STRAINED, 1.0, True), big) == 1.0
    # the week: a step only when the draw is strictly below the hazard
    x = AccordInputs(A.INTACT, 0.5, False)
    assert accord_week(x, p, Draw(0.5)) == (A.INTACT, pytest.approx(0.02))
    assert accord_week(x, p, Draw(0.02))[0] is A.INTACT
    assert accord_week(x, p, Draw(0.0199))[0] is A.STRAINED
    assert accord_week(AccordInputs(A.STRAINED, 0.5, False), p, Draw(0.0))[0] is A.COLLAPSED


def test_support_contagion_with_a_cap_below_one() -> None:
    from sim.enums import Rung
    from sim.rules.support import SupportInputs, support_terms
    from sim.scenario.parameters import SupportParams

    p = SupportParams(w_contagion=1.0, contagion_cap=0.5)
    x = SupportInputs(Rung.CONDEMN, 0.5, 2.0, 0.5, 0.0, 0.5, 0.0, 0.0, 0.0)
    assert support_terms(x, p)["contagion"] == pytest.approx(0.5)  # min(2, 0.5) / 0.5 * 0.5


def test_the_support_memo_keys_on_every_static_input_and_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.enums import Rung
    from sim.rules import support as S
    from sim.scenario.parameters import SupportParams

    p = SupportParams()
    cache = S.SupportCache()
    lo = S.SupportInputs(Rung.ULTIMATUM, 0.5, 1.0, 0.3, 0.0, 0.5, 0.0, 0.2, 0.0)
    hi = lo._replace(domestic_constraint=0.9)  # differs only in a static input
    assert S.support_probability(lo, p, cache) == S.support_probability(lo, p)
    assert S.support_probability(hi, p, cache) == S.support_probability(hi, p)
    assert S.support_probability(hi, p) < S.support_probability(lo, p) and len(cache) == 2
    week = lo._replace(p_win=0.9, fatigue=1.0)
    want = S.support_probability(week, p)
    calls: list[int] = []
    real = S.support_terms
    monkeypatch.setattr(S, "support_terms", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    assert S.support_probability(week, p, cache) == want
    assert calls == []  # read from the memo, not worked out again


def test_edges_of_withdrawal_sanctions_and_pressure() -> None:
    from sim.rules import withdrawal_remaining
    from sim.rules.sanctions import sanctions_week
    from sim.scenario.parameters import SanctionsParams

    assert withdrawal_remaining(100.0, 5, 5, 5) == 0.0  # a withdrawal over no weeks: gone at once
    assert withdrawal_remaining(100.0, 5, 9, 9) == 0.0 and withdrawal_remaining(100.0, 5, 9, 7) == 50.0
    assert sanctions_week(0.999, 1.0, 0.0, SanctionsParams(recovery=0.002)) == 1.0  # recovery stops at 1
    assert sanctions_week(0.5, 0.5, 0.5, SanctionsParams(bite=0.4)) == pytest.approx(0.4)  # 0.5 - 0.4 * 0.25
    assert pressure_ratio(10.0, 0.5, IP) == pytest.approx(5.0)  # half a fighter: 10 / (0.5 * 4)


def test_small_groups_attacks_and_capacities() -> None:
    # half a fighter is a group (recruits 0.2 * 1 * 1 * 0.5 * (1 - 0.5 / 4000)); a capacity below one is one
    gw = group_week(GroupCell(0.5, 4000.0, 0.0, 0.0, 1.0, 1.0), IP, Fixed(0))
    assert gw.recruits == pytest.approx(0.1 * (1 - 0.5 / 4000))
    gw = group_week(GroupCell(0.25, 0.5, 0.0, 0.0, 1.0, 1.0), IP, Fixed(0))
    assert gw.recruits == pytest.approx(0.2 * 0.25 * 0.5)  # room 1 - 0.25 / 0.5
    # one attack at lethality 0.2: deaths ~ Poisson(1 * 3 * 0.2 = 0.6), drawn
    rng = Fixed(1, 5)
    gw = group_week(GroupCell(1000.0, 4000.0, 0.0, 0.5, 1.0, 0.2), IP, rng)
    assert rng.means == pytest.approx([2.0, 0.6]) and (gw.attacks, gw.deaths) == (1, 5)


def test_expected_win_of_a_force_of_one_and_allies_of_two() -> None:
    assert expected_win(1.0, 0.5, [], 0.0, HALF) == pytest.approx(0.25)  # P(2 v 1): only the ratio counts
    # six allies of force 2 at chance 1/2: one sure ally of 6; 14 against 1 + 6 is 2 against 1
    assert expected_win(14.0, 1.0, [(0.5, 2.0)] * 6, 0.0, HALF) == pytest.approx(0.25)


def test_the_spread_of_the_defence_estimate() -> None:
    # at WAR, 1.2 against a defence known up to a lognormal error of sd 0.5: the Monte Carlo mean over 20,000 draws is
    # 0.2647; the five-point rule gives 0.2671 with the error's spread as it is, 0.2267 at half the variance
    # and 0.2758 at 1.5 times (the spread put in wrongly): 0.008 separates them
    p = WAR
    z = np.random.default_rng(3).standard_normal(20_000)
    mc = float(np.mean([attacker_win_probability(1.2, math.exp(0.5 * zi), p) for zi in z]))
    assert mc == pytest.approx(0.2647, abs=0.001)
    assert expected_win(1.2, 1.0, [], 0.5, p) == pytest.approx(mc, abs=0.008)


def test_allies_and_the_defence_error_together() -> None:
    # the mixture over who comes holds with an uncertain defence too: an ally of force 1 at chance 1/2 gives
    # the mean of the two expectations without and with it (each over the same lognormal error)
    for noise in (0.1, 0.4):
        both = expected_win(2.0, 1.0, [(0.5, 1.0)], noise, WAR)
        parts = 0.5 * expected_win(2.0, 1.0, [], noise, WAR) + 0.5 * expected_win(2.0, 2.0, [], noise, WAR)
        assert both == pytest.approx(parts, abs=1e-12)
        assert expected_win(2.0, 1.0, [], noise, WAR) > expected_win(2.0, 2.0, [], noise, WAR)
