"""The worker side of the run engine: :func:`run_chunk`, the one function every run goes through.

A :class:`ChunkJob` names some runs ``(run_id, point, replicate, seed)`` and, for each of their points,
how to make its scenario (:data:`sim.sweep.plan.PointJob`); :class:`Keep` says which tables to keep.
The worker runs them with :func:`sim.runner.run` and returns a :class:`ChunkResult`: tidy tables, each
with ``run_id``, that the store writes as one part file per table. A run that raises is recorded as a
failure and the chunk goes on. Sweeps, ensembles and the historical check all run here.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from sim.sweep.plan import PointJob

__all__ = ["FAILURE_COLUMNS", "ChunkJob", "ChunkResult", "Keep", "run_chunk"]

FAILURE_COLUMNS = ["run_id", "point", "replicate", "seed", "error", "message", "traceback"]


@dataclass(frozen=True)
class Keep:
    """What a run keeps.

    Attributes:
        outcomes: the outcome columns (``None``: every outcome, in the run's order).
        timeline: ``none``, ``full`` (the weekly rows) or ``summary`` (final, mean, min, max per series).
        variables: keep only these timeline variables (``None``: all).
        events: keep the event log.
    """

    outcomes: list[str] | None = None
    timeline: Literal["none", "full", "summary"] = "none"
    variables: list[str] | None = None
    events: bool = False


@dataclass
class ChunkJob:
    """What a worker needs to run a chunk: its runs and how to make the scenario of each of their points."""

    chunk: int
    runs: list[tuple[int, int, int, int]]
    points: dict[int, PointJob]
    keep: Keep = field(default_factory=Keep)


@dataclass
class ChunkResult:
    """A finished chunk: tidy tables of its runs (each with ``run_id``), failures, and timing."""

    chunk: int
    run_ids: list[int]
    outcomes: pd.DataFrame
    timeline: pd.DataFrame
    summary: pd.DataFrame
    events: pd.DataFrame
    failures: pd.DataFrame
    seconds: float
    pid: int = field(default_factory=os.getpid)


def _summarise(tl: pd.DataFrame, run_id: int) -> pd.DataFrame:
    g = tl.groupby(["variable", "actor", "target"], sort=True)["value"]
    out = pd.concat([g.last().rename("final"), g.mean().rename("mean"), g.min().rename("min"),
                     g.max().rename("max")], axis=1).reset_index()
    out.insert(0, "run_id", run_id)
    return out


def run_chunk(job: ChunkJob) -> ChunkResult:
    """Run a chunk in this process (a top-level function, so it pickles to any executor)."""
    from sim.experiment import scenario_for
    from sim.metrics import NULLABLE_INT_OUTCOMES
    from sim.runner import run

    t0 = time.perf_counter()
    keep = job.keep
    rows: list[dict[str, Any]] = []
    tls: list[pd.DataFrame] = []
    sums: list[pd.DataFrame] = []
    evs: list[pd.DataFrame] = []
    fails: list[dict[str, Any]] = []
    cached: tuple[int | None, Any] = (None, None)
    keep_tl = keep.timeline != "none"
    for run_id, point, rep, seed in job.runs:
        base, assignments, labels = job.points[point]
        try:
            if cached[0] != point:
                cached = (point, scenario_for(base, assignments) if isinstance(base, dict) else base)
            rec = run(cached[1], seed, timeline=keep_tl, events=keep.events)
        except Exception as e:
            fails.append({"run_id": run_id, "point": point, "replicate": rep, "seed": seed,
                          "error": type(e).__name__, "message": str(e), "traceback": traceback.format_exc()})
            continue
        row: dict[str, Any] = {"run_id": run_id, "point": point, "replicate": rep, "seed": seed}
        row.update(labels)
        row.update(rec.outcomes if keep.outcomes is None else {k: rec.outcomes[k] for k in keep.outcomes})
        rows.append(row)
        if keep_tl and not rec.timeline.empty:
            tl = rec.timeline
            if keep.variables is not None:
                tl = tl[tl["variable"].isin(keep.variables)]
            if keep.timeline == "summary":
                sums.append(_summarise(tl, run_id))
            else:
                tls.append(tl.assign(run_id=run_id))
        if keep.events and not rec.events.empty:
            evs.append(rec.events.assign(run_id=run_id))
    out = pd.DataFrame(rows)
    if not out.empty:
        for c in ("run_id", "point", "replicate", "seed"):
            out[c] = out[c].astype("int64")
        for c in NULLABLE_INT_OUTCOMES & set(out.columns):
            out[c] = out[c].astype("Int64")
    fail_df = pd.DataFrame(fails, columns=FAILURE_COLUMNS)
    return ChunkResult(job.chunk, [r[0] for r in job.runs], out, _run_id_first(tls), _run_id_first(sums),
                       _run_id_first(evs), fail_df, time.perf_counter() - t0)


def _run_id_first(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame()
    df = pd.concat(parts, ignore_index=True)
    return df[["run_id", *[c for c in df.columns if c != "run_id"]]]
