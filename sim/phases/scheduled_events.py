"""Phase 1, scheduled events: treaties whose date has come enter into force, then the events of the week
fall due, each applied by the handler of its :class:`~sim.enums.ScheduledKind`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np

from sim import actions
from sim.agents import ArmedGroupAgent, ExternalPowerAgent
from sim.enums import AccordStatus, CoupOrigin, Decider, LogKind, Regime, ScheduledKind, TriggerEvent
from sim.scenario.parameters import ModelParams
from sim.scenario.spec import EventSpec
from sim.treaties import Commitment
from sim.world import World

__all__ = ["HANDLERS", "apply_event", "run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Bring treaties into force and apply the events due this week (in date, then id, order).

    ``rng`` is the model's generator: a coup here opens crises, which draw the bloc's perception."""
    week_end = world.spec.start + dt.timedelta(weeks=world.week)
    week_start = week_end - dt.timedelta(weeks=1)
    for bid, b in world.blocs.items():  # blocs founded this week come into being, on their date
        f = b.spec.founded
        if f is not None and not b.exists and b.dissolved_week is None and week_start <= f < week_end:
            b.exists = True
            world.membership_changed()
            world.log_date = f
            world.say(LogKind.BLOC_FOUNDED, bid, "", f"bloc:{bid}", f"{b.name} is founded by "
                      f"{', '.join(world.name(m) for m in b.members)}.", members=list(b.members))
            world.log_date = None
    for ac in world.treaties.update(world.date, week_end):
        treaty = world.spec.treaties[ac.treaty]
        if world.week > 0 and treaty.in_force is not None:
            world.log_date = treaty.in_force if treaty.in_force < week_end else None
            world.say(LogKind.IN_FORCE, ac.bloc, "", ac.ref,
                      f"{treaty.name} {ac.spec.article} is in force "
                      f"({ac.spec.kind.value.replace('_', ' ')}).")
            world.log_date = None
        world.changed()  # a pact in force changes what the blocs expect
    for eid, ev in world.events_by_week.pop(world.week - 1, []):
        world.log_date = ev.date  # the event and what it sets off at once are logged on its own date
        try:
            apply_event(world, params, eid, ev)
        finally:
            world.log_date = None
        if ev.kind in _CHANGES:
            world.changed()


_CHANGES = frozenset({ScheduledKind.COUP, ScheduledKind.REFUSAL_TO_CEDE, ScheduledKind.DECLARATION,
                      ScheduledKind.SET, ScheduledKind.SUSPEND, ScheduledKind.READMIT, ScheduledKind.EXIT_NOTICE})
"""Event kinds after which a bloc decides afresh on the crises its memory holds."""


def apply_event(world: World, params: ModelParams, eid: str, ev: EventSpec) -> None:
    """Apply one scheduled event."""
    HANDLERS[ev.kind](world, params, eid, ev, ev.actors(), ev.target or "")


Handler = Callable[[World, ModelParams, str, EventSpec, list[str], str], None]


def _coup(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str], target: str) -> None:
    for a in actors:
        actions.record_coup(world, a, CoupOrigin.SCHEDULED)
        world.say(LogKind.COUP, a, "", f"event:{eid}",
                  f"Soldiers seize power in a coup in {world.name(a)}. {ev.note}".strip())
        actions.open_crises(world, a, TriggerEvent.COUP)


def _refusal(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
             target: str) -> None:
    for a in actors:
        world.coup_weeks.append((world.week, a))  # counts as a coup for contagion
        world.forget_recent_coups()
        world.say(LogKind.REFUSAL_TO_CEDE, a, "", f"event:{eid}",
                  f"{world.name(a)} refuses to hand over power. {ev.note}".strip())
        actions.open_crises(world, a, TriggerEvent.REFUSAL_TO_CEDE)


def _declaration(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
                 target: str) -> None:
    bindingness = params.assistance.declaration_bindingness
    for a in actors:
        world.treaties.declare(Commitment(a, target, bindingness, f"declaration:{eid}", Decider.INDIVIDUAL))
    world.say(LogKind.DECLARATION, ",".join(actors), target, f"declaration:{eid}",
              f"{' and '.join(world.name(a) for a in actors)} declare that an attack on "
              f"{world.name(target)} would be an attack on them. {ev.note}".strip(), bindingness=bindingness)


