"""The page's panels as Solara components: lesson and clock, map, ladder (with its glossary), network,
event feed, forces, and the odds across many runs.

Each panel takes the model and re-renders when Mesa's ``update_counter`` moves (after a step or a
reset); what it shows is read by :mod:`sim.viz.components` and drawn by the drawing modules. Cards grow
with their content (the page scrolls down, never sideways); only the feed scrolls inside its card.
"""

from __future__ import annotations

import html
import threading
import time
from typing import TYPE_CHECKING, Any

import solara
from mesa.visualization.utils import update_counter

from sim.palette import FEED_COLORS, FEED_DEFAULT
from sim.viz.components import (
    feed_rows,
    forces_signature,
    ladder_signature,
    map_signature,
    map_view,
    network_signature,
)
from sim.viz.feed import date_text, feed_html
from sim.viz.forces_svg import forces_svg
from sim.viz.map_svg import render_map
from sim.viz.network_svg import render_network
from sim.viz.odds import COMPARISONS, RUNS_PER_SETTING, Odds, compare, odds_html, pool
from sim.viz.text_panels import glossary_html, ladder_html

if TYPE_CHECKING:
    from sim.viz.classroom import ClassroomModel

__all__ = ["PANELS", "EventFeed", "ForcesPanel", "LadderPanel", "LessonPanel", "MapPanel", "NetworkPanel",
           "OddsPanel", "actors"]


def _card(title: str, cls: str, *, wide: bool = False) -> solara.Element:
    return solara.Card(title, classes=["liptako-card", cls] + (["liptako-wide"] if wide else []), margin=0)


