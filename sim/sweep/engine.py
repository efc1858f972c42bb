"""The run engine: a plan's runs, chunk by chunk, on an executor, into memory or a store.

:func:`execute` is the one loop every output goes through: it makes the chunk jobs of a
:class:`~sim.sweep.plan.Plan`, dispatches them to :func:`sim.sweep.worker.run_chunk` and hands each
finished chunk on. Around it: :func:`run_in_memory` (ensembles and the historical check as tables),
:func:`run_to_dir` (``run.py run`` and ``history``: a store written chunk by chunk in place, resumable,
then their figures or tables) and :func:`run_sweep` (``run.py sweep``: the same, and safe to interrupt).
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
from sim.scenario.spec import Scenario
from sim.sweep.execute import ExecutorHandle, ExecutorKind, SweepError, dispatch, open_executor
from sim.sweep.plan import Plan, design_seed, make_plan
from sim.sweep.store import Results, SweepStore, combine, load_results, now
from sim.sweep.worker import ChunkJob, ChunkResult, Keep

__all__ = ["SweepSummary", "execute", "plan_sha256", "run_in_memory", "run_sweep", "run_to_dir", "sweep_manifest"]


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


def plan_sha256(plan: Plan, keep: Keep, kind: str) -> str:
    """What a resumed run must match: the kind, every point's scenario, every run's seed, what is kept."""
    import hashlib
    import json

    from sim.store import table_hash

    bases = [scenario_hash(b) if isinstance(b, Scenario) else
             hashlib.sha256(json.dumps(b, sort_keys=True, default=str).encode()).hexdigest() for b in plan.bases]
    payload = {"kind": kind, "bases": bases, "runs": table_hash(plan.runs), "points": table_hash(plan.points),
               "paths": plan.paths, "keep": [keep.outcomes, keep.timeline, keep.variables, keep.events]}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _clean_stale_siblings(out: Path) -> None:
    """Remove temporary result directories an earlier version left beside ``out`` (``.NAME.tmp-PID``,
    ``.NAME.old-PID``) when the process that wrote them is gone and they hold Liptako's results only."""
    from sim.store import is_own_name, results_manifest

    for d in out.parent.glob(f".{out.name}.*-*"):
        kind, _, pid = d.name[len(out.name) + 2:].partition("-")
        if kind not in ("tmp", "old") or not pid.isdigit() or not d.is_dir() or _alive(int(pid)):
            continue
        if results_manifest(d) is not None and all(is_own_name(p.name) for p in d.iterdir()):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def run_to_dir(plan: Plan, keep: Keep, out: str | Path, manifest: dict[str, Any], jobs: int | None = None,
               progress: Callable[[int], None] | None = None,
               on_start: Callable[[int], None] | None = None,
               finish: Callable[[Path, Results], dict[str, Any]] | None = None,
               resume: bool = False, force: bool = False) -> Results:
    """Run a plan into the results store at ``out``, each chunk written as it finishes (like a sweep).

    ``out`` is checked first (:func:`sim.store.check_out`): a file, a directory of the user's (unless
    ``force``) or an unwritable place is refused before any run. Results of an earlier run in ``out`` are
    replaced (Liptako's own files only), or with ``resume`` continued: runs already stored are kept and
    only the missing ones run (a chunk cut off by a crash or SIGKILL is removed first), so the tables
    equal an uninterrupted run's. A run that raises is recorded in the failures table with its seed and
    traceback, and the others go on.

    Args:
        manifest: the output's manifest (``kind`` and what ran); counts, status and timing are added.
        on_start: called with the number of runs still to do once the workers exist.
        finish: called with ``out`` and the complete results (no failures) once every run is stored; may
            write more files there and returns entries to add to the manifest.
        resume: continue the results in ``out`` (they must be of the same plan); failed runs run again.
        force: write into a directory that holds other files (they are kept).

    Raises:
        OutputError: ``out`` cannot be used (nothing was written).
        OutputError: also ``--resume`` of different results.
        SweepError: runs failed (the others are stored; the first failure's seed and traceback are in the
            message).
        KeyboardInterrupt: after the finished chunks are stored and the manifest says 'interrupted'.
    """
    from sim.store import OutputError, check_out

    out = Path(out)
    kind = str(manifest.get("kind", "ensemble"))
    old = check_out(out, kind, force=force)
    ident = plan_sha256(plan, keep, kind)
    if resume and old is not None and old.get("plan_sha256") != ident:
        raise OutputError(f"--resume: {out} holds the results of a different run (scenario, seed, replicates or "
                         "kept tables differ); drop --resume to replace them, or give another --out")
    _clean_stale_siblings(out)
    t0 = time.perf_counter()
    ran = 0
    with open_executor("local", jobs, runs=plan.n_runs) as handle:
        # the store is written only once the workers exist (forking after pyarrow starts threads is unsafe)
        if resume and old is not None:
            store = SweepStore.open(out)
            store.clean_unfinished(drop_failed=True)
            m = store.manifest()
        else:
            m = {**manifest, "plan_sha256": ident, "status": "running", "started": now(), "sessions": []}
            store = SweepStore.create(out, m, plan.points, plan.runs, overwrite=True, force=force)
        done, _ = store.finished()
        todo = [r for r in plan.run_tuples() if r[0] not in done]
        if on_start:
            on_start(len(todo))

        def on_result(res: ChunkResult) -> None:
            nonlocal ran
            store.add_chunk(res)
            ran += len(res.run_ids)
            if progress:
                progress(len(res.run_ids))

        status = "interrupted"
        session: dict[str, Any] = {"started": now(), "pid": os.getpid(), "executor": handle.label,
                                   "workers": handle.workers, "resumed": len(done)}
        try:
            execute(plan, keep, handle, on_result, todo, next_chunk_id=store.next_chunk_id())
            status = "complete"
        except KeyboardInterrupt:
            handle.interrupted = True
            raise
        finally:
            done_all, failed_all = store.finished()
            m = store.manifest()
            m.update(counts={"planned": plan.n_runs, "finished": len(done_all), "failed": len(failed_all),
                             "remaining": plan.n_runs - len(done_all)},
                     status="complete" if len(done_all) == plan.n_runs else status, ended=now(),
                     executor=handle.label, workers=handle.workers,
                     wall_seconds=round(time.perf_counter() - t0, 3))
            m.setdefault("sessions", []).append({**session, "ended": m["ended"], "ran": ran, "status": status})
            store.write_manifest(m)
    res = load_results(out)
    _raise_failures(res.failures)
    if finish:
        m.update(finish(out, res))
        store.write_manifest(m)
    res.manifest = m
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
    force: bool = False,
) -> SweepSummary:
    """Run (or resume) a sweep and store its results in ``out``.

    Args:
        experiment: a loaded experiment or the path of an experiment file.
        out: the results directory.
        executor: ``serial``, ``local`` (process pool, ``jobs`` workers) or ``dask``.
        jobs: workers (default all cores); scheduler: a Dask scheduler address (implies dask).
        resume: continue the sweep in ``out``: finished runs are skipped (failed ones too, unless
            ``retry_failed``). The experiment and scenario must hash as before.
        overwrite: delete the results in ``out`` (Liptako's files only) and start again.
        force: write into a directory that holds other files (they are kept).
        chunk_seconds: target wall time of one chunk of work.
        progress: called after each chunk with (runs that finished, runs that failed) in it.
        on_start: called once with (planned runs, runs already finished) before work goes out.

    Returns:
        A summary; the tables are read with :func:`sim.load_results`.

    Raises:
        SweepError: bad output directory, resume of a different experiment, no Dask, lost workers.
        KeyboardInterrupt: after the finished chunks are stored and the manifest says 'interrupted'.
    """
    from sim.store import check_out

    exp = experiment if isinstance(experiment, LoadedExperiment) else load_experiment(experiment)
    out = Path(out)
    old_manifest = check_out(out, "sweep", force=force)  # a file, a user's directory, read-only: refused now
    plan = make_plan(exp)
    manifest = sweep_manifest(exp, plan, command)
    if resume and old_manifest is not None:
        store = SweepStore.open(out)
        old = store.manifest()
        if old.get("experiment", {}).get("sha256") != manifest["experiment"]["sha256"]:
            raise SweepError(f"{out} holds results of a different experiment or scenario (hash "
                             f"{str(old.get('experiment', {}).get('sha256'))[:12]} vs "
                             f"{manifest['experiment']['sha256'][:12]}); use another --out or --overwrite")
        manifest = old
        fresh = False
    else:
        if resume and out.exists() and any(out.iterdir()) and not force:
            raise SweepError(f"{out} holds no sweep to resume (no manifest.json)")
        if old_manifest is not None and not overwrite:
            raise SweepError(f"{out} already holds results: pass --resume to continue that sweep or "
                             "--overwrite to start again")
        store = SweepStore(out)
        fresh = True

    s = exp.spec
    keep = Keep(exp.outcomes, s.timeline.keep, s.timeline.variables, s.events)

    t0 = time.perf_counter()
    ran = failed = 0
    session: dict[str, Any] = {"started": now(), "pid": os.getpid()}
    with open_executor(executor, jobs, scheduler, runs=plan.n_runs) as handle:
        # the store is written only once the workers exist (forking after pyarrow starts threads is unsafe)
        if fresh:
            store = SweepStore.create(out, manifest, plan.points, plan.runs, exp.text, overwrite=overwrite,
                                      force=force)
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
