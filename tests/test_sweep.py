"""Sweeps: identical tables on every executor, resume after SIGKILL, failures recorded, Ctrl-C, analysis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.cli import main as cli_main
from sim.ensemble import spawn_seeds
from sim.experiment import load_experiment
from sim.store import table_hash
from sim.sweep import SweepError, load_sweep, make_plan, run_sweep
from sim.sweep.execute import SerialExecutor, dispatch, open_executor

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "niger_2023.yaml"
BIND = "treaties.liptako_gourma.clauses.art6.bindingness"
SENATE = "events.nigeria_senate.value"


def experiment(tmp_path: Path, replicates: int = 3, extra: str = "", name: str = "exp.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(f"""\
        name: t
        scenario: {SCENARIO}
        parameters:
          {BIND}: [0.0, 1.0]
          {SENATE}: [0.2, 0.8]
        design: {{kind: grid}}
        replicates: {replicates}
        seed: 42
        outcomes: [intervention, max_escalation, sanction_weeks, intervention_week, honour_rate]
        """) + extra)
    return p


def hashes(out: Path) -> dict[str, str]:
    r = load_sweep(out)
    return {k: table_hash(getattr(r, k)) for k in ("outcomes", "timeline", "summary", "events", "failures")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small sweep with a timeline summary and events, run serially: the reference tables."""
    tmp = tmp_path_factory.mktemp("ref")
    exp = experiment(tmp, extra="timeline: {keep: summary, variables: [rung, stability]}\nevents: true\n")
    run_sweep(exp, tmp / "serial", executor="serial")
    return exp, tmp / "serial"


def test_tables_are_tidy_with_design_and_seed_on_every_row(reference: tuple[Path, Path]) -> None:
    exp, out = reference
    r = load_sweep(out)
    plan = make_plan(load_experiment(exp))
    o = r.outcomes
    assert r.complete and r.failures.empty
    assert o["run_id"].tolist() == list(range(12))
    assert list(o.columns[:6]) == ["run_id", "point", "replicate", "seed", BIND, SENATE]
    assert o["seed"].tolist() == spawn_seeds(42, 12) == plan.runs["seed"].tolist()
    merged = o.merge(plan.points, on="point", suffixes=("", "_plan"))
    for p in (BIND, SENATE):
        assert (merged[p] == merged[p + "_plan"]).all()
    assert str(o["intervention_week"].dtype) == "Int64"
    assert set(r.summary["variable"]) == {"rung", "stability"}
    assert list(r.summary.columns) == ["run_id", "variable", "actor", "target", "final", "mean", "min", "max"]
    assert (r.summary["min"] <= r.summary["mean"]).all() and (r.summary["mean"] <= r.summary["max"]).all()
    assert set(r.events["run_id"]) == set(range(12)) and r.timeline.empty
    m = r.manifest
    assert m["status"] == "complete"
    assert m["counts"] == {"planned": 12, "finished": 12, "failed": 0, "remaining": 0}
    assert m["root_seed"] == 42
    assert len(m["experiment"]["sha256"]) == 64 and len(m["scenario"]["sha256"]) == 64
    assert "git" in m and "versions" in m and m["sessions"][0]["ran"] == 12


def test_one_run_matches_the_run_boundary(reference: tuple[Path, Path]) -> None:
    from sim.experiment import scenario_for
    from sim.runner import run

    exp_path, out = reference
    r = load_sweep(out)
    exp = load_experiment(exp_path)
    row = r.outcomes.iloc[7]
    rec = run(scenario_for(exp.base_data, [(BIND, row[BIND]), (SENATE, row[SENATE])]), int(row["seed"]))
    for k in ("intervention", "max_escalation", "sanction_weeks"):
        assert rec.outcomes[k] == row[k]


