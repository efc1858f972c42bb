"""Phase 8, sanctions: crises at the sanctions rung or above bite on their targets' stability (as far as
the target's neighbours enforce them) and tire the bloc (:mod:`sim.rules.sanctions`)."""

from __future__ import annotations

import numpy as np

from sim.enums import Rung
from sim.rules.sanctions import sanctions_week
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Fatigue and weeks under sanctions accumulate; every state's stability moves (no draws)."""
    sp = params.support
    sanctioned: dict[str, float] = {}
    for crisis in world.crises.values():
        if crisis.closed_week is not None or crisis.rung < Rung.SANCTIONS:
            continue
        crisis.sanction_weeks += 1
        crisis.fatigue += sp.fatigue_rate
        t = world.states[crisis.target]
        enforcing = [n for n in t.borders if n in world.blocs[crisis.bloc].active_members()
                     and not world.treaties.refrains(n, crisis.target, world.members())]
        share = len(enforcing) / len(t.borders) if t.borders else 1.0
        crisis.sanction_years += t.trade_exposure * share / 52.0  # the cost the target bears (its side)
        sanctioned[crisis.target] = max(sanctioned.get(crisis.target, 0.0), share)
    for sid, st in world.states.items():
        st.stability = sanctions_week(st.stability, st.trade_exposure, sanctioned.get(sid, 0.0), params.sanctions)
    world.sanctioned = sanctioned
