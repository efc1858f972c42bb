"""The checks a single field cannot make: every id a scenario names must be one it defines (a bloc's
members, a treaty's bloc, an event's actor and target...), dates in range, one value per rung or status.

:func:`cross_references` returns ``(location, message)`` pairs; the loader adds file and line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from sim.enums import AccordStatus, ClauseKind, GroupKind, Means, Obligation, Rung, TriggerEvent
from sim.scenario.spec import ClauseSpec, EventSpec, Scenario, StateSpec

__all__ = ["EARLIEST", "LATEST", "MAX_COUNT", "MAX_DAYS", "MIN_DAYS", "cross_references"]

# Horizon bounds. The model steps once a week, so a scenario shorter than a week never runs a step. Its
# rules are grounded on crises that played out over weeks to about three years (FACTS §2, §4; the
# longest shipped scenario has 156 weeks), with the world outside the scheduled events held still:
# beyond ten years it would extrapolate regimes, treaties and forces far outside what it was built for
# (and a run's time grows with its weeks).
MIN_DAYS = 7
MAX_DAYS = 3653  # ten years
MAX_COUNT = 10**9  # persons, weeks, rungs: a billion is more than any army, group or horizon (int64-safe sums)
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)  # a date outside is a typo, not a case


def cross_references(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Every reference of ``s`` that points nowhere, as ``(location, message)``."""
    errs: list[tuple[tuple[Any, ...], str]] = []
    states, blocs = set(s.states), set(s.blocs)
    for sid, st in s.states.items():
        for i, nb in enumerate(st.borders):
            if nb not in states:
                errs.append((("states", sid, "borders", i), f"'{nb}' is not a state of this scenario"))
    for bid, b in s.blocs.items():
        for field in ("members", "suspended"):
            for i, m in enumerate(getattr(b, field)):
                if m not in states:
                    errs.append((("blocs", bid, field, i), f"'{m}' is not a state of this scenario"))
        for i, m in enumerate(b.suspended):
            if m not in b.members:
                errs.append((("blocs", bid, "suspended", i), f"'{m}' is suspended but not a member"))
        for i, m in enumerate(b.council or []):
            if m not in b.members:
                errs.append((("blocs", bid, "council", i), f"'{m}' sits on the council but is not a member"))
    for tid, t in s.treaties.items():
        if t.bloc not in blocs:
            errs.append((("treaties", tid, "bloc"), f"'{t.bloc}' is not a bloc of this scenario"))
    state_fields = set(StateSpec.model_fields)
    groups, powers = set(s.armed_groups), set(s.external_powers)
    errs.extend(_security_references(s))
    for eid, e in s.events.items():
        actors = e.actor if isinstance(e.actor, list) else [e.actor]
        ok = states | blocs | groups | powers
        for a in actors:
            if a not in ok:
                errs.append((("events", eid, "actor"), f"'{a}' is not a state or bloc of this scenario"))
        if e.target is not None and e.target not in ok:
            errs.append((("events", eid, "target"), f"'{e.target}' is not a state or bloc of this scenario"))
        if e.kind in ("exit_notice", "suspend", "readmit") and e.target is None:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs a target bloc"))
        errs.extend(_security_event_references(eid, e, states, groups, powers))
        if e.kind == "set":
            if e.field not in state_fields:
                errs.append((("events", eid, "field"), f"'{e.field}' is not a state field"))
        if not (s.start <= e.date <= s.end):
            errs.append((("events", eid, "date"), f"{e.date} is outside the scenario ({s.start} to {s.end})"))
    if s.end <= s.start:
        errs.append((("end",), "must be after start"))
    elif (s.end - s.start).days < MIN_DAYS:
        errs.append((("end",), f"{(s.end - s.start).days} days after start: the model steps weekly, so a "
                     f"scenario needs at least {MIN_DAYS} days"))
    elif (s.end - s.start).days > MAX_DAYS:
        errs.append((("end",), f"{(s.end - s.start).days} days after start: at most {MAX_DAYS} (ten years; "
                     "the rules are grounded on crises of weeks to three years)"))
    for field in ("start", "end"):
        d = getattr(s, field)
        if not EARLIEST <= d <= LATEST:
            errs.append(((field,), f"{d} is outside {EARLIEST.year}-{LATEST.year}"))
    errs.extend(_semantics(s))
    errs.extend(_too_big(s, ()))
    for field in ("focus",):
        v = getattr(s, field)
        if v is not None and v not in states:
            errs.append(((field,), f"'{v}' is not a state of this scenario"))
    if s.focus_bloc is not None and s.focus_bloc not in blocs:
        errs.append((("focus_bloc",), f"'{s.focus_bloc}' is not a bloc of this scenario"))
    errs.extend(_observed(s, states, blocs))
    if any(ord(c) < 32 or ord(c) == 127 for c in s.name):  # it names the default output directory and files
        errs.append((("name",), f"{s.name!r}: a control character (a newline, a tab, a NUL ...) in the name"))
    if len(s.parameters.accord.activity) != len(AccordStatus):
        errs.append((("parameters", "accord", "activity"),
                     f"needs {len(AccordStatus)} values, one per status"))
    sp = s.parameters.support
    for field in ("rung_cost", "war_risk"):
        if len(getattr(sp, field)) != len(Rung) - 1:
            errs.append((("parameters", "support", field), f"needs {len(Rung) - 1} values, one per rung above 0"))
    return errs


