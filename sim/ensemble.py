"""Ensembles of one scenario: a one-point plan of the run engine (:mod:`sim.sweep`).

Replicate ``r`` gets the ``r``-th seed of ``numpy.random.SeedSequence(root).spawn(n)``, so a run's seed
never depends on how the work is split; the runs go through the engine's one worker function on one
process, a process pool or any ``concurrent.futures`` executor, with the same tables on each.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from sim.scenario import Scenario
from sim.sweep.engine import run_in_memory
from sim.sweep.plan import Plan, ensemble_plan, spawn_seeds
from sim.sweep.worker import Keep

__all__ = ["EnsembleResult", "ensemble_keep", "run_ensemble", "spawn_seeds"]


@dataclass
class EnsembleResult:
    """Tidy tables of an ensemble: one outcomes row per run; timeline and events with ``run_id``."""

    outcomes: pd.DataFrame
    timeline: pd.DataFrame
    events: pd.DataFrame


def ensemble_keep(timeline: bool = True, events: bool = True) -> Keep:
    """What an ensemble keeps: every outcome, and the whole timeline and event log unless told not to."""
    return Keep(None, "full" if timeline else "none", None, events)


def run_ensemble(
    scenario: Scenario,
    replicates: int,
    seed: int = 0,
    jobs: int | None = 1,
    timeline: bool = True,
    events: bool = True,
    chunk_size: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> EnsembleResult:
    """Run ``replicates`` runs of ``scenario`` with seeds spawned from ``seed``.

    Args:
        jobs: processes (``None`` = all cores). 1 runs in this process. Ignored when ``executor`` is given.
        chunk_size: runs per task (default: sized from the measured time per run).
        executor: any ``concurrent.futures`` executor to use instead of a new process pool.
        progress: called with the number of runs just finished.

    Returns:
        The same tables, row for row, whatever ``jobs`` or executor. The outcomes have no ``point``
        column (an ensemble has one point); :func:`sim.load_results` of a ``run.py run`` directory does.

    Raises:
        SweepError: a run raised (its traceback is in the message).
    """
    plan: Plan = ensemble_plan([scenario], replicates, [seed])
    t = run_in_memory(plan, ensemble_keep(timeline, events), jobs=jobs, executor=executor, progress=progress,
                      chunk_size=chunk_size)
    return EnsembleResult(t["outcomes"].drop(columns="point", errors="ignore"), t["timeline"], t["events"])
