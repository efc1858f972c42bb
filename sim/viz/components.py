"""What the page's panels read of the model: a small hashable signature per panel, and the feed's rows.

The Solara panels (:mod:`sim.viz.panels`) call these; the pictures are drawn by :mod:`sim.viz.map_svg`,
:mod:`sim.viz.network_svg`, :mod:`sim.viz.forces_svg`, :mod:`sim.viz.text_panels` and :mod:`sim.viz.feed`
in the colours of :mod:`sim.palette`. Figures are drawn by pure functions of a small hashable *signature* of the
model's state (``*_signature`` below) and cached by it, so a panel whose picture did not change this
week costs a dictionary look-up; the benchmark (``benchmarks/bench_viz.py``) measures both that and
the worst case with every figure drawn afresh.

The panels only read the model's World (``states``, ``blocs``, ``crises``, ``wars``, ``treaties``,
``log.rows``) and its recorder; they never change them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from sim.enums import ClauseKind, Obligation, Rung, TriggerEvent
from sim.viz.feed import FeedEntry, feed_entries
from sim.viz.forces_svg import forces_svg
from sim.viz.map_svg import POSTURES, View, region_view, render_map
from sim.viz.network_svg import render_network

if TYPE_CHECKING:
    from sim.model import LiptakoModel
    from sim.world import World

__all__ = [
    "FORCE_VARIABLES",
    "clear_figure_cache",
    "feed_rows",
    "forces_signature",
    "ladder_signature",
    "lesson_states",
    "map_signature",
    "map_view",
    "network_signature",
    "postures",
]

# Timeline variables of the forces panel (sim.metrics): persons abroad, foreign troops, personnel, fighters.
FORCE_VARIABLES = ("deployed", "troops", "personnel", "group_strength")


# --- what the panels show, as plain data ------------------------------------------------------------


def _open_crises(m: World) -> list[Any]:
    return [c for c in m.crises.values() if c.closed_week is None]


def postures(m: World) -> dict[str, str]:
    """Each state's posture toward the crises of the moment (states with none are left out).

    target: a bloc holds a rung >= 1 against it (or attacks it); intervening: it pledged troops to a
    standby force, or fights as an attacker; defending: a clause or declaration commits it to defend a
    target, or it fights on the target's side; sanctioning: an active member of a bloc holding
    sanctions or more against a target. The strongest posture wins.
    """
    rank = {k: i for i, k in enumerate(POSTURES)}
    out: dict[str, str] = {}

    def put(sid: str, p: str) -> None:
        if sid in m.states and (sid not in out or rank[p] < rank[out[sid]]):
            out[sid] = p

    members = m.members()
    for c in _open_crises(m):
        if c.rung < Rung.CONDEMN:
            continue
        put(c.target, "target")
        bloc = m.blocs[c.bloc]
        attackers = set(bloc.active_members())
        if c.rung >= Rung.STANDBY:
            for s in c.pledgers:
                put(s, "intervening")
        for cm in m.treaties.commitments_to(c.target, members, TriggerEvent.ATTACK, attackers):
            if cm.ally not in attackers:
                put(cm.ally, "defending")
        if c.rung >= Rung.SANCTIONS:
            for s in attackers:
                if s != c.target and not m.treaties.refrains(s, c.target, members):
                    put(s, "sanctioning")
    for w in m.wars:
        if w.ended_week is None:
            put(w.target, "target")
            for s in w.attackers:
                put(s, "intervening")
            for s in w.defenders:
                if s != w.target:
                    put(s, "defending")
    return out


def map_signature(m: World) -> tuple[tuple[str, str, str, str], ...]:
    """(state, name, regime, posture) for every state: all the map depends on (with the lesson's view)."""
    p = postures(m)
    return tuple((sid, s.name, str(s.regime.value), p.get(sid, "")) for sid, s in sorted(m.states.items()))


def lesson_states(spec: Any) -> list[str]:
    """The states a lesson is about: its focus and the states its scheduled events name (the map's region)."""
    out = [spec.focus] if getattr(spec, "focus", None) in spec.states else []
    for ev in spec.events.values():
        actors = ev.actor if isinstance(ev.actor, list) else [ev.actor]
        for sid in [*actors, getattr(ev, "target", None)]:
            if sid in spec.states and sid not in out:
                out.append(sid)
    return out


def map_view(m: LiptakoModel) -> View:
    """The lesson's region on the map (computed once per model)."""
    view = getattr(m, "_map_view", None)
    if view is None:
        view = region_view(lesson_states(m.spec))
        m._map_view = view  # type: ignore[attr-defined]
    return cast(View, view)


def feed_rows(m: LiptakoModel) -> list[FeedEntry]:
    """The log in plain language, read once per row (the log only grows)."""
    cache: list[FeedEntry] = m.__dict__.setdefault("_feed_cache", [])
    rows = m.world.log.rows
    if len(cache) > len(rows):
        cache.clear()
    if len(cache) < len(rows):
        names = {sid: s.name for sid, s in m.world.states.items()}
        cache.extend(feed_entries(rows[len(cache):], m.spec.treaties, names))
    return cache


def network_signature(m: World) -> tuple[Any, ...]:
    """Nodes (states with positions and regimes, blocs with members) and the links between them."""
    states = tuple((sid, s.name, str(s.regime.value), s.spec.lon, s.spec.lat) for sid, s in m.states.items())
    blocs = tuple((bid, b.name, tuple(b.members), tuple(sorted(b.suspended)))
                  for bid, b in m.blocs.items() if b.exists)
    members = m.members()
    pacts = []  # mutual-defence clauses in force among a small bloc's members (e.g. charter Art. 6)
    for ac in m.treaties.clauses(ClauseKind.COLLECTIVE_DEFENCE):
        parties = members.get(ac.bloc, [])
        if ac.spec.obligation is Obligation.ASSIST and 1 < len(parties) <= 6:
            pacts.append((ac.bloc, ac.spec.article or ac.ref, tuple(parties), round(ac.spec.bindingness, 2)))
    promises = []  # commitments to defend a current target
    crises = []
    for c in _open_crises(m):
        crises.append((c.bloc, c.target, int(c.rung)))
        attackers = set(m.blocs[c.bloc].active_members())
        for cm in m.treaties.commitments_to(c.target, members, TriggerEvent.ATTACK, attackers):
            if cm.ally not in attackers:
                promises.append((cm.ally, cm.protected, round(cm.bindingness, 2)))
    wars = tuple((w.bloc, w.target, tuple(sorted(w.attackers)), tuple(sorted(w.defenders)))
                 for w in m.wars if w.ended_week is None)
    return (states, blocs, tuple(pacts), tuple(sorted(set(promises))), tuple(crises), wars)


def ladder_signature(m: World) -> tuple[tuple[str, str, int, int, int | None], ...]:
    """(bloc, target, rung, highest rung, week closed) for every crisis, in the order they opened."""
    return tuple((m.name(c.bloc), m.name(c.target), int(c.rung), int(c.max_rung), c.closed_week)
                 for c in m.crises.values())


def forces_signature(m: LiptakoModel) -> tuple[Any, ...]:
    """The week axis's end, then weekly series from the model's timeline: troops each state has abroad,
    troops of each external power in the region, personnel of states that lost any, and each armed
    group's fighters (summed over the states it fights in). Series that stay at zero (or, for personnel,
    never change) are left out."""
    df = m.recorder.frame()
    df = df[df["variable"].isin(FORCE_VARIABLES)]
    out: dict[str, list[tuple[str, tuple[tuple[int, float], ...]]]] = {v: [] for v in FORCE_VARIABLES}
    if len(df):
        sums = df.groupby(["variable", "actor", "week"], sort=True)["value"].sum()
        for key, series in sums.groupby(level=[0, 1], sort=True):
            var, actor = (str(k) for k in cast(tuple[Any, Any], key))
            vals = series.to_numpy(dtype=float)
            if (var == "personnel" and vals.max() > vals.min()) or (var != "personnel" and vals.max() > 0):
                weeks = series.index.get_level_values(2).to_numpy()
                pts = tuple(zip(weeks.tolist(), vals.round(1).tolist(), strict=True))
                out[var].append((m.world.name(actor), pts))
    # The week axis grows with the run, a quarter (13 weeks) at a time, up to the scenario's end.
    x_max = min(m.world.n_weeks, max(26, 13 * math.ceil(m.world.week / 13)))
    return (x_max, *(tuple(out[v]) for v in FORCE_VARIABLES))


def clear_figure_cache() -> None:
    """Forget every drawn figure (the benchmark's worst case)."""
    render_map.cache_clear()
    render_network.cache_clear()
    forces_svg.cache_clear()
