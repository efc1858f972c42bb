"""Liptako: an agent-based simulation of collective defence in the Sahel.

The public API::

    import sim
    s = sim.load_scenario("scenarios/niger_2023.yaml", overrides=["parameters.council.launch_p_win=0.5"])
    rec = sim.run(s, seed=1)                  # one run: rec.outcomes, rec.timeline, rec.events
    ens = sim.run_ensemble(s, replicates=100, seed=7, jobs=2)   # tidy DataFrames
    res = sim.load_results("results/niger_2023")   # any output directory: run, sweep or history
    fig = sim.plot_results(res)                    # a first figure of any results (matplotlib Figure)
    sim.format_probability(55, 100)                # '55% [45%, 64%]': a share with its 95% interval

Parallel runs (``jobs`` > 1) work from a plain script: workers never re-run the script.
    sim.run_sweep("experiments/deterrence_grid.yaml", "results/deterrence_grid")

Names are imported lazily so that ``python run.py --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EnsembleResult",
    "NoResultsError",
    "Results",
    "RunRecord",
    "Scenario",
    "ScenarioError",
    "format_probability",
    "load_results",
    "load_scenario",
    "load_sweep",
    "parameter_rows",
    "plot_results",
    "run",
    "run_ensemble",
    "run_ensemble_to_dir",
    "run_sweep",
]

_WHERE = {
    "EnsembleResult": "sim.ensemble",
    "NoResultsError": "sim.sweep.store",
    "Results": "sim.sweep.store",
    "RunRecord": "sim.runner",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario",
    "format_probability": "sim.analysis.convergence",
    "load_results": "sim.sweep.store",
    "load_scenario": "sim.scenario",
    "load_sweep": "sim.sweep.store",
    "parameter_rows": "sim.api",
    "plot_results": "sim.quickplot",
    "run": "sim.runner",
    "run_ensemble": "sim.ensemble",
    "run_ensemble_to_dir": "sim.api",
    "run_sweep": "sim.sweep.engine",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
