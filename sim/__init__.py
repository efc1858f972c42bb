"""Liptako: an agent-based simulation of collective defence in the Sahel.

The public API::

    import sim
    s = sim.load_scenario("scenarios/niger_2023.yaml", overrides=["parameters.council.launch_p_win=0.5"])
    rec = sim.run(s, seed=1)                  # one run: rec.outcomes, rec.timeline, rec.events
    ens = sim.run_ensemble(s, replicates=100, seed=7, jobs=2)   # tidy DataFrames
    res = sim.load_results("results/niger_2023")

Names are imported lazily so that ``python run.py --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EnsembleResult",
    "RunRecord",
    "Scenario",
    "ScenarioError",
    "load_results",
    "load_scenario",
    "parameter_rows",
    "run",
    "run_ensemble",
    "run_ensemble_to_dir",
]

_WHERE = {
    "EnsembleResult": "sim.ensemble",
    "RunRecord": "sim.runner",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario",
    "load_results": "sim.api",
    "load_scenario": "sim.scenario",
    "parameter_rows": "sim.api",
    "run": "sim.runner",
    "run_ensemble": "sim.ensemble",
    "run_ensemble_to_dir": "sim.api",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
