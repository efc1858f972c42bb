"""The instructor's page: Mesa's SolaraViz around a lesson's model.

Run it with ``python run.py serve`` (or ``solara run sim.viz.app``). The sidebar holds Mesa's controls
(Reset, play/pause, Step, the play interval that sets the speed) and the lesson picker with the
counterfactual switches and the seed, which take effect on Reset. Every browser tab gets its own model.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import SolaraViz

from sim.viz.classroom import DEFAULT_SEED, ClassroomModel
from sim.viz.components import COMPONENTS
from sim.viz.lessons import ART6_CHOICES, AS_IN_LESSON, NIGERIA_CHOICES, list_lessons

__all__ = ["PLAY_INTERVAL_MS", "TITLE", "Page", "model_params"]

TITLE = "Liptako: collective defence in the Sahel, week by week"
PLAY_INTERVAL_MS = 400  # default pause between weeks when playing (the sidebar slider changes it)


def model_params() -> dict[str, Any]:
    """The sidebar's inputs, in Mesa's ``model_params`` format; applied when Reset is pressed."""
    titles = [e.title for e in list_lessons()]
    return {
        "lesson": {"type": "Select", "value": titles[0], "values": titles, "label": "Lesson"},
        "charter": {"type": "Checkbox", "value": True,
                    "label": "Liptako-Gourma Charter and the 31 July declaration"},
        "art6": {"type": "Select", "value": AS_IN_LESSON, "values": list(ART6_CHOICES),
                 "label": "Charter Art. 6: how binding?"},
        "nigeria": {"type": "Select", "value": AS_IN_LESSON, "values": list(NIGERIA_CHOICES),
                    "label": "Nigeria's domestic constraint on war"},
        "france_stays": {"type": "Checkbox", "value": False, "label": "France stays (no withdrawal)"},
        "seed": {"type": "SliderInt", "value": DEFAULT_SEED, "min": 0, "max": 999, "step": 1,
                 "label": "Seed (chance draws)"},
    }


@solara.component
def Page() -> solara.Element:
    """One model per browser tab, created with the first lesson; Reset rebuilds it from the sidebar."""
    params = solara.use_memo(model_params, [])
    model = solara.use_memo(lambda: ClassroomModel(lesson=params["lesson"]["value"]), [])
    solara.Title("Liptako: the instructor's page")
    return SolaraViz(model, components=list(COMPONENTS), model_params=params, name=TITLE,
                     play_interval=PLAY_INTERVAL_MS)
