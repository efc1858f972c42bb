"""Outputs: ``run`` streams its runs to the store and resumes after SIGKILL with the uninterrupted tables;
a failing run is recorded with its seed and traceback while the others go on; ``--out`` never replaces or
moves a user's file; stale temporary directories of an earlier version are cleaned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.scenario import load_scenario
from sim.scenario.errors import OutputError
from sim.store import check_out, table_hash
from sim.sweep import SweepError, ensemble_plan, load_results, run_to_dir
from sim.sweep.worker import Keep

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "gambia_2017.yaml"


def _run_cmd(out: Path, *extra: str, n: int = 96) -> list[str]:
    return [sys.executable, str(ROOT / "run.py"), "run", str(SCENARIO), "-n", str(n), "--seed", "7", "--jobs", "2",
            "-q", "--no-figures", "--out", str(out), *extra]


def _hashes(out: Path) -> dict[str, str]:
    r = load_results(out)
    return {k: table_hash(getattr(r, k)) for k in ("outcomes", "timeline", "events", "failures")}


def test_run_killed_then_resumed_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    subprocess.run(_run_cmd(whole), cwd=ROOT, check=True, capture_output=True, timeout=600)
    out = tmp_path / "killed"
    proc = subprocess.Popen(_run_cmd(out), cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        t0 = time.time()
        while not (out / "parts" / "done").exists() or not list((out / "parts" / "done").glob("chunk-*.json")):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.time() - t0 < 120, "no chunk reached the disk"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = load_results(out)  # what finished is on disk
    assert partial.manifest["status"] == "running" and 0 < len(partial.outcomes) < 96
    res = subprocess.run(_run_cmd(out, "--resume"), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    r = load_results(out)
    assert r.outcomes["run_id"].tolist() == list(range(96))
    assert _hashes(out) == _hashes(whole)
    assert r.manifest["status"] == "complete"
    assert r.manifest["sessions"][-1]["resumed"] == len(partial.outcomes)  # only the missing runs ran
    assert not list(out.rglob("*.tmp")) and not list(tmp_path.glob(".*"))  # no temporary file is left


def test_a_failing_run_is_recorded_and_the_others_go_on(tmp_path: Path) -> None:
    good = load_scenario(SCENARIO)
    bad = {**good.model_dump(mode="json"), "end": "1999-01-01"}  # fails to validate in the worker
    plan = ensemble_plan([good, bad], 2, [1, 2])  # type: ignore[list-item]
    with pytest.raises(SweepError, match="seed"):
        run_to_dir(plan, Keep(), tmp_path / "out", {"kind": "ensemble"}, jobs=1)
    r = load_results(tmp_path / "out")
    assert r.outcomes["point"].tolist() == [0, 0]  # the good point's runs are stored
    assert r.failures["point"].tolist() == [1, 1]
    assert r.failures["seed"].tolist() == plan.runs["seed"].tolist()[2:]
    assert all("Traceback" in t for t in r.failures["traceback"])
    assert r.manifest["counts"]["failed"] == 2


def _tiny_plan():
    return ensemble_plan([load_scenario(SCENARIO)], 2, [3])


def test_results_beside_a_users_files_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="--force"):
        run_to_dir(_tiny_plan(), Keep(), out, {"kind": "ensemble"}, jobs=1)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # nothing written
    run_to_dir(_tiny_plan(), Keep(), out, {"kind": "ensemble"}, jobs=1, force=True)
    assert (out / "notes.txt").read_text() == "mine" and len(load_results(out).outcomes) == 2
    run_to_dir(_tiny_plan(), Keep(), out, {"kind": "ensemble"}, jobs=1, force=True)  # replaced: ours only
    assert (out / "notes.txt").read_text() == "mine"


def test_a_users_file_with_a_results_name_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "d"
    out.mkdir()
    (out / "manifest.json").write_text('{"my": "own file"}')
    with pytest.raises(OutputError, match=r"manifest\.json"):
        check_out(out, "ensemble", force=True)
    assert json.loads((out / "manifest.json").read_text()) == {"my": "own file"}


def test_earlier_results_are_replaced_and_resume_of_other_results_refused(tmp_path: Path) -> None:
    out = tmp_path / "r"
    run_to_dir(_tiny_plan(), Keep(), out, {"kind": "ensemble"}, jobs=1)
    other = ensemble_plan([load_scenario(SCENARIO)], 3, [4])
    with pytest.raises(OutputError, match="different run"):
        run_to_dir(other, Keep(), out, {"kind": "ensemble"}, jobs=1, resume=True)
    assert len(load_results(out).outcomes) == 2  # untouched
    run_to_dir(other, Keep(), out, {"kind": "ensemble"}, jobs=1)
    assert len(load_results(out).outcomes) == 3
    m = load_results(out).manifest
    run_to_dir(other, Keep(), out, {"kind": "ensemble"}, jobs=1, resume=True)  # complete: nothing to run
    assert load_results(out).manifest["sessions"][-1]["ran"] == 0 and m["plan_sha256"]


def test_stale_temporary_directories_of_dead_processes_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "res"
    stale = tmp_path / ".res.tmp-999999999"  # no such process
    (stale / "parts").mkdir(parents=True)
    (stale / "manifest.json").write_text('{"kind": "ensemble"}')
    users = tmp_path / ".res.tmp-999999998"
    users.mkdir()
    (users / "diary.txt").write_text("not ours")
    run_to_dir(_tiny_plan(), Keep(), out, {"kind": "ensemble"}, jobs=1)
    assert not stale.exists() and (users / "diary.txt").exists()
