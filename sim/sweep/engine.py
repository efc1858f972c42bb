"""The run engine: a plan's runs, chunk by chunk, on an executor, into memory or a store.

:func:`execute` is the one loop every output goes through: it makes the chunk jobs of a
:class:`~sim.sweep.plan.Plan`, dispatches them to :func:`sim.sweep.worker.run_chunk` and hands each
finished chunk on. Around it: :func:`run_in_memory` (ensembles and the historical check as tables),
:func:`run_to_dir` (``run.py run`` and ``history``: a store written aside and moved into place when
complete) and :func:`run_sweep` (``run.py sweep``: a store in place, resumable and safe to interrupt).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiment import LoadedExperiment, load_experiment
from sim.scenario import scenario_hash
from sim.sweep.execute import ExecutorHandle, ExecutorKind, SweepError, dispatch, open_executor
from sim.sweep.plan import Plan, design_seed, make_plan
from sim.sweep.store import Results, SweepStore, combine, load_results, now
from sim.sweep.worker import ChunkJob, ChunkResult, Keep

__all__ = ["SweepSummary", "execute", "run_in_memory", "run_sweep", "run_to_dir", "sweep_manifest"]


def execute(plan: Plan, keep: Keep, handle: ExecutorHandle, on_result: Callable[[ChunkResult], None],
            todo: Sequence[tuple[int, int, int, int]] | None = None, chunk_seconds: float = 1.0,
            chunk_size: int | None = None, next_chunk_id: int = 0) -> None:
    """Run the plan's runs (or those in ``todo``) on ``handle`` and hand each finished chunk to ``on_result``.

    Every run carries its seed from the plan, so the tables do not depend on the executor or chunking.
    """
    jobs = plan.point_jobs()

    def make_job(chunk: int, runs: list[tuple[int, int, int, int]]) -> ChunkJob:
        return ChunkJob(chunk, runs, {p: jobs[p] for p in sorted({r[1] for r in runs})}, keep)

    dispatch(handle, plan.run_tuples() if todo is None else todo, make_job, on_result,
             chunk_seconds=chunk_seconds, next_chunk_id=next_chunk_id, chunk_size=chunk_size)


def _raise_failures(failures: pd.DataFrame) -> None:
    if failures.empty:
        return
    f = failures.sort_values("run_id").iloc[0]
    raise SweepError(f"{len(failures)} of the runs failed; the first, run {f['run_id']} (point {f['point']}, "
                     f"replicate {f['replicate']}, seed {f['seed']}): {f['error']}: {f['message']}\n"
                     f"{f['traceback']}")


@contextmanager
def _executor(jobs: int | None, executor: Executor | None) -> Iterator[ExecutorHandle]:
    if executor is not None:
        workers = getattr(executor, "_max_workers", None) or max(1, jobs or 1)
        yield ExecutorHandle(executor, int(workers), type(executor).__name__)
    else:
        with open_executor("local", jobs) as handle:
            yield handle


def run_in_memory(plan: Plan, keep: Keep, jobs: int | None = 1, executor: Executor | None = None,
                  progress: Callable[[int], None] | None = None, chunk_size: int | None = None,
                  ) -> dict[str, pd.DataFrame]:
    """Run a plan and return its tables (:data:`sim.sweep.store.KINDS`) as :func:`load_results` would.

    Args:
        jobs: processes when no executor is given (``None`` = all cores, 1 = this process).
        executor: any ``concurrent.futures`` executor to use instead.
        progress: called with the number of runs just finished.
        chunk_size: runs per chunk (default: sized from the measured time per run).

    Raises:
        SweepError: a run raised (the first failure's traceback is in the message).
    """
    chunks: list[ChunkResult] = []

    def on_result(res: ChunkResult) -> None:
        chunks.append(res)
        if progress:
            progress(len(res.run_ids))

    with _executor(jobs, executor) as handle:
        execute(plan, keep, handle, on_result, chunk_size=chunk_size)
    frames = combine(chunks)
    _raise_failures(frames["failures"])
    return frames


def run_to_dir(plan: Plan, keep: Keep, out: str | Path, manifest: dict[str, Any], jobs: int | None = None,
               progress: Callable[[int], None] | None = None,
               on_start: Callable[[int], None] | None = None,
               finish: Callable[[Path, Results], dict[str, Any]] | None = None) -> Results:
    """Run a plan into a store at ``out``, written in a temporary sibling and moved into place when done.

    An interrupted or failed run leaves the previous ``out`` (if any) untouched and nothing half-written.

    Args:
        manifest: the output's manifest (``kind`` and what ran); counts, status and timing are added.
        on_start: called with the number of planned runs once the workers exist.
        finish: called with the temporary directory and the results before they are moved into place;
            may write more files there and returns entries to add to the manifest.

    Raises:
        SweepError: a run raised; nothing is written.
    """
    from sim.store import publish_dir

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.perf_counter()
    try:
        with open_executor("local", jobs) as handle:
            # the store is written only once the workers exist (forking after pyarrow starts threads is unsafe)
            store = SweepStore.create(tmp, {**manifest, "status": "running", "started": now()}, plan.points,
                                      plan.runs)
            if on_start:
                on_start(plan.n_runs)

            def on_result(res: ChunkResult) -> None:
                store.add_chunk(res)
                if progress:
                    progress(len(res.run_ids))

            execute(plan, keep, handle, on_result)
        res = load_results(tmp)
        _raise_failures(res.failures)
        m = store.manifest()
        m.update(counts={"planned": plan.n_runs, "finished": plan.n_runs, "failed": 0, "remaining": 0},
                 status="complete", ended=now(), executor=handle.label, workers=handle.workers,
                 wall_seconds=round(time.perf_counter() - t0, 3))
        if finish:
            m.update(finish(tmp, res))
        store.write_manifest(m)
        res.manifest = m
        publish_dir(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


@dataclass
class SweepSummary:
    """What one call of :func:`run_sweep` did."""

    out: Path
    planned: int
    finished_before: int
    ran: int
    failed: int
    seconds: float
    executor: str
    workers: int
    status: str

    @property
    def runs_per_second(self) -> float:
        return self.ran / self.seconds if self.seconds > 0 else 0.0

    def line(self, name: str) -> str:
        """The one-line summary printed at the end of a sweep."""
        resumed = f", {self.finished_before} done before" if self.finished_before else ""
        return (f"{name}: {self.ran} runs ({self.failed} failed{resumed}) in {self.seconds:.1f} s, "
                f"{self.runs_per_second:.1f} runs/s on {self.executor} -> {self.out}/ [{self.status}]")


def sweep_manifest(exp: LoadedExperiment, plan: Plan, command: Sequence[str] | None = None) -> dict[str, Any]:
    """The manifest of a new sweep (counts and sessions are filled in as it runs)."""
    from sim.store import provenance

    s = exp.spec
    return {
        "kind": "sweep",
        "experiment": {"name": s.name, "file": str(exp.path), "sha256": exp.sha256(),
                       "spec": s.model_dump(mode="json")},
        "scenario": {"name": exp.base.name, "file": str(exp.scenario_path),
                     "sha256": scenario_hash(exp.base)},
        "root_seed": s.seed,
        "seeds": s.seeds,
        "design": {**s.design.model_dump(mode="json"), "sampler_seed": design_seed(exp),
                   "points": len(plan.points)},
        "parameters": plan.paths,
        "replicates": s.replicates,
        "outcomes": exp.outcomes,
        "timeline": s.timeline.model_dump(mode="json"),
        "events": s.events,
        "figures": [f.model_dump(mode="json") for f in s.figures],
        "counts": {"planned": plan.n_runs, "finished": 0, "failed": 0, "remaining": plan.n_runs},
        "status": "running",
        "started": now(),
        "ended": None,
        "sessions": [],
        **provenance(list(command) if command is not None else None),
    }


def run_sweep(
    experiment: LoadedExperiment | str | Path,
    out: str | Path,
    executor: ExecutorKind = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    retry_failed: bool = False,
    chunk_seconds: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    command: Sequence[str] | None = None,
) -> SweepSummary:
    """Run (or resume) a sweep and store its results in ``out``.

    Args:
        experiment: a loaded experiment or the path of an experiment file.
        out: the results directory.
        executor: ``serial``, ``local`` (process pool, ``jobs`` workers) or ``dask``.
        jobs: workers (default all cores); scheduler: a Dask scheduler address (implies dask).
        resume: continue the sweep in ``out``: finished runs are skipped (failed ones too, unless
            ``retry_failed``). The experiment and scenario must hash as before.
        overwrite: delete the results in ``out`` and start again.
        chunk_seconds: target wall time of one chunk of work.
        progress: called after each chunk with (runs that finished, runs that failed) in it.
        on_start: called once with (planned runs, runs already finished) before work goes out.

    Returns:
        A summary; the tables are read with :func:`sim.load_results`.

    Raises:
        SweepError: bad output directory, resume of a different experiment, no Dask, lost workers.
        KeyboardInterrupt: after the finished chunks are stored and the manifest says 'interrupted'.
    """
    exp = experiment if isinstance(experiment, LoadedExperiment) else load_experiment(experiment)
    out = Path(out)
    plan = make_plan(exp)
    manifest = sweep_manifest(exp, plan, command)
    if resume and (out / "manifest.json").exists():
        store = SweepStore.open(out)
        old = store.manifest()
        if old.get("experiment", {}).get("sha256") != manifest["experiment"]["sha256"]:
            raise SweepError(f"{out} holds results of a different experiment or scenario (hash "
                             f"{str(old.get('experiment', {}).get('sha256'))[:12]} vs "
                             f"{manifest['experiment']['sha256'][:12]}); use another --out or --overwrite")
        manifest = old
        fresh = False
    else:
        if resume and out.exists() and any(out.iterdir()):
            raise SweepError(f"{out} holds no sweep to resume (no manifest.json)")
        if out.exists() and any(out.iterdir()) and not overwrite:
            raise SweepError(f"{out} already holds results: pass --resume to continue that sweep or "
                             "--overwrite to start again")
        store = SweepStore(out)
        fresh = True

    s = exp.spec
    keep = Keep(exp.outcomes, s.timeline.keep, s.timeline.variables, s.events)

    t0 = time.perf_counter()
    ran = failed = 0
    session: dict[str, Any] = {"started": now(), "pid": os.getpid()}
    with open_executor(executor, jobs, scheduler) as handle:
        # the store is written only once the workers exist (forking after pyarrow starts threads is unsafe)
        if fresh:
            store = SweepStore.create(out, manifest, plan.points, plan.runs, exp.text, overwrite=overwrite)
        else:
            store.clean_unfinished(drop_failed=retry_failed)
        done, _ = store.finished()
        todo = [r for r in plan.run_tuples() if r[0] not in done]
        before = len(done)
        session.update(executor=handle.label, workers=handle.workers)
        if on_start:
            on_start(plan.n_runs, before)

        def on_result(res: ChunkResult) -> None:
            nonlocal ran, failed
            store.add_chunk(res)
            nf = len(res.failures)
            ran += len(res.run_ids)
            failed += nf
            if progress:
                progress(len(res.run_ids) - nf, nf)

        status = "interrupted"
        try:
            execute(plan, keep, handle, on_result, todo, chunk_seconds=chunk_seconds,
                    next_chunk_id=store.next_chunk_id())
            status = "complete"
        except KeyboardInterrupt:
            handle.interrupted = True
            raise
        except Exception as e:
            status = "failed"
            if isinstance(e, SweepError):
                raise
            raise SweepError(f"the executor failed ({type(e).__name__}: {e}); finished chunks are kept, "
                             "continue with --resume") from e
        finally:
            wall = time.perf_counter() - t0
            done_all, failed_all = store.finished()
            m = store.manifest()
            m["counts"] = {"planned": plan.n_runs, "finished": len(done_all), "failed": len(failed_all),
                           "remaining": plan.n_runs - len(done_all)}
            m["status"] = "complete" if len(done_all) == plan.n_runs else status
            m["ended"] = now()
            m.setdefault("sessions", []).append({**session, "ended": m["ended"], "ran": ran, "failed": failed,
                                                 "seconds": round(wall, 3), "status": status})
            store.write_manifest(m)
    return SweepSummary(out, plan.n_runs, before, ran, failed, time.perf_counter() - t0, handle.label,
                        handle.workers, m["status"])
