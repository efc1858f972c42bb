"""The checks a single field cannot make: every id a scenario names must be one it defines (a bloc's
members, a treaty's bloc, an event's actor and target...), dates in range, one value per rung or status.

:func:`cross_references` returns ``(location, message)`` pairs; the loader adds file and line.
"""

from __future__ import annotations

from typing import Any

from sim.enums import AccordStatus, GroupKind, Rung
from sim.scenario.spec import EventSpec, Scenario, StateSpec

__all__ = ["cross_references"]


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
    for field in ("focus",):
        v = getattr(s, field)
        if v is not None and v not in states:
            errs.append(((field,), f"'{v}' is not a state of this scenario"))
    if s.focus_bloc is not None and s.focus_bloc not in blocs:
        errs.append((("focus_bloc",), f"'{s.focus_bloc}' is not a bloc of this scenario"))
    if len(s.parameters.accord.activity) != len(AccordStatus):
        errs.append((("parameters", "accord", "activity"),
                     f"needs {len(AccordStatus)} values, one per status"))
    sp = s.parameters.support
    for field in ("rung_cost", "war_risk"):
        if len(getattr(sp, field)) != len(Rung) - 1:
            errs.append((("parameters", "support", field), f"needs {len(Rung) - 1} values, one per rung above 0"))
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
