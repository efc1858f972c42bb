"""Phase 5, collective defence: each ally committed to a called member decides to assist or abandon it
(:mod:`sim.rules.assistance`); allied counter-terrorism tours that are over come home.

An interstate attack is answered the moment it starts: deliberation's launch of an intervention calls
:func:`call_allies` (with the model's generator), so the allies' decision is taken within the week's
deliberation phase, by the same rule and in this module.
"""

from __future__ import annotations

import numpy as np

from sim.enums import LogKind, TriggerEvent
from sim.rules.assistance import decide_assist, reputation_after
from sim.scenario.parameters import ModelParams
from sim.world import CTMission, War, World

__all__ = ["call_allies", "call_ct_allies", "run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Tours end, then this week's counter-terrorism calls are answered (``rng``: the counter-terrorism
    generator)."""
    if world.ct_missions:
        ending = [m for m in world.ct_missions if m.until_week <= world.week]
        if ending:
            world.ct_missions = [m for m in world.ct_missions if m.until_week > world.week]
            for m in ending:
                ally = world.states[m.ally]
                ally.recall(m.persons)
                ally.ct_abroad = max(0.0, ally.ct_abroad - m.persons)
                world.say(LogKind.CT_RETURN, m.ally, m.host, m.ref, f"{world.name(m.ally)}'s "
                          f"{m.persons:,.0f} troops come home from {world.name(m.host)}.", persons=m.persons)
    calls, world.ct_calls = world.ct_calls, []
    for sid, event in calls:
        call_ct_allies(world, params, sid, event, rng)


def call_ct_allies(world: World, params: ModelParams, host: str, event: TriggerEvent,
                   rng: np.random.Generator) -> None:
    """Each ally committed to ``host`` against ``event`` decides to send forces or not, with the same
    assist-or-abandon rule as for an interstate attack (its own threat and spare forces weigh)."""
    pa, pc = params.assistance, params.counter_terrorism
    commits = world.treaties.commitments_to(host, world.members(), event, set())
    for cm in commits:
        if cm.ally == host:
            continue
        ally = world.states[cm.ally]
        dec = decide_assist(world.assist_inputs(cm), pa, rng)
        world.ct_owed += 1
        if dec.assist:
            sent = ally.deploy(pc.contribution_share * ally.spare())
            world.ct_given += 1
            ally.ct_abroad += sent
            if sent > 0:
                world.ct_missions.append(CTMission(cm.ally, host, sent, world.week,
                                                   world.week + pc.tour_weeks, cm.ref))
            verb = (f"honours {cm.ref} against {event.value}: sends {sent:,.0f} troops to "
                    f"{world.name(host)} for {pc.tour_weeks} weeks, leaving "
                    f"{ally.home_fighting_force():,.0f} at home")
        else:
            sent = 0.0
            verb = f"does not honour {cm.ref}: keeps its forces home rather than help {world.name(host)}"
        ally.reputation = reputation_after(ally.reputation, dec.assist, pa)
        world.say(LogKind.CT_ASSIST if dec.assist else LogKind.CT_ABANDON, cm.ally, host, cm.ref,
                  f"{world.name(cm.ally)} {verb} (chance {dec.probability:.0%}; own threat "
                  f"{ally.threat:.2f}).", probability=dec.probability, terms=dec.terms, sent=sent,
                  event=event.value)


def call_allies(world: World, params: ModelParams, war: War, rng: np.random.Generator) -> None:
    """An attack on ``war.target`` triggers every commitment to defend it; each ally decides."""
    attackers = set(war.attackers)
    commits = world.treaties.commitments_to(war.target, world.members(), TriggerEvent.ATTACK, attackers)
    pa = params.assistance
    for cm in commits:
        if cm.ally in attackers or cm.ally == war.target:
            continue
        ally = world.states[cm.ally]
        dec = decide_assist(world.assist_inputs(cm), pa, rng)
        world.owed += 1
        if dec.assist:
            world.given += 1
            sent = ally.deploy(world.ally_force(cm.ally))
            war.defenders[cm.ally] = war.defenders.get(cm.ally, 0.0) + sent
            war.d_eff += sent * ally.quality
            verb = f"honours {cm.ref}: sends {sent:,.0f} troops to defend {world.name(war.target)}"
        else:
            verb = f"does not honour {cm.ref}: stays out of the war over {world.name(war.target)}"
        ally.reputation = reputation_after(ally.reputation, dec.assist, pa)
        world.say(LogKind.ASSIST if dec.assist else LogKind.ABANDON, cm.ally, war.target, cm.ref,
                  f"{world.name(cm.ally)} {verb} (chance {dec.probability:.0%}).",
                  probability=dec.probability, terms=dec.terms, sent=war.defenders.get(cm.ally, 0.0))
    war.d0 = war.d_eff
