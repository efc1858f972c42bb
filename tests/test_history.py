"""The historical check: the episode format, the scores, and what the calibrated model says."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from sim.history import (
    brier,
    episode_seed,
    load_episode,
    load_episodes,
    ranked_probability_score,
    run_history,
    wilson_interval,
    with_parameters,
)
from sim.scenario import ScenarioError
from sim.store import table_hash
from sim.sweep import load_results

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "scenarios" / "history"

OBSERVED = """observed:
  max_rung: 6
  force_used: true
  within_weeks: 6
  target: GMB
  bloc: ecowas
  source: test
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the format ------------------------------------------------------------------------------------


def test_episode_without_observed_is_an_error_naming_the_file(tmp_path: Path) -> None:
    f = _write(tmp_path / "no_obs.yaml", f"extends: {ROOT / 'scenarios/gambia_2017.yaml'}\nname: x\n")
    with pytest.raises(ScenarioError) as e:
        load_episode(f)
    msg = str(e.value)
    assert str(f) in msg and "observed" in msg


def test_directory_reports_the_bad_file_and_skips_bases(tmp_path: Path) -> None:
    base = ROOT / "scenarios/gambia_2017.yaml"
    _write(tmp_path / "_base.yaml", f"extends: {base}\nname: base_without_observed\n")  # skipped
    _write(tmp_path / "good.yaml", f"extends: _base.yaml\nname: good\n{OBSERVED}")
    eps = load_episodes(tmp_path)
    assert [e.name for e in eps] == ["good"]
    assert eps[0].scenario.focus == "GMB" and eps[0].scenario.focus_bloc == "ecowas"
    _write(tmp_path / "bad.yaml", "extends: _base.yaml\nname: bad\n")
    with pytest.raises(ScenarioError) as e:
        load_episodes(tmp_path)
    assert str(tmp_path / "bad.yaml") in str(e.value)
    assert "good.yaml" not in str(e.value)


def test_observed_must_be_consistent(tmp_path: Path) -> None:
    base = ROOT / "scenarios/gambia_2017.yaml"
    f = _write(tmp_path / "e.yaml",
               f"extends: {base}\nname: e\n" + OBSERVED.replace("max_rung: 6", "max_rung: 5"))
    with pytest.raises(ScenarioError, match="force was used"):
        load_episode(f)
    f = _write(tmp_path / "t.yaml", f"extends: {base}\nname: t\n" + OBSERVED.replace("GMB", "XXX"))
    with pytest.raises(ScenarioError, match=r"observed\.target"):
        load_episode(f)
    f = _write(tmp_path / "l.yaml", f"extends: {base}\nname: l\n" + OBSERVED.replace("force_used: true",
                                                                                     "force_used: maybe"))
    with pytest.raises(ScenarioError) as e:
        load_episode(f)
    assert f"{f}:" in str(e.value) and "force_used" in str(e.value)


def test_every_shipped_episode_loads_with_a_source() -> None:
    eps = load_episodes(HISTORY)
    names = {e.name for e in eps}
    assert {"gambia_2017", "niger_2023", "guinea_2021"} <= names
    assert len(eps) >= 3
    for e in eps:
        assert e.observed.source.strip(), e.path
        assert e.scenario.weeks <= 53, e.path  # the common horizon: at most 52 weeks from the trigger


def test_with_parameters_checks_paths_and_bounds() -> None:
    s = load_episode(HISTORY / "gambia_2017.yaml").scenario
    s2 = with_parameters(s, {"council.launch_p_win": 0.42, "parameters.support.w_norm": 1.5})
    assert s2.parameters.council.launch_p_win == 0.42 and s2.parameters.support.w_norm == 1.5
    assert s.parameters.council.launch_p_win != 0.42 or s is not s2
    with pytest.raises(ScenarioError, match="no such parameter"):
        with_parameters(s, {"council.no_such": 1})
    with pytest.raises(ScenarioError, match="launch_p_win"):
        with_parameters(s, {"council.launch_p_win": 1.5})


# --- the scores ------------------------------------------------------------------------------------


def test_brier_on_known_numbers() -> None:
    assert brier([0.9, 0.2, 0.5], [1, 0, 0]) == pytest.approx((0.01 + 0.04 + 0.25) / 3)
    assert brier([1.0, 0.0], [True, False]) == 0.0
    assert brier([0.0, 1.0], [True, False]) == 1.0
    assert brier([0.5] * 4, [1, 0, 1, 0]) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        brier([0.5], [1, 0])
    with pytest.raises(ValueError):
        brier([1.5], [1])


