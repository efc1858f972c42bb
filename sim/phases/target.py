"""Phase 9, the target's side: each target of an open crisis, not at war, weighs conceding
(:mod:`sim.rules.concession`). A concession hands power back (the crisis ends) or agrees a transition
timetable: the bloc then lifts its sanctions and any decided launch, holds suspension, and goes no higher."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import LogKind, Regime, Rung
from sim.rules.concession import ConcessionInputs, concession_probability, concession_terms
from sim.scenario.parameters import ModelParams
from sim.world import Crisis, World

__all__ = ["inputs", "run"]


def inputs(world: World, params: ModelParams, crisis: Crisis) -> ConcessionInputs:
    """What the target of ``crisis`` weighs this week."""
    if crisis.rung >= Rung.ULTIMATUM:
        bloc = world.blocs[crisis.bloc]
        pledgers = crisis.pledgers or [v for v in bloc.voters(exclude=crisis.target)
                                       if world.states[v].pledge > 0 and v not in crisis.withheld]
        pw, _defence, ally_p = world.expected_win(crisis.bloc, crisis.target, world.pledged_force(pledgers),
                                                  crisis.perception)
        threat = pw * params.support.war_risk[int(crisis.rung) - 1]
    else:  # no threat below the ultimatum: only the allies' chances are needed
        threat, ally_p = 0.0, world.perceived_defence(crisis.bloc, crisis.target)[1]
    patron = any(pw_.present(crisis.target) or crisis.target in pw_.entering for pw_ in world.powers.values()
                 if crisis.target in pw_.spec.patron_for)
    return ConcessionInputs(crisis.sanction_years, threat, sum(ally_p.values()), patron)


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """One draw per open crisis not yet conceded and not at war (``rng``: the target's own stream)."""
    tp = params.target
    for crisis in list(world.crises.values()):
        if crisis.closed_week is not None or crisis.concession is not None or crisis.rung < Rung.CONDEMN:
            continue
        if any(w.ended_week is None and w.target == crisis.target for w in world.wars):
            continue
        x = inputs(world, params, crisis)
        prob = concession_probability(x, tp)
        u = rng.random()
        if u >= prob:
            continue
        terms = concession_terms(x, tp)
        crisis.concession_week = world.week
        name, bloc = world.name(crisis.target), world.name(crisis.bloc)
        if rng.random() < tp.yield_share:
            crisis.concession = "yielded"
            world.states[crisis.target].regime = Regime.CIVILIAN
            world.say(LogKind.YIELD, crisis.target, crisis.bloc, "rule:target",
                      f"The rulers of {name} hand power back under {bloc}'s pressure (chance {prob:.1%} "
                      f"this week).", probability=prob, terms=terms)
            actions.close_crisis(world, crisis, "the target yields")
        else:
            crisis.concession = "timetable"
            crisis.ceiling = Rung.SUSPEND
            crisis.launch_week = None
            crisis.pledgers = []
            old = crisis.rung
            crisis.rung = min(crisis.rung, Rung.SUSPEND)
            world.say(LogKind.CONCESSION, crisis.target, crisis.bloc, "rule:target",
                      f"The rulers of {name} agree a transition timetable with {bloc} (chance {prob:.1%} this "
                      f"week); {bloc} steps down from {old.label} to {crisis.rung.label}.",
                      probability=prob, terms=terms, old_rung=int(old), rung=int(crisis.rung))
        world.changed()
