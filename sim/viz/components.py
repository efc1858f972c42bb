"""The page's panels: lesson and clock, map, alliance network, escalation ladder, forces, event feed.

This module reads the model (the ``*_signature`` functions) and lays out the Solara components; the
pictures are drawn by :mod:`sim.viz.map_svg`, :mod:`sim.viz.network_svg`, :mod:`sim.viz.forces_svg` and
:mod:`sim.viz.text_panels` in the colours of :mod:`sim.palette` (those of the paper figures).

Each panel is a Solara component of the model that re-renders when Mesa's ``update_counter`` moves
(after a step or a reset). Figures are drawn by pure functions of a small hashable *signature* of the
model's state (``*_signature`` below) and cached by it, so a panel whose picture did not change this
week costs a dictionary look-up; the benchmark (``benchmarks/bench_viz.py``) measures both that and
the worst case with every figure drawn afresh.

The panels only read the model's World (``states``, ``blocs``, ``crises``, ``wars``, ``treaties``,
``log.rows``) and its recorder; they never change them.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from typing import TYPE_CHECKING, Any, cast

import solara
from mesa.visualization.utils import update_counter

from sim.enums import ClauseKind, Obligation, Rung, TriggerEvent
from sim.palette import RUNG_COLORS
from sim.viz.forces_svg import forces_svg
from sim.viz.map_svg import POSTURES, render_map
from sim.viz.network_svg import render_network
from sim.viz.text_panels import RUNG_SHORT, feed_html, ladder_html

if TYPE_CHECKING:
    from sim.model import LiptakoModel
    from sim.world import World

__all__ = [
    "COMPONENTS",
    "POSTURES",
    "RUNG_COLORS",
    "RUNG_SHORT",
    "EventFeed",
    "ForcesPanel",
    "LadderPanel",
    "LessonPanel",
    "MapPanel",
    "NetworkPanel",
    "clear_figure_cache",
    "feed_html",
    "forces_signature",
    "forces_svg",
    "ladder_html",
    "ladder_signature",
    "map_signature",
    "network_signature",
    "postures",
    "render_map",
    "render_network",
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


def map_signature(m: World) -> tuple[tuple[str, str, str], ...]:
    """(state, regime, posture) for every state: all the map depends on."""
    p = postures(m)
    return tuple((sid, str(s.regime.value), p.get(sid, "")) for sid, s in sorted(m.states.items()))


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


def _date_text(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


# --- the components -------------------------------------------------------------------------------------


@solara.component
def LessonPanel(model: LiptakoModel) -> solara.Element:
    """The week and date in large type, the lesson's text and questions, and what the switches did."""
    update_counter.get()
    m = model
    w = m.world
    entry = getattr(m, "entry", None)
    lesson = entry.lesson if entry is not None else m.spec.lesson
    title = lesson.title if lesson is not None else m.spec.name
    text = lesson.text if lesson is not None else m.spec.description
    questions = lesson.questions if lesson is not None else []
    applied = getattr(m, "applied", None)
    notes = (applied.changed + applied.no_effect) if applied is not None else []
    end = "" if m.running else " · the scenario has ended"
    parts = [
        f'<div class="liptako-clock" style="font-size:26px;font-weight:600;line-height:1.2">Week {w.week}'
        f' <span style="font-weight:400;color:#555">of {w.n_weeks}</span></div>',
        f'<div class="liptako-date" style="font-size:18px;color:#333">{_date_text(w.date)}{end}</div>',
        f'<h3 style="margin:10px 0 4px 0">{html.escape(title)}</h3>',
        f'<p style="margin:0 0 6px 0">{html.escape(text)}</p>',
    ]
    if questions:
        parts.append("<b>Ask the class</b><ol style='margin:2px 0 6px 18px;padding:0'>"
                     + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ol>")
    parts.append(f'<div style="font-size:12px;color:#555">Seed {m.seed}. '
                 + (" ".join(html.escape(n) for n in notes) if notes else "No counterfactual switch is on.")
                 + " Change the lesson or a switch in the sidebar, then press RESET.</div>")
    with solara.Card(style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML="".join(parts))
    return card


@solara.component
def MapPanel(model: LiptakoModel) -> solara.Element:
    """The region: fill = regime, outline and hatching = posture in the crises of the moment."""
    update_counter.get()
    with solara.Card("Map: regime and posture", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=render_map(map_signature(model.world)), classes=["liptako-map"])
    return card


@solara.component
def NetworkPanel(model: LiptakoModel) -> solara.Element:
    """Blocs, memberships, defence pacts and promises, and each bloc's measures against its targets."""
    update_counter.get()
    with solara.Card("Alliances and memberships", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=render_network(network_signature(model.world)),
                    classes=["liptako-network"])
    return card


@solara.component
def LadderPanel(model: LiptakoModel) -> solara.Element:
    """Each bloc's rung on the escalation ladder toward each target."""
    update_counter.get()
    with solara.Card("Escalation ladder", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=ladder_html(ladder_signature(model.world)),
                    classes=["liptako-ladder"])
    return card


@solara.component
def ForcesPanel(model: LiptakoModel) -> solara.Element:
    """Forces and armed-group strength over time."""
    update_counter.get()
    with solara.Card("Forces over time", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=forces_svg(forces_signature(model)))
    return card


@solara.component
def EventFeed(model: LiptakoModel) -> solara.Element:
    """What happened, in plain language, with the clause or rule behind each event."""
    update_counter.get()
    with solara.Card("What happened", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=feed_html(model.world.log.rows), classes=["liptako-feed"])
    return card


# (component, page) pairs in the order SolaraViz lays them out: two columns, top to bottom.
COMPONENTS = [(LessonPanel, 0), (MapPanel, 0), (LadderPanel, 0), (NetworkPanel, 0), (EventFeed, 0),
              (ForcesPanel, 0)]
