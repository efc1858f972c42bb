"""Export from the page: the run's events as CSV (for handouts) and the view as PNG (for slides).

The CSV holds what the feed shows, in the same plain words (:mod:`sim.viz.feed`): week, date, what
happened, the clause or rule, the numbers behind it and the source note. The PNG is drawn in the browser
(``export_png.vue``): the panels are copied into an SVG image and saved, with no library and no internet.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import solara

from sim.viz.components import feed_rows

if TYPE_CHECKING:
    from sim.viz.classroom import ClassroomModel

__all__ = ["CSV_COLUMNS", "ExportPng", "events_csv", "export_name"]

CSV_COLUMNS = ["week", "date", "what happened", "clause or rule", "numbers", "source note"]


def events_csv(model: ClassroomModel) -> str:
    """The run's events so far, oldest first, as CSV text."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for e in feed_rows(model):
        out.writerow([e.week, e.date, e.sentence, e.tag, "; ".join(e.numbers), e.note])
    return buf.getvalue()


def export_name(model: ClassroomModel, ext: str) -> str:
    """A file name for the export: lesson, seed and week, e.g. ``niger_2023_charter_seed7_week10.csv``."""
    stem = re.sub(r"^\d+_", "", model.entry.path.stem)
    return f"{stem}_seed{model.seed}_week{model.world.week}.{ext}"


@solara.component_vue(str(Path(__file__).with_name("export_png.vue")))
def ExportPng(filename: str) -> None:
    """A button that saves the page's panels as a PNG in the browser."""
