"""Kept for old imports: the analysis of a sweep lives in :mod:`sim.analysis` (Sobol' and Morris in
:mod:`sim.analysis.indices`)."""

from sim.analysis.common import point_means
from sim.analysis.indices import SensitivityResult, analyze_sweep, plot_indices

__all__ = ["SensitivityResult", "analyze_sweep", "plot_indices", "point_means"]
