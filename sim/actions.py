"""State changes that several weekly phases share: open or close a crisis, record a coup, give notice to
leave a bloc, set an accord's status, order an external power out of a host.

Each takes the :class:`~sim.world.World` first, changes it and logs what happened. Calling the allies of
an attacked state is the collective-defence decision itself: it lives with that phase
(:func:`sim.phases.collective_defence.call_allies`), and deliberation calls it when an intervention starts.
"""

from __future__ import annotations

import numpy as np

from sim.agents import ArmedGroupAgent, ExternalPowerAgent
from sim.enums import AccordStatus, ClauseKind, CoupOrigin, LogKind, Regime, Rung, TriggerEvent
from sim.world import Crisis, World

__all__ = ["close_crisis", "give_notice", "open_crises", "order_out", "record_coup", "set_accord"]


def open_crises(world: World, target: str, event: TriggerEvent) -> None:
    """A coup or a refusal to cede power in ``target`` opens a crisis under each democratic-order clause
    of a bloc it belongs to (unless one is open already). The bloc's perception error on the defending
    force is drawn now, from the model's generator (``world.rng``), whichever phase saw the event."""
    for ac in world.treaties.triggered(ClauseKind.DEMOCRATIC_ORDER, event):
        bloc = world.blocs[ac.bloc]
        if not bloc.is_member(target):
            continue
        key = f"{ac.bloc}->{target}"
        if key in world.crises and world.crises[key].closed_week is None:
            continue
        noise = world.params.council.perception_noise
        factor = float(np.exp(world.rng.normal(0.0, noise))) if noise > 0 else 1.0
        world.crises[key] = Crisis(ac.bloc, target, ac, world.week, perception=factor)
        world.say(LogKind.CRISIS, ac.bloc, target, ac.ref, f"{ac.spec.article or ac.ref} of {bloc.name} is "
                  f"triggered by the {event.value.replace('_', ' ')} in {world.name(target)}.")


def close_crisis(world: World, crisis: Crisis, why: str) -> None:
    """The bloc's measures against the target end (the rung falls to none)."""
    crisis.closed_week = world.week
    world.say(LogKind.CRISIS_END, crisis.bloc, crisis.target, crisis.clause.ref,
              f"{world.name(crisis.bloc)}'s measures against {world.name(crisis.target)} end: {why}.")
    crisis.rung = Rung.NONE


def record_coup(world: World, sid: str, how: CoupOrigin) -> None:
    """Soldiers take power in ``sid`` (a scheduled event, or the coup hazard)."""
    world.states[sid].regime = Regime.MILITARY
    world.coup_weeks.append((world.week, sid))
    world.forget_recent_coups()
    world.coup_record.append((world.week, sid, how))
    world.changed()


def give_notice(world: World, sid: str, bid: str, notice_weeks: int, ref: str) -> None:
    """``sid`` gives notice to leave ``bid``; the exit takes effect in ``notice_weeks`` (membership phase)."""
    world.pending_exits.append((world.week + notice_weeks, sid, bid, ref))
    world.pending_notice.add((sid, bid))


def set_accord(world: World, g: ArmedGroupAgent, status: AccordStatus, ref: str, why: str) -> None:
    """The accord of separatist group ``g`` with its state is now ``status``."""
    old = g.accord_status
    g.accord_status = status
    if status is AccordStatus.COLLAPSED and g.accord_collapse_week is None:
        g.accord_collapse_week = world.week
    acc = g.spec.accord.name if g.spec.accord is not None else "accord"
    state = g.accord_state or ""
    kind = LogKind.ACCORD_COLLAPSE if status is AccordStatus.COLLAPSED else LogKind.ACCORD_STRAINED
    world.say(kind, state, g.gid, ref, f"The {acc} between {world.name(state)} and {g.name} is now "
              f"{status.name.lower()}: {why}.", old=old.name.lower() if old is not None else "",
              new=status.name.lower())


def order_out(world: World, pw: ExternalPowerAgent, host: str, weeks: int, ref: str, why: str) -> None:
    """``pw`` begins leaving ``host`` within ``weeks``; if the host is ruled by its military, another
    patron may get ready to come in."""
    if not pw.order_out(host, world.week, weeks):
        return
    end = world.week + max(0, weeks)
    world.say(LogKind.WITHDRAWAL_ORDERED, pw.pid, host, ref, f"{pw.name} is to leave {world.name(host)}: "
              f"{pw.troops[host]:,.0f} troops out within {weeks} weeks. {why}".strip(),
              troops=pw.troops[host], weeks=weeks, due_week=end)
    pw.leaving[host] = (world.week, end)
    world.leaving_troops[(pw.pid, host)] = pw.troops[host]
    if world.states[host].regime is not Regime.MILITARY:
        return
    entry_weeks = world.params.presence.entry_weeks
    for q in world.powers.values():
        if q is pw or host not in q.spec.patron_for or q.present(host) or host in q.revoked_by \
                or host in q.entering:
            continue
        arrive = world.week + entry_weeks
        q.entering[host] = (arrive, float(q.spec.entry_troops))
        world.say(LogKind.PATRON_READY, q.pid, host, "rule:presence", f"{q.name} agrees to send "
                  f"{q.spec.entry_troops:,} troops to {world.name(host)}, arriving in "
                  f"{entry_weeks} weeks.", troops=q.spec.entry_troops, arrive_week=arrive)
