"""Running a sweep: plan, executor, store, manifest; resumable and safe to interrupt."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.experiment import LoadedExperiment, load_experiment
from sim.scenario import scenario_hash
from sim.sweep.execute import ChunkJob, ChunkResult, ExecutorKind, SweepError, dispatch, open_executor
from sim.sweep.plan import Plan, design_seed, make_plan
from sim.sweep.store import SweepStore, now

__all__ = ["SweepSummary", "run_sweep", "sweep_manifest"]


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
        A summary; the tables are read with :func:`sim.sweep.load_sweep`.

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
    values = [tuple(plan.values(i)) for i in range(len(plan.points))]
    outcome_names = exp.outcomes

    def make_job(chunk: int, runs: list[tuple[int, int, int, int]]) -> ChunkJob:
        return ChunkJob(chunk, exp.base_data, [(r, p, k, sd, values[p]) for r, p, k, sd in runs],
                        outcome_names, s.timeline.keep, s.timeline.variables, s.events)

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
        todo = [tuple(int(x) for x in r) for r in plan.runs[["run_id", "point", "replicate", "seed"]]
                .itertuples(index=False, name=None) if int(r[0]) not in done]
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
            dispatch(handle, todo, make_job, on_result, chunk_seconds=chunk_seconds,
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
