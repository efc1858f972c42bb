"""sim.analysis on sweeps whose outcomes are known functions of the design: regression indices, PRIM,
Monte Carlo error and its warnings, and `run.py analyze` on a small real LHS sweep."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.analysis import (
    convergence,
    convergence_lines,
    format_probability,
    index_warnings,
    parse_target,
    prim,
    regression_sensitivity,
    seed_warnings,
)
from sim.analysis.regression import prcc, src
from sim.cli import main as cli_main
from sim.experiment import load_experiment
from sim.sweep import make_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "niger_2023.yaml"
PATHS = ["parameters.support.w_cost", "parameters.support.w_domestic", "parameters.council.launch_p_win"]


def synthetic(tmp_path: Path, n: int = 200, replicates: int = 4, seeds: str = "independent",
              noise: float = 0.3, seed: int = 0) -> Any:
    """An LHS sweep result: ``score`` = 3 u0 - u1 + noise (u2 does nothing); ``hit`` = u0 > 0.7 and u1 < 0.5."""
    from sim.sweep.engine import sweep_manifest
    from sim.sweep.store import SweepResult

    p = tmp_path / "lhs.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: s
        scenario: {SCENARIO}
        parameters:
          {PATHS[0]}: {{low: 0, high: 5}}
          {PATHS[1]}: {{low: 0, high: 4}}
          {PATHS[2]}: {{low: 0.2, high: 0.9}}
        design: {{kind: lhs, n: {n}}}
        replicates: {replicates}
        seeds: {seeds}
        seed: 1
        outcomes: [target_stability, intervention]
        """))
    exp = load_experiment(p)
    plan = make_plan(exp)
    u = plan.points[[f"unit:{q}" for q in plan.paths]].to_numpy()[plan.runs["point"]]
    rng = np.random.default_rng(seed)
    score = 3 * u[:, 0] - u[:, 1] + rng.normal(0, noise, len(u))
    hit = (u[:, 0] > 0.7) & (u[:, 1] < 0.5)
    outcomes = plan.runs.assign(target_stability=score, intervention=hit)
    return SweepResult(outcomes, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), plan.points,
                       plan.runs, sweep_manifest(exp, plan, []))


def test_src_and_prcc_of_a_linear_function() -> None:
    rng = np.random.default_rng(3)
    x = rng.random((400, 3))
    y = 2 * x[:, 0] - x[:, 1]
    s = src(x, y)
    assert s[0] == pytest.approx(2 / np.sqrt(5), abs=0.05) and s[1] == pytest.approx(-1 / np.sqrt(5), abs=0.05)
    assert abs(s[2]) < 0.05
    p = prcc(x, y)
    assert p[0] > 0.9 and p[1] < -0.9 and abs(p[2]) < 0.1
    batched = src(np.stack([x, x]), np.stack([y, y]))  # one fit per leading index, as the bootstrap calls it
    assert batched.shape == (2, 3) and np.allclose(batched[1], s)


def test_regression_sensitivity_ranks_and_brackets(tmp_path: Path) -> None:
    res = regression_sensitivity(synthetic(tmp_path), ["target_stability"], num_resamples=200)
    t = res.table.set_index("parameter")
    assert t.loc[PATHS[0], "SRC"] > 0.8 and t.loc[PATHS[1], "SRC"] < -0.2
    for key in ("SRC", "PRCC"):
        assert (t[f"{key}_low"] <= t[key]).all() and (t[key] <= t[f"{key}_high"]).all()
    assert t.loc[PATHS[2], "PRCC_low"] < 0 < t.loc[PATHS[2], "PRCC_high"]  # the idle parameter
    assert t["feature_score"].idxmax() == PATHS[0] and t["feature_score"].sum() == pytest.approx(1.0)
    assert 0.8 < t["R2"].iloc[0] <= 1.0
    warnings = index_warnings(res.table)
    assert any("launch_p_win" in w and "wider than the index" in w for w in warnings)
    assert not any("w_cost" in w for w in warnings)


