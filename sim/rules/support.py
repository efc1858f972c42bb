"""A bloc member's support for moving its bloc one rung up the ladder against a target.

Support (log-odds) = democratic norm + fear of contagion + leadership
                     - expected cost of war - domestic constraint - trade exposure - fatigue - rung cost.
The expected cost is (1 - p_win) x war_risk(rung), with p_win from the contest success function over the
pledged force against the defending coalition as the member perceives it: the target's own force plus
each ally's force weighted by its chance of assisting. A credible charter raises that perceived defence,
so it deters.
"""

from __future__ import annotations

from typing import NamedTuple

from sim.enums import Rung
from sim.rules._math import logistic
from sim.scenario.parameters import SupportParams

__all__ = ["SupportCache", "SupportInputs", "support_probability", "support_terms", "vote_from_probability"]


class SupportInputs(NamedTuple):
    """What a member weighs when asked to move to ``rung`` (a tuple: one is built per voter and vote)."""

    rung: Rung
    democratic_norm: float
    recent_coups: float  # coups in the region within the contagion window
    coup_risk: float  # how exposed the member's own leadership feels
    leadership: float
    p_win: float  # chance that the coalition would win, as the member perceives it
    domestic_constraint: float
    trade_exposure: float
    fatigue: float
    holding: bool = False  # True when judging whether to keep a rung already in place


def support_terms(x: SupportInputs, p: SupportParams) -> dict[str, float]:
    """The additive terms of the member's log-odds of supporting the rung, by name."""
    i = int(x.rung) - 1
    risk = p.war_risk[i]
    military = 1.0 if x.rung >= Rung.ULTIMATUM else 0.0
    economic = 1.0 if x.rung >= Rung.SANCTIONS else 0.0
    return {
        "rung_cost": -p.rung_cost[i],
        "norm": p.w_norm * (x.democratic_norm - 0.5),
        "contagion": p.w_contagion * min(x.recent_coups, p.contagion_cap) / max(p.contagion_cap, 1e-9)
        * x.coup_risk,
        "leadership": p.w_leadership * x.leadership,
        "expected_cost": -p.w_cost * risk * (1.0 - x.p_win),
        "domestic": -p.w_domestic * x.domestic_constraint * military,
        "trade": -p.w_trade * x.trade_exposure * economic,
        "fatigue": -p.w_fatigue * x.fatigue,
        "hold": p.hold_margin if x.holding else 0.0,
    }


def vote_from_probability(prob: float, draw: float, abstain_band: float) -> int:
    """Turn a support probability and a uniform draw into a vote: +1 yes, -1 no, 0 abstain.

    A member close to indifference (within ``abstain_band`` of 0.5) abstains; otherwise it votes yes
    with probability ``prob``.
    """
    if abs(prob - 0.5) < abstain_band:
        return 0
    return 1 if draw < prob else -1


class SupportCache:
    """Memo for :func:`support_probability`: the terms that do not depend on the chance of winning or on
    fatigue, per member inputs and rung (they change rarely). One per run (its parameters are fixed)."""

    __slots__ = ("_static",)

    def __init__(self) -> None:
        self._static: dict[tuple[object, ...], tuple[list[float], int, int, float]] = {}

    def __len__(self) -> int:
        return len(self._static)

    def fill(self, key: tuple[object, ...], x: SupportInputs, p: SupportParams) -> tuple[list[float], int, int, float]:
        """Memoise, under ``key``, the terms of ``x`` with ``p_win`` = 1 and no fatigue, the positions of
        the expected-cost and fatigue terms, and the weight of the expected cost."""
        terms = support_terms(SupportInputs(x.rung, x.democratic_norm, x.recent_coups, x.coup_risk, x.leadership,
                                            1.0, x.domestic_constraint, x.trade_exposure, 0.0, x.holding), p)
        names = list(terms)
        hit = self._static[key] = (list(terms.values()), names.index("expected_cost"), names.index("fatigue"),
                                   p.w_cost * p.war_risk[int(x.rung) - 1])
        return hit


def support_probability(x: SupportInputs, p: SupportParams, cache: SupportCache | None = None) -> float:
    """Chance that the member supports the rung: the logistic of the sum of :func:`support_terms`.

    With a ``cache``, the terms that vary week by week (expected cost and fatigue) are put in their
    places among the memoised others and summed in the same order, so the result is the same to the bit.
    """
    if cache is None:
        return logistic(sum(support_terms(x, p).values()))
    key = x[:5] + x[6:8] + x[9:]  # every input but p_win and fatigue
    hit = cache._static.get(key)
    values, i_cost, i_fatigue, cost_weight = hit if hit is not None else cache.fill(key, x, p)
    vals = values.copy()
    vals[i_cost] = -cost_weight * (1.0 - x.p_win)
    vals[i_fatigue] = -p.w_fatigue * x.fatigue
    return logistic(sum(vals))
