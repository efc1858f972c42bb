"""The run engine: every run of ``run``, ``sweep`` and ``history`` goes through it.

A plan (:mod:`sim.sweep.plan`: points x replicates, every seed fixed in advance; an ensemble is a
one-point plan) is sent out in chunks (:mod:`sim.sweep.execute`) to the one worker function
(:func:`sim.sweep.worker.run_chunk`); finished chunks go to memory or to a resumable Parquet store
(:mod:`sim.sweep.store`), which :func:`load_results` reads back as pandas DataFrames, whatever wrote it.
:mod:`sim.sweep.engine` holds the loop and the three ways to run it. See ``docs/sweeps.md``.
"""

from sim.sweep.engine import SweepSummary, execute, run_in_memory, run_sweep, run_to_dir, sweep_manifest
from sim.sweep.execute import SweepError, default_jobs, open_executor
from sim.sweep.plan import Plan, ensemble_plan, make_plan, spawn_seeds
from sim.sweep.store import NoResultsError, Results, SweepResult, SweepStore, load_results, load_sweep
from sim.sweep.worker import ChunkJob, ChunkResult, Keep, run_chunk

__all__ = [
    "ChunkJob",
    "ChunkResult",
    "Keep",
    "NoResultsError",
    "Plan",
    "Results",
    "SweepError",
    "SweepResult",
    "SweepStore",
    "SweepSummary",
    "default_jobs",
    "ensemble_plan",
    "execute",
    "load_results",
    "load_sweep",
    "make_plan",
    "open_executor",
    "run_chunk",
    "run_in_memory",
    "run_sweep",
    "run_to_dir",
    "spawn_seeds",
    "sweep_manifest",
]
