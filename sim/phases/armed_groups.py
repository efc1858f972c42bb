"""Phase 3, armed groups: each group attacks, recruits and takes losses in each state it fights in
(:mod:`sim.rules.insurgency`); each theatre state's threat and stability follow; accords may break
(:mod:`sim.rules.accord`)."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import AccordStatus
from sim.rules.accord import AccordInputs, accord_week
from sim.rules.insurgency import GroupCell, group_week, pressure_ratio, threat_from_deaths
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """One week of every armed group, then the accords (``rng``: the insurgency's own generator)."""
    if not world.groups:
        return
    ip = params.insurgency
    year = world.year()
    theatre = world.theatre
    attacks_week = world.attacks_week = dict.fromkeys(theatre, 0)
    deaths_week = world.deaths_week = dict.fromkeys(theatre, 0)
    jihadist_deaths = world.jihadist_deaths_week = dict.fromkeys(theatre, 0)
    rebel_attacks = world.rebel_attacks_week = dict.fromkeys(theatre, 0)
    act_g = {gid: g.activity() for gid, g in world.groups.items()}
    active: dict[str, float] = dict.fromkeys(theatre, 0.0)
    for g, sid, _ in world.cells:
        active[sid] += g.strength[sid] * act_g[g.gid]
    pressure = world.pressure = world.ci_pressures()
    ratio = {sid: pressure_ratio(pressure[sid], active[sid], ip) for sid in theatre}
    states = world.states
    per_group: dict[str, list[int]] = {gid: [0, 0] for gid in world.groups}
    for g, sid, terrorist in world.cells:
        cell = GroupCell(g.strength[sid], g.capacity[sid], ratio[sid], states[sid].stability, act_g[g.gid],
                         g.lethality)
        attacks, deaths, strength, _, _ = group_week(cell, ip, rng)
        g.strength[sid] = strength
        g.attacks_week[sid] = attacks
        g.deaths_week[sid] = deaths
        tot = per_group[g.gid]
        tot[0] += attacks
        tot[1] += deaths
        attacks_week[sid] += attacks
        deaths_week[sid] += deaths
        if terrorist:
            jihadist_deaths[sid] += deaths
            key = (sid, year)
            world.deaths_state_year[key] = world.deaths_state_year.get(key, 0) + deaths
        else:
            rebel_attacks[sid] += attacks
    for gid, g in world.groups.items():
        a_tot, d_tot = per_group[gid]
        g.attacks_year[year] = g.attacks_year.get(year, 0) + a_tot
        g.deaths_year[year] = g.deaths_year.get(year, 0) + d_tot
    a = ip.threat_smoothing
    for sid in theatre:
        st = states[sid]
        st.smoothed_deaths += a * (deaths_week[sid] - st.smoothed_deaths)
        st.threat = threat_from_deaths(st.smoothed_deaths, ip)
        st.stability = max(0.0, st.stability - ip.stability_cost * st.threat)
    _accords(world, params, rng)


def _accords(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Each accord still standing may strain or collapse; peacekeepers leaving and a recent offensive
    make it likelier."""
    ap = params.accord
    for g in world.groups.values():
        if g.accord_status is None or g.accord_status is AccordStatus.COLLAPSED or g.accord_state is None:
            continue
        host = g.accord_state
        initial = sum(pw.initial.get(host, 0.0) for pw in world.powers.values() if pw.peacekeeping)
        now = sum(pw.troops.get(host, 0.0) for pw in world.powers.values() if pw.peacekeeping)
        gone = 1.0 - now / initial if initial > 0 else 0.0
        recent = g.offensive_week is not None and world.week - g.offensive_week < ap.offensive_weeks
        new, h = accord_week(AccordInputs(g.accord_status, gone, recent), ap, rng)
        if new is not g.accord_status:
            why = (f"weekly hazard {h:.1%} with {gone:.0%} of the peacekeepers gone"
                   + (" and a recent offensive" if recent else ""))
            actions.set_accord(world, g, new, "rule:accord", why)
