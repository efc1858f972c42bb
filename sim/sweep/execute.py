"""Executors behind one ``concurrent.futures`` interface, and the worker side of a sweep.

* ``serial``: runs every task in this process when it is submitted (no pickling, easiest to debug).
* ``local``: a process pool of ``jobs`` workers, started once per sweep (forked from a single-threaded
  process, so workers do not import Mesa again; otherwise from a fork server); workers ignore Ctrl-C so
  that the main process stops them cleanly.
* ``dask``: a Dask ``LocalCluster`` of ``jobs`` single-threaded worker processes, or an existing cluster
  at ``scheduler`` (``tcp://host:port``), used through ``Client.get_executor()``. Dask is an optional
  extra: this module imports without it.

Work goes out in chunks: :func:`dispatch` sizes them from the measured time per run to take about
``chunk_seconds`` each (smaller at the start and near the end so no worker waits), and keeps two chunks
per worker in flight. A chunk's result does not depend on its size: every run carries its seed.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from sim.ensemble import default_jobs

__all__ = [
    "ChunkJob",
    "ChunkResult",
    "ExecutorHandle",
    "SerialExecutor",
    "SweepError",
    "default_jobs",
    "dispatch",
    "open_executor",
    "process_pool",
    "run_chunk",
    "stop_pool",
]

ExecutorKind = Literal["serial", "local", "dask"]


class SweepError(Exception):
    """A sweep that cannot start or go on (bad output directory, missing extra, lost cluster)."""


# ---------------------------------------------------------------------------------------------------
# Executors
# ---------------------------------------------------------------------------------------------------


class SerialExecutor(Executor):
    """An executor that runs each task in this process as it is submitted."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:  # KeyboardInterrupt included: it must reach the caller
            if not isinstance(e, Exception):
                raise
            fut.set_exception(e)
        return fut


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _noop(x: int) -> int:
    return x


def _os_threads() -> int:
    """Threads of this process as the OS counts them (native ones too, e.g. Arrow's pool); 0 if unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes, started now.

    From a single-threaded process (the command line) workers are forked: they inherit the imported
    model and start in milliseconds. From a process that already runs threads (a notebook, a test
    session, after reading Parquet), forking is unsafe, so workers come from a fork server that imports
    the model once. Workers ignore Ctrl-C: the main process handles it and stops them.
    """
    ctx: multiprocessing.context.BaseContext
    if sys.platform == "linux" and _os_threads() == 1:
        ctx = multiprocessing.get_context("fork")
    else:
        ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        if sys.platform != "win32":
            preload = ["sim.sweep.execute", "sim.runner", "sim.experiment"]
            multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ignore_sigint)
    list(pool.map(_noop, range(jobs)))  # start every worker now, before anything else makes threads
    return pool


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what has not started and terminate the workers."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)


def submit_all(fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]], jobs: int,
               executor: Executor | None, on_result: Callable[[int, Any], None]) -> None:
    """Run ``fn(*args)`` for every tuple in ``calls`` on ``executor`` (or a process pool of ``jobs`` started
    here) and hand each result to ``on_result(index, result)`` as it finishes.

    A pool started here is shut down when all is done, and stopped at once (pending work cancelled,
    workers terminated) if anything goes wrong or Ctrl-C arrives.
    """
    from concurrent.futures import as_completed

    own = executor is None
    ex = executor or process_pool(jobs)
    finished = False
    try:
        futures = {ex.submit(fn, *args): i for i, args in enumerate(calls)}
        for fut in as_completed(futures):
            on_result(futures[fut], fut.result())
        finished = True
    finally:
        if own:
            if finished:
                ex.shutdown(wait=True)
            else:
                stop_pool(ex)  # type: ignore[arg-type]


@dataclass
class ExecutorHandle:
    """An open executor: the ``concurrent.futures`` object, how many runs it works on at once, a label."""

    executor: Executor
    workers: int
    label: str
    interrupted: bool = False


@contextmanager
def open_executor(kind: ExecutorKind = "local", jobs: int | None = None,
                  scheduler: str | None = None) -> Iterator[ExecutorHandle]:
    """Open an executor for one sweep and close it afterwards (on Ctrl-C too).

    Args:
        kind: ``serial``, ``local`` (process pool) or ``dask``.
        jobs: workers for ``local`` and a Dask LocalCluster (default: all cores). ``local`` with one job
            runs serially in this process.
        scheduler: address of a running Dask scheduler (implies ``dask``).
    """
    if scheduler:
        kind = "dask"
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    if kind == "serial" or (kind == "local" and jobs == 1):
        yield ExecutorHandle(SerialExecutor(), 1, "serial")
        return
    if kind == "local":
        pool = process_pool(jobs)
        try:
            yield ExecutorHandle(pool, jobs, f"local, {jobs} processes")
        except BaseException:
            stop_pool(pool)
            raise
        else:
            pool.shutdown(wait=True)
        return
    if kind != "dask":
        raise SweepError(f"unknown executor '{kind}' (serial, local or dask)")
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepError("--executor dask needs Dask: pip install 'liptako[dask]'") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as e:
                raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
            try:
                client.wait_for_workers(1, timeout=120)
            except (OSError, TimeoutError):
                client.close()
                raise SweepError(f"the Dask scheduler at {scheduler} has no workers (waited 120 s); "
                                 "start some with `dask worker ADDRESS`") from None
            label = f"dask scheduler {scheduler}"
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.WARNING)
            client = Client(cluster)
            label = f"dask LocalCluster, {jobs} workers"
        workers = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or jobs
        try:
            yield ExecutorHandle(client.get_executor(), workers, label)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------------------------------


