"""The public API's run engine: ``run.py run``'s results store, the one loader and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

import sim
from sim.ensemble import run_ensemble, spawn_seeds
from sim.scenario import load_scenario
from sim.sweep import NoResultsError, SweepError, load_results
from tests.conftest import SCENARIOS, run_cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "res"
    r = run_cli("run", str(SCENARIOS / "gambia_2017.yaml"), "-n", "6", "-j", "2", "--seed", "9",
                "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    return out


def test_cli_run_writes_the_store_manifest_figures(run_dir: Path) -> None:
    res = sim.load_results(run_dir)
    o = res.outcomes
    for col in ("run_id", "point", "replicate", "seed", "intervention", "intervention_week", "war",
                "war_weeks", "max_escalation", "honour_rate"):
        assert col in o.columns
    assert len(o) == 6 and o["seed"].tolist() == spawn_seeds(9, 6) == res.runs["seed"].tolist()
    assert (o["point"] == 0).all() and len(res.points) == 1 and res.complete
    assert o["intervention"].dtype == bool and str(o["intervention_week"].dtype) == "Int64"
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["kind"] == "ensemble" and m["status"] == "complete"
    assert m["root_seed"] == 9 and m["replicates"] == 6 and len(m["scenario"]["sha256"]) == 64
    assert {"commit", "dirty"} <= m["git"].keys() and m["versions"]["mesa"].startswith("3.5")
    assert (run_dir / "figures" / "ladder.png").stat().st_size > 1000
    assert (run_dir / "figures" / "outcomes.svg").exists()
    assert set(res.timeline["run_id"]) == set(range(6)) and set(res.events["run_id"]) <= set(range(6))
    assert not list(run_dir.parent.glob(".res.tmp-*"))  # the temporary directory is gone


def test_stored_run_equals_the_ensemble_in_memory(run_dir: Path) -> None:
    res = load_results(run_dir)
    ens = run_ensemble(load_scenario(SCENARIOS / "gambia_2017.yaml"), 6, seed=9, jobs=1)
    pdt.assert_frame_equal(res.outcomes.drop(columns="point"), ens.outcomes)
    pdt.assert_frame_equal(res.timeline, ens.timeline)
    pdt.assert_frame_equal(res.events, ens.events)


def test_load_results_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(NoResultsError, match="no such directory"):
        sim.load_results(tmp_path / "nowhere")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(NoResultsError, match="not a directory"):
        sim.load_results(tmp_path / "f.txt")
    with pytest.raises(NoResultsError, match=r"no manifest\.json"):
        sim.load_results(tmp_path)
    old = tmp_path / "old"
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    pd.DataFrame({"run_id": [0]}).to_parquet(old / "outcomes.parquet")
    with pytest.raises(NoResultsError, match="older layout"):
        sim.load_results(old)
    assert issubclass(NoResultsError, FileNotFoundError) and issubclass(NoResultsError, SweepError)


def test_the_loaders_are_public() -> None:
    assert {"load_results", "load_sweep", "Results", "run_sweep"} <= set(sim.__all__)
    assert sim.load_sweep is sim.load_results


def test_a_failing_run_raises_with_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.runner

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("boom in week 3")

    monkeypatch.setattr(sim.runner, "run", boom)
    with pytest.raises(SweepError, match="boom in week 3"):
        run_ensemble(load_scenario(SCENARIOS / "gambia_2017.yaml"), 2, seed=1, jobs=1)
