"""Ensembles of one scenario: replicates with seeds spawned from a root seed, on one or more processes.

Seeds come from ``numpy.random.SeedSequence(root).spawn(n)`` in replicate order, so a run's seed never
depends on how the work is split. Work goes to a process pool in chunks; the pool is started once.
The sweep engine (:mod:`sim.sweep`) builds on the same pieces for designs over parameters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.metrics import NULLABLE_INT_OUTCOMES
from sim.runner import run
from sim.scenario import Scenario

__all__ = ["EnsembleResult", "records_to_frames", "run_chunk", "run_ensemble", "spawn_seeds"]

SEED_MASK = (1 << 63) - 1


def spawn_seeds(root: int, n: int, offset: int = 0) -> list[int]:
    """The seeds of runs ``offset .. offset+n-1`` spawned from ``root`` (63-bit integers).

    Run ``i`` always gets the same seed for the same root, whatever ``n`` and ``offset``.
    """
    ss = np.random.SeedSequence(root)
    children = ss.spawn(offset + n)[offset:]
    out = []
    for c in children:
        hi, lo = c.generate_state(2, dtype=np.uint32)
        out.append(((int(hi) << 32) | int(lo)) & SEED_MASK)
    return out


@dataclass
class EnsembleResult:
    """Tidy tables of an ensemble: one outcomes row per run; timeline and events with ``run_id``."""

    outcomes: pd.DataFrame
    timeline: pd.DataFrame
    events: pd.DataFrame


def run_chunk(scenario: Scenario, runs: Sequence[tuple[int, int, int]], timeline: bool = True,
              events: bool = True) -> list[tuple[int, int, int, dict[str, Any], pd.DataFrame, pd.DataFrame]]:
    """Run ``(run_id, replicate, seed)`` triples in this process; a top-level function so it pickles."""
    out = []
    for run_id, rep, seed in runs:
        rec = run(scenario, seed, timeline=timeline, events=events)
        out.append((run_id, rep, seed, rec.outcomes, rec.timeline, rec.events))
    return out


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i: i + size]


def records_to_frames(rows: list[tuple[int, int, int, dict[str, Any], pd.DataFrame, pd.DataFrame]],
                      ) -> EnsembleResult:
    """Assemble per-run records into tidy tables, sorted by ``run_id``."""
    rows = sorted(rows, key=lambda r: r[0])
    out = pd.DataFrame([{"run_id": r[0], "replicate": r[1], "seed": r[2], **r[3]} for r in rows])
    if not out.empty:
        out["seed"] = out["seed"].astype("int64")
        for col in NULLABLE_INT_OUTCOMES & set(out.columns):
            out[col] = out[col].astype("Int64")
    tl = [r[4].assign(run_id=r[0]) for r in rows if not r[4].empty]
    ev = [r[5].assign(run_id=r[0]) for r in rows if not r[5].empty]
    return EnsembleResult(out, _run_id_first(tl), _run_id_first(ev))


def _run_id_first(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame()
    df = pd.concat(parts, ignore_index=True)
    return df[["run_id", *[c for c in df.columns if c != "run_id"]]]


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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
        chunk_size: runs per task (default: about four tasks per worker).
        executor: any ``concurrent.futures`` executor to use instead of a new process pool.
        progress: called with the number of runs just finished.

    Returns:
        The same tables, row for row, whatever ``jobs`` or executor.
    """
    seeds = spawn_seeds(seed, replicates)
    plan = [(i, i, s) for i, s in enumerate(seeds)]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    rows: list[Any] = []
    if executor is None and jobs == 1:
        for chunk in _chunks(plan, chunk_size or 8):
            rows.extend(run_chunk(scenario, chunk, timeline, events))
            if progress:
                progress(len(chunk))
        return records_to_frames(rows)
    size = chunk_size or max(1, -(-len(plan) // (jobs * 4)))
    # the sweep's executor layer: a pool started once, forked when safe, workers that ignore Ctrl-C
    from sim.sweep.execute import submit_all

    def collect(_i: int, res: list[Any]) -> None:
        rows.extend(res)
        if progress:
            progress(len(res))

    submit_all(run_chunk, [(scenario, chunk, timeline, events) for chunk in _chunks(plan, size)], jobs,
               executor, collect)
    return records_to_frames(rows)
