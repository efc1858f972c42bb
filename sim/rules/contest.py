"""What members expect of a war: the chance that the intervening force wins, by the war model itself.

Wars follow Lanchester's square law with breakpoints and a settlement hazard (:mod:`sim.rules.combat`).
Given the two sides' initial effective forces that model's course is fixed, and only the weekly settlement
draws are random: :func:`attacker_win_probability` follows it week by week and returns the chance that the
defence breaks before a settlement. Members do not know the defence they will meet: each committed ally
assists or not (with its chance of assisting), and their estimate of the rest is off by a lognormal error
whose spread they know (``perception_noise``). :func:`expected_win` averages the war model over both, so
what members expect and what wars do agree (tests/test_rules.py compares it with fought wars).
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import product

from sim.rules.combat import lanchester_week, settlement_probability
from sim.scenario.parameters import CombatParams

__all__ = ["attacker_win_probability", "expected_win", "win_probability"]

# Gauss-Hermite nodes and weights (5 points) for the mean over a normal error: E f(Z) ~ sum w_i f(sqrt2 x_i)
_GH = ((-2.0201828704560856, 0.019953242059045913), (-0.9585724646138185, 0.3936193231522412),
       (0.0, 0.9453087204829419), (0.9585724646138185, 0.3936193231522412),
       (2.0201828704560856, 0.019953242059045913))
_SQRT_PI = math.sqrt(math.pi)


def attacker_win_probability(a0: float, d0: float, p: CombatParams) -> float:
    """Chance that an attack of effective force ``a0`` breaks a defence of ``d0`` in the war model: the
    course of square-law attrition is followed week by week (as :mod:`sim.phases.wars` fights it), the
    defence's break counted only if no settlement came first, and none after ``max_weeks``."""
    if a0 <= 0:
        return 0.0
    if d0 <= 0:
        return 1.0
    a, d, survive = a0, d0, 1.0
    for week in range(1, p.max_weeks + 1):
        a, d = lanchester_week(a, d, p.attrition_rate)
        if d < p.breakpoint * d0:
            return survive
        if a < p.breakpoint * a0 or week >= p.max_weeks:
            return 0.0
        survive *= 1.0 - settlement_probability(1.0 - a / a0, 1.0 - d / d0, p)
    return 0.0


_STEP = 400.0  # the cached course is looked up by log(a0 / d0) rounded to 1/400 (a 0.25% error in the ratio)


@lru_cache(maxsize=1 << 16)
def _win_at(k: int, rate: float, breakpoint: float, settle_base: float, w_settle_cost: float,
            max_weeks: int) -> float:
    p = CombatParams(attrition_rate=rate, breakpoint=breakpoint, settle_base=settle_base,
                     w_settle_cost=w_settle_cost, max_weeks=max_weeks)
    return attacker_win_probability(math.exp(k / _STEP), 1.0, p)


def win_probability(a0: float, d0: float, p: CombatParams) -> float:
    """:func:`attacker_win_probability`, looked up by the ratio of the forces (square-law attrition with
    breakpoints and loss shares is the same at any scale, so only the ratio matters)."""
    if a0 <= 0:
        return 0.0
    if d0 <= 0:
        return 1.0
    k = round(math.log(a0 / d0) * _STEP)
    return _win_at(k, p.attrition_rate, p.breakpoint, p.settle_base, p.w_settle_cost, p.max_weeks)


# Which allies come is enumerated exactly (2**n cases) up to this many; beyond, each ally counts at its
# expected force (a numerical shortcut, not a behavioural parameter: the sum is then nearly sure).
MAX_ENUMERATED_ALLIES = 5


def expected_win(attack: float, own_defence: float, allies: list[tuple[float, float]], noise: float,
                 p: CombatParams) -> float:
    """The chance of winning members expect: the war model averaged over which allies come (each with its
    chance, ``allies`` = [(chance, effective force)]) and over a lognormal error of sd ``noise`` on the
    defence. More than five allies: each counted at its expected force (the sum is then nearly sure)."""
    if attack <= 0:
        return 0.0
    if len(allies) > MAX_ENUMERATED_ALLIES:
        allies = [(1.0, sum(pr * f for pr, f in allies))]
    total = 0.0
    for came in product((False, True), repeat=len(allies)):
        prob, d = 1.0, own_defence
        for (pr, f), c in zip(allies, came, strict=True):
            prob *= pr if c else 1.0 - pr
            d += f if c else 0.0
        if prob <= 0.0:
            continue
        if noise <= 0:
            total += prob * win_probability(attack, d, p)
            continue
        inner = sum(w * win_probability(attack, d * math.exp(noise * math.sqrt(2.0) * x), p)
                    for x, w in _GH) / _SQRT_PI
        total += prob * inner
    return min(1.0, max(0.0, total))
