"""Figures drawn from stored result tables only (never from a live model), one module per kind of picture.

* :mod:`sim.figures.timelines`: a variable over the weeks, median with 50%/90% bands across runs;
* :mod:`sim.figures.outcomes`: shares of runs as bars with Wilson intervals, outcomes against one swept
  parameter;
* :mod:`sim.figures.heatmaps`: an outcome over two swept parameters;
* :mod:`sim.figures.indices`: sensitivity indices (Sobol', Morris) as bars;
* :mod:`sim.figures.maps` and :mod:`sim.figures.networks`: the region and its alliances at a date;
* :mod:`sim.figures.replay`: the state at a date (memberships, regimes, links, rungs) rebuilt from the
  stored event log and timeline, for the maps and networks;
* :mod:`sim.figures.saving`: the house style, the caption and deterministic saving.

Colours come from :mod:`sim.palette` (shared with the instructor's page), statistics from
:mod:`sim.stats`. Every figure is deterministic: the same tables give byte-identical PNG and SVG files
(no timestamps, a fixed SVG hash salt, the Agg backend). :mod:`sim.paper` maps an experiment's figure
kinds to these functions.
"""

import matplotlib

matplotlib.use("Agg")  # before any module below imports pyplot

from sim.figures.heatmaps import outcome_heatmap
from sim.figures.indices import sensitivity_bars
from sim.figures.maps import map_network_panels, regime_map, rung_map
from sim.figures.networks import alliance_network, draw_network
from sim.figures.outcomes import outcome_lines, outcome_probabilities, summary_lines
from sim.figures.replay import links_at, membership_at, regimes_at
from sim.figures.saving import STYLE, caption, save
from sim.figures.tables import is_probability
from sim.figures.timelines import Panel, Series, draw_timeline_bands, ladder_timeline, timeline_panels
from sim.stats import wilson_interval

__all__ = [
    "STYLE",
    "Panel",
    "Series",
    "alliance_network",
    "caption",
    "draw_network",
    "draw_timeline_bands",
    "is_probability",
    "ladder_timeline",
    "links_at",
    "map_network_panels",
    "membership_at",
    "outcome_heatmap",
    "outcome_lines",
    "outcome_probabilities",
    "regime_map",
    "regimes_at",
    "rung_map",
    "save",
    "sensitivity_bars",
    "summary_lines",
    "timeline_panels",
    "wilson_interval",
]
