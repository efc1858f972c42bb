"""Phase 2, the optional coup hazard (off unless ``parameters.coups.enabled``): instability, insurgent
threat and coups next door make a coup likelier (:mod:`sim.rules.coups`)."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import CoupOrigin, LogKind, TriggerEvent
from sim.rules.coups import CoupInputs, coup_probability
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Each state may suffer a coup this week (one draw each from ``rng``, the coups' own generator);
    a coup opens crises as a scheduled one does."""
    cp = params.coups
    if not cp.enabled:
        return
    for sid, st in world.states.items():
        near = sum(1 for wk, s in world.coup_weeks if s in st.borders and world.week - wk < cp.window_weeks)
        pr = coup_probability(CoupInputs(st.stability, st.threat, near), cp)
        if rng.random() < pr:
            actions.record_coup(world, sid, CoupOrigin.ENDOGENOUS)
            world.say(LogKind.COUP, sid, "", "rule:coup_hazard", f"Soldiers seize power in {world.name(sid)} "
                      f"(weekly coup chance was {pr:.1%}: stability {st.stability:.2f}, threat "
                      f"{st.threat:.2f}, {near} coups next door).", probability=pr,
                      stability=st.stability, threat=st.threat, neighbour_coups=near)
            actions.open_crises(world, sid, TriggerEvent.COUP)