def test_pool_and_dask_give_identical_tables(reference: tuple[Path, Path], tmp_path: Path) -> None:
    exp, serial = reference
    want = hashes(serial)
    run_sweep(exp, tmp_path / "pool", executor="local", jobs=2, chunk_seconds=0.05)
    assert hashes(tmp_path / "pool") == want
    run_sweep(exp, tmp_path / "dask", executor="dask", jobs=2, chunk_seconds=0.3)
    assert hashes(tmp_path / "dask") == want
    assert load_sweep(tmp_path / "dask").manifest["sessions"][0]["executor"].startswith("dask LocalCluster")


def test_chunking_does_not_change_results(reference: tuple[Path, Path], tmp_path: Path) -> None:
    exp, serial = reference
    run_sweep(exp, tmp_path / "tiny", executor="serial", chunk_seconds=1e-4)  # one run per chunk
    assert hashes(tmp_path / "tiny") == hashes(serial)
    n_chunks = [len(list((d / "parts" / "done").glob("chunk-*.json"))) for d in (tmp_path / "tiny", serial)]
    assert n_chunks[0] > n_chunks[1]


def test_dispatch_sizes_chunks_from_measured_time() -> None:
    from sim.sweep.execute import ExecutorHandle
    from sim.sweep.worker import ChunkJob, ChunkResult

    sizes: list[int] = []

    def fake(job: ChunkJob) -> ChunkResult:
        sizes.append(len(job.runs))
        e = pd.DataFrame()
        return ChunkResult(job.chunk, [r[0] for r in job.runs], e, e, e, e, e, 0.01 * len(job.runs))

    got: list[int] = []
    dispatch(ExecutorHandle(SerialExecutor(), 1, "serial"), list(range(1000)),
             lambda c, runs: ChunkJob(c, [(r, 0, 0, 0) for r in runs], {}),
             lambda res: got.extend(res.run_ids), chunk_seconds=0.5, fn=fake)
    assert sorted(got) == list(range(1000))  # every run once
    assert sizes[0] == 4 and max(sizes) == 50  # 0.5 s at 10 ms a run
    assert sizes[-1] < 50  # the tail is split


