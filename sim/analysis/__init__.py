"""Analysis of a sweep's stored results: what ``run.py analyze`` computes, usable from Python.

* :mod:`sim.analysis.common`: numeric outcomes, point means, the design matrix, yes/no targets.
* :mod:`sim.analysis.indices`: Sobol' and Morris indices (SALib) for ``sobol`` and ``morris`` designs.
* :mod:`sim.analysis.regression`: SRC and PRCC with bootstrap intervals (SciPy) and extra-trees feature
  scores (EMA Workbench, scikit-learn) for any design, meant for ``grid`` and ``lhs``.
* :mod:`sim.analysis.discovery`: PRIM scenario discovery (EMA Workbench) for a yes/no or thresholded outcome.
* :mod:`sim.analysis.convergence`: Monte Carlo standard errors, replicates needed, warnings.

See docs/sweeps.md ("Analysing a sweep").
"""

from sim.analysis.common import Target, parse_target, point_means
from sim.analysis.convergence import convergence, convergence_lines, format_probability, index_warnings, seed_warnings
from sim.analysis.discovery import DiscoveryResult, plot_discovery, prim
from sim.analysis.indices import SensitivityResult, analyze_sweep, plot_indices
from sim.analysis.regression import RegressionResult, plot_regression, regression_sensitivity

__all__ = [
    "DiscoveryResult",
    "RegressionResult",
    "SensitivityResult",
    "Target",
    "analyze_sweep",
    "convergence",
    "convergence_lines",
    "format_probability",
    "index_warnings",
    "parse_target",
    "plot_discovery",
    "plot_indices",
    "plot_regression",
    "point_means",
    "prim",
    "regression_sensitivity",
    "seed_warnings",
]