@dataclass
class ChunkJob:
    """What a worker needs to run a chunk: the base scenario data and the runs with their values.

    ``runs`` holds ``(run_id, point, replicate, seed, assignments)`` where ``assignments`` is a tuple of
    ``(dotted path, value)``.
    """

    chunk: int
    base_data: dict[str, Any]
    runs: list[tuple[int, int, int, int, tuple[tuple[str, Any], ...]]]
    outcomes: list[str]
    timeline: str = "none"
    variables: list[str] | None = None
    events: bool = False


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


SUMMARY_COLUMNS = ["run_id", "variable", "actor", "target", "final", "mean", "min", "max"]
FAILURE_COLUMNS = ["run_id", "point", "replicate", "seed", "error", "message", "traceback"]


def _summarise(tl: pd.DataFrame, run_id: int) -> pd.DataFrame:
    g = tl.groupby(["variable", "actor", "target"], sort=True)["value"]
    out = pd.concat([g.last().rename("final"), g.mean().rename("mean"), g.min().rename("min"),
                     g.max().rename("max")], axis=1).reset_index()
    out.insert(0, "run_id", run_id)
    return out


def run_chunk(job: ChunkJob) -> ChunkResult:
    """Run a chunk of a sweep in this process. A run that raises is recorded and the chunk goes on."""
    from sim.experiment import scenario_for
    from sim.metrics import NULLABLE_INT_OUTCOMES
    from sim.runner import run

    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    tls: list[pd.DataFrame] = []
    sums: list[pd.DataFrame] = []
    evs: list[pd.DataFrame] = []
    fails: list[dict[str, Any]] = []
    cached: tuple[Any, Any] = (None, None)
    keep_tl = job.timeline != "none"
    for run_id, point, rep, seed, assignments in job.runs:
        try:
            if cached[0] != assignments:
                cached = (assignments, scenario_for(job.base_data, assignments))
            rec = run(cached[1], seed, timeline=keep_tl, events=job.events)
        except Exception as e:
            fails.append({"run_id": run_id, "point": point, "replicate": rep, "seed": seed,
                          "error": type(e).__name__, "message": str(e), "traceback": traceback.format_exc()})
            continue
        row: dict[str, Any] = {"run_id": run_id, "point": point, "replicate": rep, "seed": seed}
        row.update(assignments)
        row.update({k: rec.outcomes[k] for k in job.outcomes})
        rows.append(row)
        if keep_tl and not rec.timeline.empty:
            tl = rec.timeline
            if job.variables is not None:
                tl = tl[tl["variable"].isin(job.variables)]
            if job.timeline == "summary":
                sums.append(_summarise(tl, run_id))
            else:
                tls.append(tl.assign(run_id=run_id))
        if job.events and not rec.events.empty:
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


# ---------------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------------


def dispatch(
    handle: ExecutorHandle,
    runs: Sequence[Any],
    make_job: Callable[[int, list[Any]], ChunkJob],
    on_result: Callable[[ChunkResult], None],
    chunk_seconds: float = 1.0,
    first_chunk: int = 4,
    next_chunk_id: int = 0,
    fn: Callable[[ChunkJob], ChunkResult] = run_chunk,
) -> None:
    """Send ``runs`` out in chunks of about ``chunk_seconds`` and hand each finished chunk to ``on_result``.

    Chunks are sized from the measured time per run (first ones ``first_chunk`` runs). At most two chunks
    per worker are in flight, so the main process holds little and a Ctrl-C loses little. Results are
    handled in the main process, one at a time, in the order they finish.
    """
    pending = deque(runs)
    inflight: dict[Future[ChunkResult], int] = {}
    per_run: float | None = None
    workers = max(1, handle.workers)
    chunk_id = next_chunk_id

    def size() -> int:
        if per_run is None:
            n = first_chunk
        else:
            n = max(1, round(chunk_seconds / max(per_run, 1e-6)))
        # near the end, split what is left so that every worker gets a share
        return max(1, min(n, math.ceil(len(pending) / (2 * workers))))

    while pending or inflight:
        while pending and len(inflight) < 2 * workers:
            take = [pending.popleft() for _ in range(min(size(), len(pending)))]
            fut = handle.executor.submit(fn, make_job(chunk_id, take))
            inflight[fut] = chunk_id
            chunk_id += 1
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: inflight[f]):
            del inflight[fut]
            res = fut.result()
            n = max(1, len(res.run_ids))
            rate = res.seconds / n
            per_run = rate if per_run is None else 0.7 * per_run + 0.3 * rate
            on_result(res)