@solara.component
def LessonPanel(model: ClassroomModel) -> solara.Element:
    """The week and date in large type, the lesson's text and questions, and what the switches did."""
    update_counter.get()
    m = model
    w = m.world
    lesson = m.entry.lesson if getattr(m, "entry", None) is not None else m.spec.lesson
    title = lesson.title if lesson is not None else m.spec.name
    text = lesson.text if lesson is not None else m.spec.description
    questions = lesson.questions if lesson is not None else []
    applied = getattr(m, "applied", None)
    notes = (applied.changed + applied.no_effect) if applied is not None else []
    end = "" if m.running else " · the scenario has ended"
    parts = [
        f'<div class="liptako-clock" style="font-size:30px;font-weight:700;line-height:1.2">Week {w.week}'
        f' <span style="font-weight:400;color:#555;font-size:22px">of {w.n_weeks}</span></div>',
        f'<div class="liptako-date" style="font-size:22px;color:#222">{date_text(w.date)}{end}</div>',
        f'<h3 style="margin:10px 0 4px 0;font-size:19px">{html.escape(title)}</h3>',
        f'<p style="margin:0 0 6px 0;font-size:15px">{html.escape(text)}</p>',
    ]
    if questions:
        parts.append("<b>Ask the class</b><ol style='margin:2px 0 6px 20px;padding:0;font-size:15px'>"
                     + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ol>")
    parts.append(f'<div style="font-size:14px;color:#444">Chance draw (seed) {m.seed}. '
                 + (" ".join(html.escape(n) for n in notes) if notes else "No counterfactual switch is on.")
                 + "</div>")
    with _card("", "liptako-lesson") as card:
        solara.HTML(tag="div", unsafe_innerHTML="".join(parts))
    return card


@solara.component
def MapPanel(model: ClassroomModel) -> solara.Element:
    """The lesson's region: fill = regime, outline and hatching = posture in the crises of the moment."""
    update_counter.get()
    with _card("Map: who governs, and who stands where", "liptako-map-card") as card:
        solara.HTML(tag="div", unsafe_innerHTML=render_map(map_signature(model.world), map_view(model)),
                    classes=["liptako-map"])
    return card


@solara.component
def NetworkPanel(model: ClassroomModel) -> solara.Element:
    """Blocs, memberships, defence pacts and promises, and each bloc's measures against its targets."""
    update_counter.get()
    with _card("Alliances and memberships", "liptako-network-card") as card:
        solara.HTML(tag="div", unsafe_innerHTML=render_network(network_signature(model.world)),
                    classes=["liptako-network"])
    return card


def actors(model: ClassroomModel) -> list[tuple[str, str, str]]:
    """The lesson's blocs, foreign powers and armed groups as (id, name, kind) for the glossary."""
    w = model.world
    out = [(bid, b.name, f"a bloc of {len(b.members)} states") for bid, b in w.blocs.items()]
    out += [(pid, getattr(p, "name", pid), "a foreign power with forces in the region")
            for pid, p in model.spec.external_powers.items()]
    out += [(gid, getattr(g, "name", gid), "an armed group") for gid, g in model.spec.armed_groups.items()]
    return out


@solara.component
def LadderPanel(model: ClassroomModel) -> solara.Element:
    """Each bloc's rung on the escalation ladder toward each target, and the glossary one click away."""
    update_counter.get()
    gloss = solara.use_memo(lambda: glossary_html(actors(model)), [model])
    with _card("Escalation ladder", "liptako-ladder-card") as card:
        solara.HTML(tag="div", unsafe_innerHTML=ladder_html(ladder_signature(model.world)),
                    classes=["liptako-ladder"])
        solara.HTML(tag="div", unsafe_innerHTML=gloss)
    return card


@solara.component
def ForcesPanel(model: ClassroomModel) -> solara.Element:
    """Forces and armed-group strength over time."""
    update_counter.get()
    with _card("Forces over time", "liptako-forces-card") as card:
        solara.HTML(tag="div", unsafe_innerHTML=forces_svg(forces_signature(model)), classes=["liptako-forces"])
    return card


@solara.component
def EventFeed(model: ClassroomModel) -> solara.Element:
    """What happened, in plain language, with the clause or rule behind each event."""
    update_counter.get()
    with _card("What happened", "liptako-feed-card") as card:
        solara.HTML(tag="div", unsafe_innerHTML=feed_html(feed_rows(model), FEED_COLORS, FEED_DEFAULT),
                    classes=["liptako-feed"])
    return card


@solara.component
def OddsPanel(model: ClassroomModel) -> solara.Element:
    """The odds across many runs: the page's settings and a second one, run in the background."""
    second = solara.use_reactive(next(iter(COMPARISONS)))
    progress = solara.use_reactive((0, 0))
    started = solara.use_reactive(0.0)
    lock = solara.use_memo(threading.Lock, [])

    key = (model.entry.path.stem, model.switches, model.seed, second.value)  # what the runs are of

    def run() -> tuple[Odds, Odds, float, tuple[Any, ...]]:
        t0 = time.perf_counter()
        with lock:
            a, b = compare(key[0], key[1], key[2], key[3], executor=pool(),
                           progress=lambda d, n: progress.set((d, n)))
        return a, b, time.perf_counter() - t0, key

    task = solara.lab.use_task(run, dependencies=None)
    w = model.world
    focus = model.spec.focus or ""
    bloc = model.spec.focus_bloc or ""
    target_name = w.states[focus].name if focus in w.states else "its target"
    bloc_name = w.blocs[bloc].name if bloc in w.blocs else "the bloc"

    def start() -> None:
        progress.set((0, 2 * RUNS_PER_SETTING))
        started.set(time.time())
        task()

    with _card("How likely? The odds across many runs", "liptako-odds-card", wide=True) as card:
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<div style="font-size:15px">One run is one story. This runs the lesson {RUNS_PER_SETTING} times '
            "as set in the sidebar (lesson, switches, seed) and as many times with one change, in the "
            "background: the page stays usable meanwhile.</div>"))
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Select("Compare with", values=list(COMPARISONS), value=second, style={"max-width": "360px"})
            solara.Button(f"Run {2 * RUNS_PER_SETTING} runs", on_click=start, disabled=task.pending,
                          color="primary", classes=["liptako-odds-run"])
        if task.pending:
            done, total = progress.value
            solara.ProgressLinear(100 * done / total if total else True, classes=["liptako-odds-progress"])
            solara.HTML(tag="div", unsafe_innerHTML=f'<span class="liptako-odds-status">{done} of {total} runs '
                        "done</span>")
        elif task.error:
            solara.Error(f"The runs failed: {task.exception}")
        elif task.finished and task.value is not None:
            a, b, secs, done_key = task.value
            stale = ("" if done_key == key else '<div class="liptako-odds-stale" style="color:#b00;font-size:14px">'
                     "These runs are of the settings before the last Reset or change: press Run again.</div>")
            solara.HTML(tag="div", unsafe_innerHTML=stale + odds_html(a, b, bloc_name, target_name)
                        + f'<div class="liptako-odds-status" style="font-size:13px;color:#555">'
                        f'{a.runs + b.runs} runs in {secs:.1f} s.</div>')
    return card


PANELS: list[Any] = [LessonPanel, MapPanel, LadderPanel, NetworkPanel, EventFeed, ForcesPanel, OddsPanel]
