"""Insurgency: an armed group's weekly attacks, deaths, recruitment and losses in one state.

Counter-insurgency pressure is the effective force against the fighters of a state (home forces,
allied forces sent under a collective-defence clause, external powers' troops), measured per active
fighter and scaled by ``pressure_half``: ``x = P / (N * pressure_half)``. Then, per group and state,

- attacks ~ Poisson(base_attack_rate * activity * S / 1000 / (1 + x)),
- deaths ~ Poisson(attacks * deaths_per_attack * lethality),
- recruits = recruitment_rate * activity * (1 - stability) * S * (1 - S / capacity),
- losses = max_loss_rate * activity * S * x / (1 + x),

so that more pressure means fewer attacks and a smaller group at equilibrium, and instability
(sanctions, insurgent violence) feeds recruitment. The threat a state feels is
``1 - exp(-smoothed deaths / threat_scale)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.scenario.parameters import InsurgencyParams

__all__ = ["GroupCell", "GroupWeek", "expected_attacks", "group_week", "pressure_ratio", "threat_from_deaths"]


class GroupCell(NamedTuple):
    """A group in one state, as its week begins (a tuple: one is built per group, state and week)."""

    strength: float  # fighters in the state now
    capacity: float  # most fighters it can field there
    x: float  # pressure ratio from :func:`pressure_ratio`
    stability: float  # the state's stability, 0-1
    activity: float  # 1 for a jihadist group; for a separatist group, the accord status's multiplier
    lethality: float  # the group's deaths per attack relative to the default


class GroupWeek(NamedTuple):
    """One group's week in one state."""

    attacks: int
    deaths: int
    strength: float  # after recruitment and losses
    recruits: float
    losses: float


def pressure_ratio(pressure: float, active_fighters: float, p: InsurgencyParams) -> float:
    """Counter-insurgency force per active fighter, in units of ``pressure_half`` (0 = no pressure)."""
    if active_fighters <= 0:
        return 0.0
    return max(0.0, pressure) / (active_fighters * p.pressure_half)


def expected_attacks(strength: float, x: float, activity: float, p: InsurgencyParams) -> float:
    """Mean weekly attacks of ``strength`` fighters under pressure ratio ``x``."""
    return p.base_attack_rate * activity * max(0.0, strength) / 1000.0 / (1.0 + x)


def group_week(cell: GroupCell, p: InsurgencyParams, rng: np.random.Generator) -> GroupWeek:
    """Draw one week of a group in one state.

    Args:
        cell: the group in the state (:class:`GroupCell`).
        p: insurgency parameters.
        rng: the insurgency's generator (scalar draws: for a handful of cells they are cheaper than arrays).
    """
    strength, capacity, x, stability, activity, lethality = cell
    s = strength if strength > 0.0 else 0.0
    lam = p.base_attack_rate * activity * s / 1000.0 / (1.0 + x)
    attacks = int(rng.poisson(lam)) if lam > 0 else 0
    mu = attacks * p.deaths_per_attack * lethality
    deaths = int(rng.poisson(mu)) if mu > 0 else 0
    room = max(0.0, 1.0 - s / capacity) if capacity > 0 else 0.0
    recruits = p.recruitment_rate * activity * (1.0 - stability) * s * room
    losses = p.max_loss_rate * activity * s * x / (1.0 + x)
    return GroupWeek(attacks, deaths, max(0.0, s + recruits - losses), recruits, losses)


def threat_from_deaths(smoothed_deaths: float, p: InsurgencyParams) -> float:
    """A state's threat at home, 0-1, from its smoothed weekly insurgent deaths."""
    return 1.0 - math.exp(-max(0.0, smoothed_deaths) / p.threat_scale)
