"""``run.py figures`` and ``run.py reproduce``: lock files, matches, and a tampered table caught."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim.cli import main as cli
from sim.experiment import load_experiment
from sim.paper import KINDS, FigureError, FigureInput, draw
from sim.sweep import SweepResult

ROOT = Path(__file__).resolve().parent.parent


def _experiment(tmp: Path, name: str = "tiny_fig", figures: str | None = None) -> Path:
    scen = os.path.relpath(ROOT / "scenarios" / "niger_2023.yaml", tmp)
    figures = figures or """
  - name: tiny_outcomes
    kind: outcomes
    params:
      outcomes: {intervention: "force used", "max_escalation>=2": "suspension or more"}
"""
    p = tmp / f"{name}.yaml"
    p.write_text(f"""name: {name}
scenario: {scen}
parameters:
  name: [niger_2023]
design:
  kind: grid
replicates: 3
seed: 7
outcomes: [intervention, max_escalation, war_weeks]
figures:{figures}""", encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    """A tiny experiment, run once from scratch with --update-lock."""
    tmp = tmp_path_factory.mktemp("repro")
    exp = _experiment(tmp)
    code = cli(["reproduce", str(exp), "--work", str(tmp / "w1"), "--update-lock", "-j", "1", "-q"])
    assert code == 0
    return tmp, exp


def test_update_lock_writes_table_and_figure_hashes(locked):
    tmp, _ = locked
    lock = json.loads((tmp / "tiny_fig.lock.json").read_text())
    assert set(lock["tables"]) == {"tiny_fig/outcomes", "tiny_fig/points"}
    assert set(lock["figures"]) == {"tiny_outcomes.png", "tiny_outcomes.svg"}
    assert all(len(h) == 64 for h in [*lock["tables"].values(), *lock["figures"].values()])
    assert lock["versions"]["matplotlib"]


def test_rerun_from_scratch_matches(locked, capsys):
    tmp, exp = locked
    assert cli(["reproduce", str(exp), "--work", str(tmp / "w2"), "-j", "1", "-q"]) == 0
    out = capsys.readouterr().out
    assert "table tiny_fig/outcomes" in out and "MISMATCH" not in out
    assert out.count(" match") >= 4


def test_tampered_table_is_a_mismatch_and_exit_1(locked, capsys):
    tmp, exp = locked
    work = tmp / "w1"  # results of the first run, figures included
    parts = sorted((work / "tiny_fig" / "parts" / "outcomes").glob("part-*.parquet"))
    assert parts
    df = pd.read_parquet(parts[0])
    df.loc[0, "war_weeks"] = int(df.loc[0, "war_weeks"]) + 1
    df.to_parquet(parts[0], index=False)
    assert cli(["reproduce", str(exp), "--check", str(work)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "table tiny_fig/outcomes" in x)
    assert line.rstrip().endswith("MISMATCH")
    assert "summary" in out and "MISMATCH" in out.split("summary")[-1]


def test_changed_lock_is_a_mismatch(locked, tmp_path, capsys):
    tmp, _ = locked
    lock = json.loads((tmp / "tiny_fig.lock.json").read_text())
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    exp2 = _experiment(copy_dir)
    lock["figures"]["tiny_outcomes.png"] = "0" * 64
    (copy_dir / "tiny_fig.lock.json").write_text(json.dumps(lock))
    # the stored results of the first run are current for this identical experiment
    assert cli(["reproduce", str(exp2), "--check", str(tmp / "w2")]) == 1
    out = capsys.readouterr().out
    assert "figure tiny_outcomes.png" in out and "MISMATCH" in out


def test_missing_lock_and_bad_input(locked, tmp_path, capsys):
    tmp, exp = locked
    other = _experiment(tmp_path, "no_lock")
    assert cli(["reproduce", str(other), "--check", str(tmp / "w2")]) == 2  # no results of it there
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert cli(["reproduce", str(exp), "--work", str(tmp_path / "full")]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nscenario: nowhere.yaml\nparameters: {name: [x]}\ndesign: {kind: grid}\n"
                   "seed: 1\n")
    assert cli(["figures", str(bad)]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err


def test_figures_command_uses_stored_results(locked, capsys):
    tmp, exp = locked
    assert cli(["figures", str(exp), "--results", str(tmp / "w2"), "-q"]) == 0
    out = capsys.readouterr().out
    assert "stored results are current" in out and "tiny_outcomes.png" in out


# --- the kinds, from tables built here ----------------------------------------------------------


@pytest.fixture(scope="module")
def fake_input(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kinds")
    exp = load_experiment(_experiment(tmp))
    n = 40
    outcomes = pd.DataFrame({
        "run_id": range(n), "point": [i // 4 for i in range(n)], "replicate": [i % 4 for i in range(n)],
        "seed": range(n), "name": "niger_2023",
        "a.b": [0.1 * (i // 8) for i in range(n)], "c.d": [0.5 * (i % 2) for i in range(n)],
        "intervention": [i % 3 == 0 for i in range(n)], "max_escalation": [i % 7 for i in range(n)],
        "war_weeks": [i % 5 for i in range(n)]})
    summary = pd.DataFrame([(r, "deployed", s, "", 10.0 * r, 5.0 * r, 0.0, 10.0 * r)
                            for r in range(n) for s in ("MLI", "BFA")],
                           columns=["run_id", "variable", "actor", "target", "final", "mean", "min", "max"])
    sens = pd.DataFrame({"outcome": ["war_weeks"] * 2, "parameter": ["a.b", "c.d"], "S1": [0.2, 0.1],
                         "S1_conf": [0.05, 0.05], "ST": [0.4, 0.2], "ST_conf": [0.05, 0.05]})
    sens.to_parquet(tmp / "sensitivity.parquet")
    res = SweepResult(outcomes, pd.DataFrame(), summary, pd.DataFrame(), pd.DataFrame(),
                      pd.DataFrame({"point": range(10)}), outcomes[["run_id"]],
                      {"design": {"kind": "grid", "points": 10}, "replicates": 4, "root_seed": 7,
                       "scenario": {"name": "niger_2023"}, "parameters": ["a.b", "c.d"]})
    return FigureInput(res, exp, directory=tmp)


def _drawn(ax) -> dict[str, list]:
    return {"widths": [round(float(p.get_width()), 6) for p in ax.patches],
            "cells": np.asarray(ax.get_images()[0].get_array()).tolist() if ax.get_images() else [],
            "lines": [[round(float(y), 6) for y in np.asarray(ln.get_ydata(), float)] for ln in ax.get_lines()
                      if len(ln.get_xdata()) == 5]}


@pytest.mark.parametrize("kind,params,check", [
    # P(force) = runs 0, 3, ..., 39 of 40 = 14 / 40
    ("outcomes", {"outcomes": {"intervention": "force"}}, lambda d: d["widths"] == [0.35]),
    # the cell a.b = 0 (runs 0-7) and c.d = 0 (even runs 0, 2, 4, 6): force in 0 and 6 -> 0.5; c.d = 0.5
    # (runs 1, 3, 5, 7): force in 3 -> 0.25
    ("heatmap", {"x": "a.b", "y": "c.d", "outcome": "intervention"},
     lambda d: [row[0] for row in d["cells"]] == [0.5, 0.25]),
    # mean war weeks (run % 5) at a.b = 0: runs 0, 2, 4, 6 -> (0 + 2 + 4 + 1) / 4; runs 1, 3, 5, 7 -> 6 / 4
    ("line", {"x": "a.b", "outcome": "war_weeks", "hue": "c.d"},
     lambda d: d["lines"][0][0] == 1.75 and d["lines"][3][0] == 1.5),
    # the stored indices: S1 0.2 and 0.1, ST 0.4 and 0.2
    ("sensitivity", {"outcomes": ["war_weeks"]}, lambda d: sorted(d["widths"]) == [0.1, 0.2, 0.2, 0.4]),
    # final troops deployed (10 x run) at a.b = 0 (runs 0-7): 10 x 3.5; at a.b = 0.4 (runs 32-39): 10 x 35.5
    ("tradeoff", {"x": "a.b", "panels": [{"variable": "deployed", "stat": "final"}]},
     lambda d: d["lines"][0][0] == 35.0 and d["lines"][0][-1] == 355.0),
])
def test_each_kind_draws_from_stored_tables(fake_input, kind, params, check):
    fig = draw(fake_input, "f", kind, params)
    text = " ".join(t.get_text() for t in fig.findobj(plt.Text)).replace("\n", " ")  # captions wrap
    want = "experiment tiny_fig: scenario niger_2023, 40 runs (10 grid points × 4 replicates), root seed 7"
    assert want in text
    drawn = _drawn(fig.axes[0])
    assert check(drawn), drawn  # the numbers drawn are those of the stored tables, worked out by hand
    plt.close(fig)


def test_kind_errors_name_the_figure(fake_input):
    with pytest.raises(FigureError, match="unknown kind 'pie'"):
        draw(fake_input, "f", "pie", {})
    with pytest.raises(FigureError, match=r"figure 'g' \(timeline\).*timeline: full"):
        draw(fake_input, "g", "timeline", {"panels": []})
    with pytest.raises(FigureError, match="not a swept parameter"):
        draw(fake_input, "h", "heatmap", {"x": "nope", "y": "c.d", "outcome": "intervention"})
    assert {"timeline", "outcomes", "heatmap", "sensitivity", "map_network", "tradeoff"} <= set(KINDS)


def test_figures_formats_and_rerun(locked, tmp_path, capsys):
    tmp, exp = locked
    res = tmp_path / "res"
    assert cli(["figures", str(exp), "--results", str(res), "--formats", "svg", "-q"]) == 0
    first = capsys.readouterr().out
    figs = res / "tiny_fig" / "figures"
    assert sorted(p.name for p in figs.iterdir()) == ["manifest.json", "tiny_outcomes.svg"]  # svg only (and the record)
    assert "stored results are current" not in first  # nothing stored yet: it ran the sweep
    assert cli(["figures", str(exp), "--results", str(res), "--formats", "svg", "-q"]) == 0
    assert "stored results are current" in capsys.readouterr().out
    assert cli(["figures", str(exp), "--results", str(res), "--formats", "svg", "--rerun", "-q"]) == 0
    assert "stored results are current" not in capsys.readouterr().out  # --rerun runs it again
    # the rerun gives the same table as the locked run
    lock = json.loads((tmp / "tiny_fig.lock.json").read_text())
    from sim.store import table_hash
    from sim.sweep import load_results

    assert table_hash(load_results(res / "tiny_fig").outcomes) == lock["tables"]["tiny_fig/outcomes"]
    assert cli(["figures", str(exp), "--results", str(res), "--formats", "gif", "-q"]) == 2