def _exit_notice(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
                 target: str) -> None:
    ec = world.treaties.exit_clause(target)
    notice = ec.spec.notice_weeks if ec is not None else 0
    ref = ec.ref if ec is not None else "rule:exit"
    for a in actors:
        actions.give_notice(world, a, target, notice, ref)
        world.say(LogKind.EXIT_NOTICE, a, target, ref, f"{world.name(a)} gives notice to leave "
                  f"{world.name(target)}; it takes effect in {notice} weeks.", notice_weeks=notice)


def _set(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str], target: str) -> None:
    assert ev.field is not None
    for a in actors:
        old = getattr(world.states[a], ev.field)
        value: Any = Regime(str(ev.value)) if ev.field == "regime" else ev.value
        setattr(world.states[a], ev.field, value)
        world.say(LogKind.SET, a, "", f"event:{eid}", f"{world.name(a)}: {ev.field} changes from {old} to "
                  f"{value}. {ev.note}".strip(), field=ev.field, old=old, new=value)


def _suspension(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
                target: str) -> None:
    """``suspend`` or ``readmit``: the target bloc suspends or readmits the actors."""
    suspend = ev.kind == ScheduledKind.SUSPEND
    suspended = world.blocs[target].suspended
    for a in actors:
        if suspend:
            suspended.add(a)
        else:
            suspended.discard(a)
        world.say(LogKind.SUSPEND if suspend else LogKind.READMIT, target, a, f"event:{eid}",
                  f"{world.name(target)} {'suspends' if suspend else 'readmits'} {world.name(a)}. "
                  f"{ev.note}".strip())


def _withdrawal(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
                target: str) -> None:
    for a in actors:
        pw = world.powers[a]
        weeks = int(ev.value) if isinstance(ev.value, int | float) else pw.spec.withdrawal_weeks
        actions.order_out(world, pw, target, weeks, f"event:{eid}", ev.note)


def _deploy(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
            target: str) -> None:
    for a in actors:
        pw = world.powers[a]
        n = float(ev.value) if isinstance(ev.value, int | float) else 0.0
        pw.troops[target] = pw.troops.get(target, 0.0) + n
        pw.entered.setdefault(target, world.week)
        world.say(LogKind.DEPLOY, a, target, f"event:{eid}", f"{pw.name} deploys {n:,.0f} troops to "
                  f"{world.name(target)}. {ev.note}".strip(), troops=n)


def _rename(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
            target: str) -> None:
    for a in actors:
        agent: ArmedGroupAgent | ExternalPowerAgent = world.powers[a] if a in world.powers else world.groups[a]
        old = agent.name
        agent.name = str(ev.value)
        world.say(LogKind.RENAME, a, "", f"event:{eid}", f"{old} becomes {agent.name}. {ev.note}".strip(),
                  old=old, new=agent.name)


def _offensive(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
               target: str) -> None:
    g = world.groups[target]
    for a in actors:
        before = g.strength.get(a, 0.0)
        g.strength[a] = before * (1.0 - params.accord.offensive_loss) if a in g.strength else 0.0
        g.offensive_week = world.week
        lost = before - g.strength.get(a, 0.0)
        world.say(LogKind.OFFENSIVE, a, target, f"event:{eid}", f"{world.name(a)} launches an offensive "
                  f"against {g.name} ({lost:,.0f} fighters lost). {ev.note}".strip(), losses=lost)
        if g.accord_status is AccordStatus.INTACT and g.accord_state == a:
            actions.set_accord(world, g, AccordStatus.STRAINED, f"event:{eid}", "the offensive strains the accord")


def _accord_end(world: World, params: ModelParams, eid: str, ev: EventSpec, actors: list[str],
                target: str) -> None:
    g = world.groups[target]
    for a in actors:
        if g.accord_state == a and g.accord_status is not None and g.accord_status is not AccordStatus.COLLAPSED:
            actions.set_accord(world, g, AccordStatus.COLLAPSED, f"event:{eid}",
                               f"{world.name(a)} ends it. {ev.note}".strip())


HANDLERS: dict[ScheduledKind, Handler] = {
    ScheduledKind.COUP: _coup,
    ScheduledKind.REFUSAL_TO_CEDE: _refusal,
    ScheduledKind.DECLARATION: _declaration,
    ScheduledKind.EXIT_NOTICE: _exit_notice,
    ScheduledKind.SET: _set,
    ScheduledKind.SUSPEND: _suspension,
    ScheduledKind.READMIT: _suspension,
    ScheduledKind.WITHDRAWAL: _withdrawal,
    ScheduledKind.DEPLOY: _deploy,
    ScheduledKind.RENAME: _rename,
    ScheduledKind.OFFENSIVE: _offensive,
    ScheduledKind.ACCORD_END: _accord_end,
}