def test_ranked_probability_score_on_known_numbers() -> None:
    assert ranked_probability_score([0, 0, 1], 2) == 0.0
    assert ranked_probability_score([1, 0, 0], 2) == pytest.approx(1.0)
    # F = [0.5, 1.0], O = [0, 1] for observed rung 1: ((0.5)^2 + 0) / 2
    assert ranked_probability_score([0.5, 0.5, 0.0], 1) == pytest.approx(0.125)
    # two categories: the RPS is the Brier score of "rung >= 1"
    assert ranked_probability_score([0.3, 0.7], 1) == pytest.approx(brier([0.7], [1]))


def test_wilson_interval_on_known_numbers() -> None:
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(0.7225, abs=1e-4)


def test_episode_seed_depends_on_root_and_name_only() -> None:
    assert episode_seed(1, "a") == episode_seed(1, "a")
    assert episode_seed(1, "a") != episode_seed(1, "b")
    assert episode_seed(1, "a") != episode_seed(2, "a")


# --- what the model says ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gambia_niger():
    eps = load_episodes(HISTORY)
    by = {e.name: e for e in eps}
    return run_history([by["gambia_2017"], by["niger_2023"]], replicates=60, seed=11, jobs=1)


def test_gambia_p_force_is_above_niger(gambia_niger) -> None:
    t = gambia_niger.table.set_index("episode")
    assert t.loc["gambia_2017", "p_force"] > t.loc["niger_2023", "p_force"]
    # not just noise: the intervals do not overlap
    assert t.loc["gambia_2017", "p_force_low"] > t.loc["niger_2023", "p_force_high"]


def test_table_rows_are_consistent(gambia_niger) -> None:
    t = gambia_niger.table
    assert list(t["episode"]) == ["gambia_2017", "niger_2023"]
    assert (t["p_force_low"] <= t["p_force"]).all() and (t["p_force"] <= t["p_force_high"]).all()
    rung_cols = [f"p_rung_{r}" for r in range(7)]
    assert t[rung_cols].sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0])
    assert gambia_niger.brier == pytest.approx(brier(t["p_force"], t["observed_force"]))
    assert len(gambia_niger.outcomes) == 120
    o = gambia_niger.outcomes
    assert o["run_id"].tolist() == list(range(120)) and o.groupby("episode")["replicate"].max().eq(59).all()


def test_adding_an_episode_does_not_change_the_others(gambia_niger) -> None:
    eps = {e.name: e for e in load_episodes(HISTORY)}
    alone = run_history([eps["gambia_2017"]], replicates=60, seed=11, jobs=1).table.iloc[0]
    assert alone["p_force"] == gambia_niger.table.iloc[0]["p_force"]
    assert alone["seed"] == gambia_niger.table.iloc[0]["seed"]


# --- the command -----------------------------------------------------------------------------------


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_history_command_writes_table_and_manifest(tmp_path: Path) -> None:
    d = tmp_path / "eps"
    d.mkdir()
    _write(d / "gambia.yaml", f"extends: {HISTORY / 'gambia_2017.yaml'}\nname: my_gambia\n")
    out = tmp_path / "out"
    r = _run("history", str(d), "-n", "5", "-j", "1", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "my_gambia" in r.stdout and "Brier" in r.stdout
    for f in ("history.csv", "history.parquet", "manifest.json", "runs.parquet", "points.parquet"):
        assert (out / f).exists(), f
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "history" and m["replicates"] == 5 and m["status"] == "complete"
    assert m["episodes"][0]["name"] == "my_gambia"
    assert not math.isnan(m["scores"]["brier"])
    res = load_results(out)  # the one loader reads a history directory too
    assert len(res.outcomes) == 5 and set(res.outcomes["episode"]) == {"my_gambia"}
    assert res.points["episode"].tolist() == ["my_gambia"]
    assert m["table_sha256"]["outcomes"] == table_hash(res.outcomes)


def test_history_command_bad_episode_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "eps"
    d.mkdir()
    _write(d / "plain.yaml", f"extends: {ROOT / 'scenarios/gambia_2017.yaml'}\nname: plain\n")
    out = tmp_path / "out"
    r = _run("history", str(d), "-n", "2", "-j", "1", "-q", "--out", str(out))
    assert r.returncode == 2
    assert "plain.yaml" in r.stderr and "observed" in r.stderr
    assert not out.exists()
