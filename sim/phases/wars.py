"""Phase 7, wars: each war fights a week of Lanchester attrition and may end at a side's breakpoint or in
a settlement (:mod:`sim.rules.combat`); a won intervention restores civilian rule and ends its crisis."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import LogKind, Regime, WarOutcome
from sim.rules.combat import lanchester_week, settlement_probability
from sim.scenario.parameters import ModelParams
from sim.world import War, World

__all__ = ["end_war", "run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Every war begun before this week fights on (``rng``: the model's generator, for settlements)."""
    cp = params.combat
    for war in world.wars:
        if war.ended_week is not None or war.started_week == world.week:
            continue
        a_before, d_before = war.a_eff, war.d_eff
        war.a_eff, war.d_eff = lanchester_week(war.a_eff, war.d_eff, cp.attrition_rate)
        _apply_losses(world, war.attackers, a_before, war.a_eff)
        _apply_losses(world, war.defenders, d_before, war.d_eff)
        la = 1.0 - war.a_eff / war.a0 if war.a0 > 0 else 1.0
        ld = 1.0 - war.d_eff / war.d0 if war.d0 > 0 else 1.0
        if war.d_eff < cp.breakpoint * war.d0:
            end_war(world, war, WarOutcome.ATTACKER_WON, la, ld)
        elif war.a_eff < cp.breakpoint * war.a0:
            end_war(world, war, WarOutcome.DEFENDER_WON, la, ld)
        elif world.week - war.started_week >= cp.max_weeks or rng.random() < settlement_probability(la, ld, cp):
            end_war(world, war, WarOutcome.SETTLED, la, ld)


def _apply_losses(world: World, side: dict[str, float], before: float, after: float) -> None:
    """Each state on a side loses the side's share of its force."""
    if before <= 0:
        return
    share = 1.0 - after / before
    for sid in side:
        lost = side[sid] * share
        side[sid] -= lost
        world.states[sid].lose(lost)


def end_war(world: World, war: War, outcome: WarOutcome, la: float, ld: float) -> None:
    """The war ends with ``outcome``; troops abroad come home."""
    war.ended_week = world.week
    war.outcome = outcome
    for sid, persons in list(war.attackers.items()) + list(war.defenders.items()):
        if sid != war.target:
            world.states[sid].recall(persons)
    text = {
        WarOutcome.ATTACKER_WON: f"{world.name(war.target)}'s defence breaks; {world.name(war.bloc)} restores "
                        f"constitutional order",
        WarOutcome.DEFENDER_WON: f"{world.name(war.bloc)}'s force breaks and withdraws from {world.name(war.target)}",
        WarOutcome.SETTLED: f"The war over {world.name(war.target)} ends in a negotiated settlement",
    }[outcome]
    weeks = world.week - war.started_week
    world.say(LogKind.WAR_END, war.bloc, war.target, "rule:combat",
              f"{text} after {weeks} week{'' if weeks == 1 else 's'} (attacker lost {la:.0%}, defender lost "
              f"{ld:.0%}).", outcome=outcome.value,
              attacker_loss=la, defender_loss=ld)
    crisis = world.crises.get(f"{war.bloc}->{war.target}")
    if outcome is WarOutcome.ATTACKER_WON:
        world.states[war.target].regime = Regime.CIVILIAN
    if crisis is not None and crisis.closed_week is None:
        actions.close_crisis(world, crisis, outcome.value.replace("_", " "))
