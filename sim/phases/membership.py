"""Phase 10, membership: grievance against a bloc moves; members with something to resent or an
alternative may give notice, jointly with the partners of their alternative bloc (the AES states
announced their exit together; :mod:`sim.rules.membership`); notices come due; a bloc below its
minimum membership dissolves."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import LogKind, Rung
from sim.rules.membership import ExitInputs, GrievanceSources, decide_exit, grievance_week
from sim.scenario.parameters import ModelParams
from sim.world import Crisis, World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Exit notices (``rng``: the membership generator), then the exits that fall due."""
    _notices(world, params, rng)
    due = [e for e in world.pending_exits if e[0] <= world.week]
    world.pending_exits = [e for e in world.pending_exits if e[0] > world.week]
    for _w, sid, bid, ref in due:
        bloc = world.blocs[bid]
        if not bloc.is_member(sid):
            continue
        bloc.remove(sid)
        world.pending_notice.discard((sid, bid))
        world.membership_changed()
        world.exits.append((world.week, sid, bid))
        world.say(LogKind.EXIT, sid, bid, ref, f"{world.name(sid)} leaves {bloc.name}.")
        if bloc.exists and len(bloc.members) < bloc.spec.min_members:
            bloc.exists = False
            bloc.dissolved_week = world.week
            world.treaties.drop_bloc(bid)
            world.membership_changed()
            world.say(LogKind.DISSOLUTION, bid, "", "rule:min_members", f"{bloc.name} falls below "
                      f"{bloc.spec.min_members} members and dissolves.")


def grievance_sources(world: World, sid: str, bid: str, partners: list[str],
                      crises: list[Crisis]) -> GrievanceSources:
    """What ``sid`` may resent in ``bid``: its measures against ``sid`` and against ``partners`` (the
    other members of its alternative bloc), and a patron of the bloc that ``sid`` sent away."""
    bloc = world.blocs[bid]
    own_s = own_t = part_s = part_t = 0.0
    susp = 1.0 if sid in bloc.suspended else 0.0
    for c in crises:
        if c.target == sid:
            own_s = max(own_s, float(c.rung >= Rung.SANCTIONS))
            own_t = max(own_t, float(c.rung >= Rung.ULTIMATUM))
            susp = max(susp, float(c.rung >= Rung.SUSPEND))
        elif c.target in partners:
            part_s = max(part_s, float(c.rung >= Rung.SANCTIONS))
            part_t = max(part_t, float(c.rung >= Rung.ULTIMATUM))
    sent_away = float(any(sid in world.powers[p].revoked_by for p in bloc.spec.patrons if p in world.powers))
    return GrievanceSources(own_s, own_t, susp, part_s, part_t, sent_away)


def _notices(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    mp = params.membership
    zero = GrievanceSources()
    hosting: dict[str, set[str]] | None = None  # power -> hosts, built once a week if needed
    for bid, bloc in world.blocs.items():
        ec = world.treaties.exit_clause(bid)
        if ec is None or not bloc.exists:
            continue
        crises = [c for c in world.crises.values() if c.bloc == bid and c.closed_week is None]
        if not crises and not bloc.suspended and not bloc.spec.patrons and bid not in world.alternatives_to \
                and bid not in world.grieved:
            continue  # nobody can resent this bloc or leave it for another (the AES itself)
        targets = {c.target for c in crises}
        patrons = [world.powers[p] for p in bloc.spec.patrons if p in world.powers]
        units: dict[str, list[tuple[str, bool]]] = {}
        # Only members with something to resent or an alternative can change; the rest stay at 0.
        alt_members = world.alt_members(bid)
        revokers = {s for pw in patrons for s in pw.revoked_by}
        outside: set[str] = set()
        if patrons:
            if hosting is None:
                hosting = {p: set(pw.hosts()) for p, pw in world.powers.items()}
            outside = {h for p, hs in hosting.items() if p not in bloc.spec.patrons for h in hs}
        for sid in bloc.members:
            key = (sid, bid)
            if sid not in targets and sid not in bloc.suspended and sid not in alt_members \
                    and sid not in revokers and sid not in outside and key not in world.grievance:
                continue
            alt = world.alternative_bloc(sid, bid)
            g0 = world.grievance.get(key, 0.0)
            if alt is None and sid not in targets and sid not in bloc.suspended and g0 == 0.0 \
                    and not any(sid in pw.revoked_by for pw in patrons):
                src = zero  # nothing to resent: skip the bookkeeping
            else:
                partners = [m for m in world.blocs[alt].members if m != sid] if alt is not None else []
                src = grievance_sources(world, sid, bid, partners, crises)
            g = grievance_week(g0, src, mp) if src is not zero else 0.0
            world.grievance[key] = g
            world.grieved.add(bid)
            if (sid, bid) in world.pending_notice:
                continue
            has_alt = alt is not None or sid in outside
            if not has_alt and g <= 0.0:
                continue
            units.setdefault(alt or f"self:{sid}", []).append((sid, has_alt))
        for unit, who in units.items():
            g = sum(world.grievance[(s, bid)] for s, _ in who) / len(who)
            has_alt = any(h for _, h in who)
            go, pr = decide_exit(ExitInputs(g, has_alt), mp, rng)
            if not go:
                continue
            notice = ec.spec.notice_weeks
            names = [s for s, _ in who]
            for s in names:
                actions.give_notice(world, s, bid, notice, ec.ref)
            joint = "" if unit.startswith("self:") else f" together, as members of the {world.name(unit)},"
            who_ = [world.name(s) for s in names]
            who_txt = who_[0] if len(who_) == 1 else ", ".join(who_[:-1]) + " and " + who_[-1]
            verb = "gives" if len(who_) == 1 else "give"
            world.say(LogKind.EXIT_NOTICE, ",".join(names), bid, f"{ec.ref}/rule:membership",
                      f"{who_txt}{joint} {verb} notice to leave "
                      f"{bloc.name} (grievance {g:.2f}, weekly chance {pr:.1%}); it takes effect in "
                      f"{notice} weeks.", grievance=g, probability=pr, notice_weeks=notice,
                      alternative=has_alt)