def test_failed_run_is_recorded_and_the_rest_complete(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.runner

    real = sim.runner.run
    bad_seed = spawn_seeds(42, 12)[5]

    def flaky(scenario: Any, seed: int, **kw: Any) -> Any:
        if seed == bad_seed:
            raise RuntimeError("boom in week 3")
        return real(scenario, seed, **kw)

    monkeypatch.setattr(sim.runner, "run", flaky)
    s = run_sweep(experiment(tmp_path), tmp_path / "out", executor="serial")
    assert (s.ran, s.failed, s.status) == (12, 1, "complete")
    r = load_sweep(tmp_path / "out")
    assert r.complete and len(r.outcomes) == 11 and 5 not in set(r.outcomes["run_id"])
    f = r.failures.iloc[0]
    assert (f["run_id"], f["seed"], f["point"], f["replicate"]) == (5, bad_seed, 1, 2)
    assert f["error"] == "RuntimeError"
    assert "boom in week 3" in f["traceback"] and "Traceback" in f["traceback"]
    # --resume skips the failed run; --retry-failed runs it again
    monkeypatch.setattr(sim.runner, "run", real)
    again = run_sweep(experiment(tmp_path), tmp_path / "out", executor="serial", resume=True)
    assert again.ran == 0
    again = run_sweep(experiment(tmp_path), tmp_path / "out", executor="serial", resume=True,
                      retry_failed=True)
    assert again.ran >= 1 and again.failed == 0
    r = load_sweep(tmp_path / "out")
    assert r.failures.empty and r.outcomes["run_id"].tolist() == list(range(12))


def test_ctrl_c_keeps_finished_chunks_then_resume(reference: tuple[Path, Path], tmp_path: Path) -> None:
    exp, serial = reference
    seen = [0]

    def interrupt_after_two(ok: int, failed: int) -> None:
        seen[0] += 1
        if seen[0] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(exp, tmp_path / "out", executor="serial", chunk_seconds=1e-4, progress=interrupt_after_two)
    r = load_sweep(tmp_path / "out")
    assert r.manifest["status"] == "interrupted" and not r.complete
    n = len(r.outcomes)
    assert 0 < n < 12 and r.manifest["counts"]["finished"] == n
    assert len(list((tmp_path / "out" / "parts" / "done").glob("chunk-*.json"))) == 2
    s = run_sweep(exp, tmp_path / "out", executor="serial", resume=True)
    assert (s.finished_before, s.ran) == (n, 12 - n)
    assert hashes(tmp_path / "out") == hashes(serial)
    assert len(load_sweep(tmp_path / "out").manifest["sessions"]) == 2


def test_existing_results_need_resume_or_overwrite(reference: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    exp, serial = reference
    with pytest.raises(SweepError, match="--resume"):
        run_sweep(exp, serial, executor="serial")
    other = experiment(tmp_path, replicates=2)
    assert cli_main(["sweep", str(other), "--out", str(serial), "--resume", "-q"]) == 2
    assert "different experiment" in capsys.readouterr().err
    assert load_sweep(serial).complete  # untouched


def _sweep_cmd(exp: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "run.py"), "sweep", str(exp), "--out", str(out), "--jobs", "2", "-q",
            "--chunk-seconds", "0.1", *extra]


def _wait_for_chunks(out: Path, n: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        done = out / "parts" / "done"
        if done.exists() and len(list(done.glob("chunk-*.json"))) >= n:
            return
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError("no chunk finished in time")


def test_sigkill_then_resume_gives_the_uninterrupted_table(tmp_path: Path) -> None:
    exp = experiment(tmp_path, replicates=16, extra="timeline: summary\n")  # 64 runs
    run_sweep(exp, tmp_path / "whole", executor="serial")
    out = tmp_path / "killed"
    proc = subprocess.Popen(_sweep_cmd(exp, out), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_chunks(out, 1, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = load_sweep(out)
    assert not partial.complete and partial.manifest["status"] == "running"
    assert 0 < len(partial.outcomes) < 64
    res = subprocess.run(_sweep_cmd(exp, out, "--resume"), cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert "done before" in res.stdout
    r = load_sweep(out)
    ids = r.outcomes["run_id"]
    assert ids.is_unique and ids.tolist() == list(range(64))
    assert hashes(out) == hashes(tmp_path / "whole")
    assert r.manifest["status"] == "complete"
    assert len(r.manifest["sessions"]) == 1  # the killed session never closed


def test_sigint_stops_cleanly(tmp_path: Path) -> None:
    # 400 runs: enough that the signal after two chunks of 0.1 s lands before the last run, on a fast machine
    # too (a Niger run without war takes a few tens of milliseconds)
    exp = experiment(tmp_path, replicates=100)
    out = tmp_path / "out"
    # SIGINT back to its default in the child: a test run started in the background of a non-interactive shell
    # inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt
    proc = subprocess.Popen(_sweep_cmd(exp, out), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for_chunks(out, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"--resume" in err
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "interrupted" and 0 < m["counts"]["finished"] < 400
    assert not list(out.rglob("*.tmp"))  # nothing half-written


def test_cli_sweep_prints_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp = experiment(tmp_path, replicates=1)
    assert cli_main(["sweep", str(exp), "--out", str(tmp_path / "o"), "--executor", "serial", "-q"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("t: 4 runs (0 failed) in ") and "runs/s" in line and "[complete]" in line


def test_sweep_code_imports_without_dask() -> None:
    code = ("import sys; sys.modules['dask'] = sys.modules['distributed'] = None\n"
            "import sim.sweep, sim.sensitivity, sim.commands.sweep, sim.commands.analyze\n"
            "print('ok')")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_executor_without_dask_gives_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if Dask were not installed
    with pytest.raises(SweepError, match="pip install 'liptako\\[dask\\]'"), open_executor("dask", 1):
        pass


# --- sensitivity ----------------------------------------------------------------------------------


def _synthetic(kind: str, tmp_path: Path, n: int) -> Any:
    """A sweep result whose outcome is a known function of the unit coordinates."""
    from sim.sweep.store import SweepResult

    p = tmp_path / f"{kind}.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: s
        scenario: {SCENARIO}
        parameters:
          parameters.support.w_cost: {{low: 0, high: 5}}
          parameters.support.w_domestic: {{low: 0, high: 4}}
          parameters.council.launch_p_win: {{low: 0.2, high: 0.9}}
        design: {{kind: {kind}, n: {n}}}
        seed: 1
        outcomes: [target_stability]
        """))
    exp = load_experiment(p)
    plan = make_plan(exp)
    u = plan.points[[f"unit:{q}" for q in plan.paths]].to_numpy()
    y = 4.0 * u[:, 0] + 1.0 * u[:, 1] ** 2  # the third parameter does nothing
    outcomes = plan.runs.assign(target_stability=y[plan.runs["point"]])
    from sim.sweep.engine import sweep_manifest

    return SweepResult(outcomes, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), plan.points,
                       plan.runs, sweep_manifest(exp, plan, []))


def test_sobol_indices_rank_a_known_function(tmp_path: Path) -> None:
    from sim.sensitivity import analyze_sweep

    res = analyze_sweep(_synthetic("sobol", tmp_path, 256), num_resamples=200)
    t = res.table.set_index("parameter")
    assert list(res.table.columns) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    st_ = t["ST"]
    assert st_["parameters.support.w_cost"] > 0.8 > st_["parameters.support.w_domestic"] > 0.02
    assert abs(st_["parameters.council.launch_p_win"]) < 0.02
    assert (t["S1_conf"].iloc[:2] > 0).all() and (t["ST_conf"] >= 0).all()


def test_morris_indices_rank_a_known_function(tmp_path: Path) -> None:
    from sim.sensitivity import analyze_sweep

    res = analyze_sweep(_synthetic("morris", tmp_path, 10), num_resamples=100)
    t = res.table.set_index("parameter")
    assert np.isclose(t.loc["parameters.support.w_cost", "mu_star"], 4.0)  # linear: every effect is 4
    assert np.isclose(t.loc["parameters.support.w_cost", "sigma"], 0.0, atol=1e-9)
    assert t.loc["parameters.council.launch_p_win", "mu_star"] == 0.0
    assert 0 < t.loc["parameters.support.w_domestic", "mu_star"] < 4.0


def test_analyze_command_on_a_small_morris_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "m.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: m
        scenario: {SCENARIO}
        parameters:
          parameters.support.w_cost: {{low: 0.0, high: 5.0}}
          parameters.support.w_domestic: {{low: 0.0, high: 4.0}}
        design: {{kind: morris, n: 3}}
        seed: 3
        outcomes: [max_escalation, sanction_weeks, intervention_outcome, intervention_week]
        """))
    out = tmp_path / "res"
    assert cli_main(["sweep", str(p), "--out", str(out), "--jobs", "2", "-q"]) == 0
    assert cli_main(["analyze", str(out), "--resamples", "50"]) == 0
    printed = capsys.readouterr().out
    assert "skipped intervention_outcome: not numeric" in printed
    t = pd.read_csv(out / "sensitivity.csv")
    assert set(t["parameter"]) == {"parameters.support.w_cost", "parameters.support.w_domestic"}
    assert {"mu_star", "sigma", "mu_star_conf"} <= set(t.columns)
    assert (out / "sensitivity.png").stat().st_size > 1000
    means = pd.read_csv(out / "point_means.csv")
    assert len(means) == 9 and (means["runs"] == 1).all()