def _observed(s: Scenario, states: set[str], blocs: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """An episode's ``observed:`` block against its scenario (sim.history.episodes repeats these checks
    without the lines; here the loader gives each its file and line)."""
    obs = s.observed
    if obs is None:
        return []
    errs: list[tuple[tuple[Any, ...], str]] = []
    if obs.target not in states:
        errs.append((("observed", "target"), f"'{obs.target}' is not a state of this scenario"))
    if obs.bloc not in blocs:
        errs.append((("observed", "bloc"), f"'{obs.bloc}' is not a bloc of this scenario"))
    if s.focus is not None and s.focus != obs.target:
        errs.append((("focus",), f"'{s.focus}' differs from observed.target '{obs.target}'"))
    if s.focus_bloc is not None and s.focus_bloc != obs.bloc:
        errs.append((("focus_bloc",), f"'{s.focus_bloc}' differs from observed.bloc '{obs.bloc}'"))
    if obs.force_used and obs.max_rung != Rung.INTERVENTION:
        errs.append((("observed", "max_rung"), f"force was used, so the highest rung is {int(Rung.INTERVENTION)}"))
    if not obs.force_used and obs.max_rung == Rung.INTERVENTION:
        errs.append((("observed", "force_used"), f"max_rung {int(Rung.INTERVENTION)} means force was used"))
    return errs


_POWER_EVENTS = {"withdrawal": "state", "deploy": "state"}
_GROUP_EVENTS = {"offensive", "accord_end"}


def _security_references(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Armed groups, external powers and bloc patrons must name states and powers of the scenario."""
    errs: list[tuple[tuple[Any, ...], str]] = []
    states, powers = set(s.states), set(s.external_powers)
    for gid, g in s.armed_groups.items():
        for field in ("strength", "capacity"):
            for sid in getattr(g, field):
                if sid not in states:
                    errs.append((("armed_groups", gid, field, sid), f"'{sid}' is not a state"))
        if g.accord is not None and g.accord.state not in states:
            errs.append((("armed_groups", gid, "accord", "state"), f"'{g.accord.state}' is not a state"))
        if g.accord is not None and g.kind is not GroupKind.SEPARATIST:
            errs.append((("armed_groups", gid, "accord"), "only a separatist group has an accord"))
    for pid, pw in s.external_powers.items():
        for field in ("troops",):
            for sid in getattr(pw, field):
                if sid not in states:
                    errs.append((("external_powers", pid, field, sid), f"'{sid}' is not a state"))
        for field in ("patron_for", "revoked_by"):
            for i, sid in enumerate(getattr(pw, field)):
                if sid not in states:
                    errs.append((("external_powers", pid, field, i), f"'{sid}' is not a state"))
    for bid, b in s.blocs.items():
        for i, other in enumerate(b.alternative_to):
            if other not in s.blocs or other == bid:
                errs.append((("blocs", bid, "alternative_to", i), f"'{other}' is not another bloc"))
        for i, pid in enumerate(b.patrons):
            if pid not in powers:
                errs.append((("blocs", bid, "patrons", i), f"'{pid}' is not an external power"))
    ids = [("states", states), ("blocs", set(s.blocs)), ("armed_groups", set(s.armed_groups)),
           ("external_powers", powers)]
    seen: dict[str, str] = {}
    for section, names in ids:
        for n in sorted(names):
            if n in seen:
                errs.append(((section, n), f"id '{n}' is also used in {seen[n]}"))
            seen[n] = section
    return errs


def _security_event_references(eid: str, e: EventSpec, states: set[str], groups: set[str],
                               powers: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    errs: list[tuple[tuple[Any, ...], str]] = []
    actors = e.actors()
    if e.kind in _POWER_EVENTS:
        for a in actors:
            if a not in powers:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs an external power"))
        if e.target not in states:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs a host state as target"))
        if e.kind == "deploy" and not isinstance(e.value, int | float):
            errs.append((("events", eid, "value"), "a 'deploy' event needs the number of troops as value"))
        if e.kind == "withdrawal" and e.value is not None and not isinstance(e.value, int | float):
            errs.append((("events", eid, "value"), "a 'withdrawal' event's value is the weeks it takes"))
    elif e.kind == "rename":
        for a in actors:
            if a not in powers | groups:
                errs.append((("events", eid, "actor"), "a 'rename' event needs a power or armed group"))
        if not isinstance(e.value, str):
            errs.append((("events", eid, "value"), "a 'rename' event needs the new name as value"))
    elif e.kind in _GROUP_EVENTS:
        for a in actors:
            if a not in states:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs a state as actor"))
        if e.target not in groups:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs an armed group as target"))
    elif e.kind in ("coup", "refusal_to_cede_power", "set", "declaration", "exit_notice"):
        for a in actors:
            if a not in states:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs a state as actor"))
    return errs


# What a clause of each kind may oblige its parties to, and which triggers set it off (from the model:
# sim.treaties reads collective-defence clauses at attacks (assist) and at terrorism or rebellion
# (consult), democratic-order clauses at coups and refusals, non-aggression at attacks, exit clauses never).
_OBLIGATIONS = {
    ClauseKind.COLLECTIVE_DEFENCE: {Obligation.ASSIST, Obligation.CONSULT},
    ClauseKind.DEMOCRATIC_ORDER: {Obligation.LADDER},
    ClauseKind.NON_AGGRESSION: {Obligation.REFRAIN},
    ClauseKind.EXIT: {Obligation.LEAVE},
}
_TRIGGERS = {
    (ClauseKind.COLLECTIVE_DEFENCE, Obligation.ASSIST): {TriggerEvent.ATTACK, TriggerEvent.REBELLION,
                                                         TriggerEvent.TERRORISM},
    (ClauseKind.COLLECTIVE_DEFENCE, Obligation.CONSULT): {TriggerEvent.REBELLION, TriggerEvent.TERRORISM},
    (ClauseKind.DEMOCRATIC_ORDER, Obligation.LADDER): {TriggerEvent.COUP, TriggerEvent.REFUSAL_TO_CEDE},
    (ClauseKind.NON_AGGRESSION, Obligation.REFRAIN): {TriggerEvent.ATTACK},
    (ClauseKind.EXIT, Obligation.LEAVE): set(),
}


def _clause_fit(loc: tuple[Any, ...], c: ClauseSpec) -> list[tuple[tuple[Any, ...], str]]:
    """A clause's kind, obligation, trigger and means must fit together."""
    errs: list[tuple[tuple[Any, ...], str]] = []
    allowed = _OBLIGATIONS[c.kind]
    if c.obligation not in allowed:
        errs.append(((*loc, "obligation"), f"a {c.kind.value} clause obliges to "
                     f"{' or '.join(sorted(o.value for o in allowed))}, not {c.obligation.value}"))
        return errs
    triggers = _TRIGGERS[(c.kind, c.obligation)]
    if not triggers and c.trigger is not None:
        errs.append(((*loc, "trigger"), f"a {c.kind.value} clause has no trigger"))
    elif triggers and c.kind is not ClauseKind.NON_AGGRESSION and c.trigger is None:
        errs.append(((*loc, "trigger"), f"a {c.kind.value} clause ({c.obligation.value}) needs a trigger: "
                     f"{', '.join(sorted(t.value for t in triggers))}"))
    elif c.trigger is not None:
        if not c.trigger.event:
            errs.append(((*loc, "trigger", "event"), "names no event"))
        for i, ev in enumerate(c.trigger.event):
            if ev not in triggers:
                errs.append(((*loc, "trigger", "event", i), f"a {c.kind.value} clause ({c.obligation.value}) "
                             f"is set off by {', '.join(sorted(t.value for t in triggers))}, not {ev.value}"))
    if not c.means:
        errs.append(((*loc, "means"), "names no means (diplomatic at least)"))
    if c.obligation is Obligation.ASSIST and not {Means.LOGISTICS, Means.ARMED_FORCE} & set(c.means):
        errs.append(((*loc, "means"), "an assist obligation needs logistics or armed_force among its means"))
    if c.obligation is Obligation.LADDER and c.max_rung >= Rung.STANDBY and Means.ARMED_FORCE not in c.means:
        errs.append(((*loc, "max_rung"), f"rung {int(c.max_rung)} ({c.max_rung.name.lower()}) needs armed_force "
                     "among the clause's means"))
    return errs


_SETTABLE = {n for n, f in StateSpec.model_fields.items() if n not in ("borders", "source", "name", "lon", "lat")}


def _set_value(e: EventSpec) -> str | None:
    """Why a ``set`` event's value does not fit its field (checked as the field itself is), or None."""
    if e.value is None:
        return "a 'set' event needs a value"
    try:
        StateSpec.model_validate({"name": "check", str(e.field): e.value})
    except ValidationError as err:
        return f"{e.value!r} does not fit states.*.{e.field}: {err.errors()[0]['msg']}"
    return None


def _semantics(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Values that are each valid but mean nothing together, and values the model cannot run with."""
    errs: list[tuple[tuple[Any, ...], str]] = []
    if not s.states:
        errs.append((("states",), "a scenario needs at least one state"))
    for tid, t in s.treaties.items():
        for cid, c in t.clauses.items():
            errs.extend(_clause_fit(("treaties", tid, "clauses", cid), c))
    for eid, e in s.events.items():
        if not e.actors():
            errs.append((("events", eid, "actor"), "names no actor"))
        if e.kind == "set":
            if e.field in _SETTABLE:
                why = _set_value(e)
                if why:
                    errs.append((("events", eid, "value"), why))
            elif e.field is not None and e.field in StateSpec.model_fields:
                errs.append((("events", eid, "field"), f"'{e.field}' cannot change during a run; one of "
                             f"{', '.join(sorted(_SETTABLE))}"))
        elif e.field is not None:
            errs.append((("events", eid, "field"), f"only a 'set' event has a field, not a '{e.kind}' event"))
        if e.kind in ("deploy", "withdrawal") and isinstance(e.value, int | float) and (
                e.value < 0 or e.value != int(e.value)):
            what = "troops" if e.kind == "deploy" else "weeks"
            errs.append((("events", eid, "value"), f"{e.value}: must be a whole, non-negative number of {what}"))
    sp = s.parameters.support
    for i, p in enumerate(sp.war_risk):
        if not 0 <= p <= 1:
            errs.append((("parameters", "support", "war_risk", i), f"{p} is a probability: must be in [0, 1]"))
    for i, a in enumerate(s.parameters.accord.activity):
        if a < 0:
            errs.append((("parameters", "accord", "activity", i), f"{a}: a multiplier must not be negative"))
    return errs


def _too_big(node: object, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """Whole numbers (persons, weeks) beyond :data:`MAX_COUNT`, anywhere in the scenario."""
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        return [e for k in type(node).model_fields for e in _too_big(getattr(node, k), (*loc, k))]
    if isinstance(node, dict):
        return [e for k, v in node.items() for e in _too_big(v, (*loc, k))]
    if isinstance(node, list):
        return [e for i, v in enumerate(node) for e in _too_big(v, (*loc, i))]
    if isinstance(node, int) and not isinstance(node, bool) and abs(node) > MAX_COUNT:
        return [(loc, f"{node:,}: more than {MAX_COUNT:,} (more than any army, group or horizon)")]
    return []
