"""The instructor's page: a lesson's model with only the instructor's controls, and its panels.

Run it with ``python run.py serve`` (or ``solara run sim.viz.app``). The sidebar holds the lesson picker
(by title), the counterfactual switches (with their values), the chance draw, Reset (which applies them),
Play/Pause, Step, the speed, and the exports. Mesa's developer controls (SolaraViz's page tabs, threads,
render interval) are not used: the page drives the model itself, one model per browser tab. The panels
(:mod:`sim.viz.panels`) sit in a grid that takes two columns at 1280 px and three at 1920 px.
"""

from __future__ import annotations

import time
from typing import Any

import solara
from mesa.visualization.utils import update_counter

from sim.viz.classroom import DEFAULT_SEED, ClassroomModel
from sim.viz.export import ExportPng, events_csv, export_name
from sim.viz.lessons import ART6_CHOICES, AS_IN_LESSON, NIGERIA_CHOICES, list_lessons, served
from sim.viz.odds import warm_pool
from sim.viz.panels import PANELS

__all__ = ["CSS", "PLAY_INTERVAL_MS", "SPEEDS", "TITLE", "Classroom", "Page", "lesson_titles"]

TITLE = "Liptako: collective defence in the Sahel, week by week"
PLAY_INTERVAL_MS = 400  # default pause between weeks when playing (the speed slider changes it)
SPEEDS = {"slow (1 week a second)": 1000, "normal (2-3 weeks a second)": PLAY_INTERVAL_MS,
          "fast (as fast as it draws)": 50}

# The grid: as many columns of at least 440 px as fit; a panel marked wide spans the row. Cards grow
# with their content; nothing is wider than its card; only the feed scrolls, inside its card.
CSS = """
.liptako-view { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr));
  gap: 12px; padding: 4px; box-sizing: border-box; width: 100%; max-width: 100%; align-items: start; }
.liptako-view .liptako-card { min-width: 0; max-width: 100%; overflow-x: hidden; }
.liptako-view .liptako-card .v-card__title { font-size: 19px; padding: 10px 14px 4px 14px; word-break: normal; }
.liptako-view .liptako-card .v-card__text, .liptako-view .liptako-card > div { max-width: 100%; }
.liptako-view .liptako-wide { grid-column: 1 / -1; }
.liptako-view svg { display: block; max-width: 100%; height: auto; }
.liptako-view .liptako-feed { max-height: 560px; overflow-y: auto; overflow-x: hidden; }
.liptako-view details summary { font-size: 13px; }
.liptako-sidebar .v-input, .liptako-sidebar .v-label { font-size: 15px; }
nav.v-navigation-drawer { min-width: 290px !important; max-width: 320px !important; }
.liptako-view .liptako-map svg, .liptako-view .liptako-network svg, .liptako-view .liptako-forces svg {
  max-width: 640px; margin: 0 auto; }
div:has(> b > a[href="https://solara.dev"]) { display: none !important; }  /* the badge, if not turned off */
"""


def lesson_titles() -> list[str]:
    """The picker's choices: the lessons' titles (plain scenarios, with no lesson text, are not listed)."""
    entries = list_lessons()
    titles = [e.title for e in entries if e.lesson is not None]
    first = [entries[0].title] if served() is not None and entries[0].lesson is None else []  # run.py serve FILE
    return first + titles or [e.title for e in entries]


@solara.component
def Page() -> solara.Element:
    """The page as served: the controls in Solara's sidebar, the panels in the main area."""
    return Classroom(in_sidebar=True)


@solara.component
def Classroom(in_sidebar: bool = True) -> solara.Element:
    """One model per browser tab; Reset rebuilds it from the sidebar's lesson, switches and seed.

    ``in_sidebar=False`` puts the controls above the panels instead (for ``solara.render`` in tests and
    the benchmark, where there is no app layout to hold a sidebar).
    """
    titles = solara.use_memo(lesson_titles, [])
    lesson = solara.use_reactive(titles[0])
    charter = solara.use_reactive(True)
    art6 = solara.use_reactive(AS_IN_LESSON)
    nigeria = solara.use_reactive(AS_IN_LESSON)
    france = solara.use_reactive(False)
    seed = solara.use_reactive(DEFAULT_SEED)
    speed = solara.use_reactive(next(k for k, v in SPEEDS.items() if v == PLAY_INTERVAL_MS))
    playing = solara.use_reactive(False)
    first: ClassroomModel = solara.use_memo(lambda: ClassroomModel(lesson=titles[0]), [])
    model: solara.Reactive[ClassroomModel] = solara.use_reactive(first)
    solara.use_effect(warm_pool, [])
    update_counter.get()

    def settings() -> dict[str, Any]:
        return {"lesson": lesson.value, "charter": charter.value, "art6": art6.value,
                "nigeria": nigeria.value, "france_stays": france.value, "seed": int(seed.value or 0)}

    def pending() -> bool:
        m = model.value
        now = {"lesson": m.entry.title, "charter": m.switches.charter, "seed": m.seed,
               "france_stays": m.switches.france_stays}
        s = settings()
        return (any(s[k] != v for k, v in now.items())
                or ART6_CHOICES[s["art6"]] != m.switches.art6_bindingness
                or NIGERIA_CHOICES[s["nigeria"]] != m.switches.nigeria_constraint)

    def do_step() -> None:
        model.value.step()
        update_counter.value += 1

    def do_reset() -> None:
        playing.value = False
        model.value = ClassroomModel(**settings())
        update_counter.value += 1

    def play_loop() -> None:
        while playing.value and model.value.running:
            time.sleep(SPEEDS[speed.value] / 1000)
            if playing.value:
                do_step()
        playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def controls() -> None:
        with solara.Column(classes=["liptako-sidebar"], gap="6px"):
            with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
                solara.Button("Reset", on_click=do_reset, color="primary" if pending() else None,
                              outlined=not pending())
                if playing.value:
                    solara.Button("Pause", on_click=lambda: playing.set(False), color="primary")
                else:
                    solara.Button("Play", on_click=lambda: playing.set(True), color="primary",
                                  disabled=not model.value.running)
                solara.Button("Step", on_click=do_step, disabled=playing.value or not model.value.running)
            solara.Select("Speed", values=list(SPEEDS), value=speed)
            solara.Markdown("**Lesson and switches** (press Reset to apply)" +
                            (" — *changed, not yet applied*" if pending() else ""))
            solara.Select("Lesson", values=titles, value=lesson)
            solara.Checkbox(label="Liptako-Gourma Charter and the 31 July declaration", value=charter)
            solara.Select("Charter Art. 6: how binding?", values=list(ART6_CHOICES), value=art6)
            solara.Select("Nigeria's domestic constraint on war", values=list(NIGERIA_CHOICES), value=nigeria)
            solara.Checkbox(label="France stays (no withdrawal)", value=france)
            solara.InputInt("Chance draw (seed, any whole number)", value=seed)
            solara.Markdown("**Export**")
            ExportPng(filename=export_name(model.value, "png"))
            solara.FileDownload(lambda: events_csv(model.value), filename=export_name(model.value, "csv"),
                                label="Events as CSV", mime_type="text/csv")

    with solara.Div() as page:
        solara.Title("Liptako: the instructor's page")
        solara.Style(CSS)
        with solara.AppBarTitle():
            solara.Text(TITLE)
        if in_sidebar:
            with solara.Sidebar():
                controls()
        else:
            controls()
        with solara.Div(classes=["liptako-view"]):
            for panel in PANELS:
                panel(model.value)
    return page
