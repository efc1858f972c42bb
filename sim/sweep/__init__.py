"""Sweeps: experiments over a scenario's parameters, run on all cores or a Dask cluster.

``run_sweep(experiment, out)`` plans the runs (:mod:`sim.sweep.plan`), sends them out in chunks
(:mod:`sim.sweep.execute`) and streams finished chunks to a resumable Parquet store
(:mod:`sim.sweep.store`); ``load_sweep(out)`` reads the results back as pandas DataFrames.
See ``docs/sweeps.md``.
"""

from sim.sweep.engine import SweepSummary, run_sweep, sweep_manifest
from sim.sweep.execute import SweepError, default_jobs, open_executor
from sim.sweep.plan import Plan, make_plan
from sim.sweep.store import SweepResult, SweepStore, load_sweep

__all__ = [
    "Plan",
    "SweepError",
    "SweepResult",
    "SweepStore",
    "SweepSummary",
    "default_jobs",
    "load_sweep",
    "make_plan",
    "open_executor",
    "run_sweep",
    "sweep_manifest",
]