def test_prim_finds_the_box(tmp_path: Path) -> None:
    r = synthetic(tmp_path, n=300)
    d = prim(r, [parse_target("intervention", r), parse_target("target_stability>2.5", r)])
    chosen = d.chosen().set_index("target")
    c = chosen.loc["intervention"]
    assert c["coverage"] >= 0.5 and c["density"] > 0.8
    assert c["density_low"] <= c["density"] <= c["density_high"]
    box = d.boxes[d.boxes["target"] == "intervention"].set_index("parameter")
    assert box.loc[PATHS[0], "low"] == pytest.approx(0.7 * 5, abs=0.4)  # u0 > 0.7 on a 0..5 range
    assert box.loc[PATHS[1], "high"] == pytest.approx(0.5 * 4, abs=0.4)
    assert PATHS[2] not in box.index
    assert "target_stability > 2.5" in chosen.index
    tr = d.tradeoff[d.tradeoff["target"] == "intervention"]
    assert tr["coverage"].iloc[0] == 1.0 and tr["density"].iloc[-1] > tr["density"].iloc[0]
    assert tr["mass"].iloc[0] == 1.0 and (tr["mass"].diff().dropna() <= 1e-12).sum() >= len(tr) // 2


def test_parse_target_names_what_is_wrong(tmp_path: Path) -> None:
    r = synthetic(tmp_path, n=20)
    with pytest.raises(ValueError, match="not yes/no; give a threshold"):
        parse_target("target_stability", r)
    with pytest.raises(ValueError, match="no outcome 'nope'"):
        parse_target("nope>1", r)
    t = parse_target("target_stability >= 1", r)
    assert t.flags(r.outcomes).sum() == (r.outcomes["target_stability"] >= 1).sum()


def test_convergence_mcse_and_replicates_needed(tmp_path: Path) -> None:
    r = synthetic(tmp_path, n=50, replicates=8, noise=0.5)
    c = convergence(r, precision=0.05).set_index("outcome")
    s = c.loc["target_stability"]
    assert s["within_sd"] == pytest.approx(0.5, rel=0.15)
    assert s["mcse"] == pytest.approx(s["within_sd"] / np.sqrt(8))
    assert s["replicates_needed"] == int(np.ceil((1.959963984540054 * s["within_sd"] / s["precision"]) ** 2))
    p = c.loc["intervention"]
    assert p["kind"] == "yes/no" and p["low"] <= p["mean"] <= p["high"]
    lines = convergence_lines(c.reset_index())
    assert any(line.startswith("P(intervention) = ") and "[" in line for line in lines)


def test_few_common_seeds_that_agree_are_flagged(tmp_path: Path) -> None:
    r = synthetic(tmp_path, n=40, replicates=4, seeds="common", noise=0.0)
    w = seed_warnings(convergence(r), r)
    assert any("intervention" in x and "seeds: common" in x for x in w)
    noisy = synthetic(tmp_path, n=40, replicates=4, noise=0.5)
    assert not any("target_stability" in x for x in seed_warnings(convergence(noisy), noisy))


def test_format_probability_has_its_interval() -> None:
    assert format_probability(55, 100) == "55% [45%, 64%]"
    assert format_probability(0, 50).startswith("0% [0%, ")
    assert format_probability(1, 300).startswith("0.3% [")  # a rare outcome does not read as zero


def test_analyze_command_on_a_small_lhs_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "l.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: l
        scenario: {SCENARIO}
        parameters:
          parameters.council.launch_p_win: {{low: 0.05, high: 0.95}}
          parameters.support.w_cost: {{low: 0.0, high: 5.0}}
        design: {{kind: lhs, n: 12}}
        replicates: 2
        seed: 5
        outcomes: [intervention, max_escalation, sanction_weeks]
        """))
    out = tmp_path / "res"
    assert cli_main(["sweep", str(p), "--out", str(out), "--jobs", "1", "-q"]) == 0
    swept = capsys.readouterr().out  # the sweep's summary: each outcome's interval and Monte Carlo error
    assert "P(intervention) = " in swept and "MCSE of a point's mean" in swept
    assert swept.strip().splitlines()[-1].startswith("l: 24 runs")
    assert cli_main(["analyze", str(out), "--resamples", "50", "--prim", "max_escalation>=5"]) == 0
    printed = capsys.readouterr()
    assert "P(intervention) = " in printed.out and "replicates" in printed.out
    for f in ("point_means.csv", "convergence.csv", "regression.csv", "regression.png"):
        assert (out / f).stat().st_size > 100, f
    reg = pd.read_csv(out / "regression.csv")
    assert set(reg["parameter"]) == {"parameters.council.launch_p_win", "parameters.support.w_cost"}
    assert cli_main(["analyze", str(out), "--prim", "sanction_weeks"]) == 2
    assert "not yes/no" in capsys.readouterr().err
