"""Experiment files: validation with file:line errors, the run plan and its seeds, sampled designs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main as cli_main
from sim.ensemble import spawn_seeds
from sim.experiment import load_experiment
from sim.scenario import ScenarioError
from sim.sweep.plan import UNIT_PREFIX, design_seed, make_plan

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "niger_2023.yaml"
BIND = "treaties.liptako_gourma.clauses.art6.bindingness"
SENATE = "events.nigeria_senate.value"


def write(tmp_path: Path, body: str, name: str = "exp.yaml") -> Path:
    p = tmp_path / name
    p.write_text(f"scenario: {SCENARIO}\n" + textwrap.dedent(body))
    return p


GRID = f"""\
name: g
parameters:
  {BIND}: [0.0, 0.5, 1.0]
  {SENATE}: [0.2, 0.8]
design: {{kind: grid}}
replicates: 4
seed: 11
"""


# --- the shipped experiments --------------------------------------------------------------------


def test_shipped_grid_varies_charter_and_nigeria_constraint() -> None:
    exp = load_experiment(ROOT / "experiments" / "deterrence_grid.yaml")
    plan = make_plan(exp)
    assert plan.paths == [BIND, SENATE]
    assert len(plan.points) == 25 and plan.n_runs == 25 * exp.spec.replicates
    assert exp.spec.replicates >= 10
    assert sorted(plan.points[BIND].unique()) == [0.0, 0.25, 0.5, 0.75, 1.0]
    # the event that sets Nigeria's constraint is what varies, and the base scenario has it
    assert exp.base.events["nigeria_senate"].field == "domestic_constraint"


def test_shipped_sobol_covers_main_parameters() -> None:
    exp = load_experiment(ROOT / "experiments" / "sobol_main.yaml")
    plan = make_plan(exp)
    d = len(plan.paths)
    assert d >= 6 and all(p.startswith("parameters.") for p in plan.paths)
    assert len(plan.points) == exp.spec.design.n * (d + 2)
    # every sampled value lies within its declared range, integers stay integers
    for p, spec in exp.spec.parameters.items():
        col = plan.points[p]
        assert col.min() >= spec.low and col.max() <= spec.high
        if spec.integer:
            assert col.dtype == "int64"


# --- the plan and its seeds ---------------------------------------------------------------------


def test_grid_order_and_seeds(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GRID))
    plan = make_plan(exp)
    assert plan.points[BIND].tolist() == [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]  # last parameter varies fastest
    assert plan.points[SENATE].tolist() == [0.2, 0.8] * 3
    runs = plan.runs
    assert runs["run_id"].tolist() == list(range(24))
    assert (runs["run_id"] == runs["point"] * 4 + runs["replicate"]).all()
    # run i has the i-th seed spawned from the root: it depends on nothing else
    assert runs["seed"].tolist() == spawn_seeds(11, 24)
    assert runs["seed"].nunique() == 24


def test_common_seeds_repeat_across_points(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GRID + "seeds: common\n"))
    runs = make_plan(exp).runs
    by_rep = runs.groupby("replicate")["seed"].nunique()
    assert (by_rep == 1).all()
    assert runs[runs["point"] == 3]["seed"].tolist() == spawn_seeds(11, 4)


def test_sampled_design_is_reproducible_and_seeded(tmp_path: Path) -> None:
    body = """\
    name: l
    parameters:
      parameters.council.launch_p_win: {low: 0.4, high: 0.8}
      parameters.combat.attrition_rate: {dist: loguniform, low: 0.005, high: 0.05}
      parameters.council.mobilisation_weeks: {low: 1, high: 8, integer: true}
      blocs.ecowas.decision_rule: [consensus, qualified_majority]
    design: {kind: lhs, n: 40}
    seed: 5
    """
    a = make_plan(load_experiment(write(tmp_path, body, "a.yaml")))
    b = make_plan(load_experiment(write(tmp_path, body, "b.yaml")))
    assert a.points.equals(b.points)
    c = make_plan(load_experiment(write(tmp_path, body.replace("seed: 5", "seed: 6"), "c.yaml")))
    assert not a.points.equals(c.points)
    pts = a.points
    assert len(pts) == 40
    # a Latin hypercube puts exactly one point in each of n equal slices of every axis
    u = pts[UNIT_PREFIX + "parameters.council.launch_p_win"].to_numpy()
    assert sorted((u * 40).astype(int).tolist()) == list(range(40))
    assert set(pts["blocs.ecowas.decision_rule"]) == {"consensus", "qualified_majority"}
    assert pts["parameters.council.mobilisation_weeks"].between(1, 8).all()
    assert pts["parameters.combat.attrition_rate"].between(0.005, 0.05).all()


def test_design_seed_is_a_stream_no_run_uses(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GRID))
    s = design_seed(exp)
    assert s not in spawn_seeds(11, 1000)
    body = GRID.replace("design: {kind: grid}", "design: {kind: grid, seed: 3}")
    exp2 = load_experiment(write(tmp_path, body, "e2.yaml"))
    assert design_seed(exp2) == 3


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0.01, 5), width=st.floats(0.01, 5), u=st.lists(st.floats(0, 1), min_size=1, max_size=20),
       dist=st.sampled_from(["uniform", "loguniform", "triangular", "normal"]))
def test_unit_to_value_stays_in_range(low: float, width: float, u: list[float], dist: str) -> None:
    from sim.experiment import ParamSpec
    from sim.sweep.plan import _from_unit

    high = low + width
    extra = {"mode": low + width / 3} if dist == "triangular" else {}
    if dist == "normal":
        extra = {"mean": low + width / 2, "sd": width}
    spec = ParamSpec(low=low, high=high, dist=dist, **extra)  # type: ignore[arg-type]
    vals = np.array(_from_unit(spec, np.array(u)))
    assert ((vals >= low) & (vals <= high)).all()
    order = np.argsort(u, kind="stable")
    assert (np.diff(vals[order]) >= -1e-12).all()  # monotone: the unit coordinate keeps its meaning


# --- errors name file, line and field -----------------------------------------------------------


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as ei:
        load_experiment(path)
    return ei.value.messages


def test_unknown_field_and_missing_seed(tmp_path: Path) -> None:
    p = write(tmp_path, GRID.replace("seed: 11\n", "replicats: 3\n"))
    msgs = errors_of(p)
    assert any(m.startswith(f"{p}:") and "replicats: unknown field" in m for m in msgs)
    assert any("seed: required field is missing" in m for m in msgs)
    line = next(m for m in msgs if "replicats" in m).split(":")[1]
    assert line == "8"  # the line of the misspelt key (the scenario line comes first)


def test_bad_path_names_the_parameter_line(tmp_path: Path) -> None:
    p = write(tmp_path, GRID.replace(SENATE, "events.nigeria_senat.value"))
    (msg,) = errors_of(p)
    assert msg.startswith(f"{p}:5: parameters.events.nigeria_senat.value: no field 'events.nigeria_senat'")


def test_value_outside_field_bounds(tmp_path: Path) -> None:
    p = write(tmp_path, GRID.replace("[0.0, 0.5, 1.0]", "[0.0, 0.5, 1.5]"))
    (msg,) = errors_of(p)
    assert msg.startswith(f"{p}:4: parameters.{BIND}: value 1.5 does not fit the scenario")
    assert "less than or equal to 1" in msg


def test_range_end_outside_bounds_for_sampled_design(tmp_path: Path) -> None:
    body = """\
    name: s
    parameters:
      parameters.council.launch_p_win: {low: 0.4, high: 1.2}
      parameters.support.w_cost: {low: 1, high: 4}
    design: {kind: sobol, n: 8}
    seed: 1
    """
    (msg,) = errors_of(write(tmp_path, body))
    assert ":4: parameters.parameters.council.launch_p_win: value 1.2 does not fit" in msg


@pytest.mark.parametrize(("change", "needle"), [
    (("design: {kind: grid}", "design: {kind: sobol, n: 10}"),
     "design.n: a Sobol' sample needs n a power of two"),
    (("design: {kind: grid}", "design: {kind: lhs}"), "design.n: a lhs design needs n"),
    (("[0.2, 0.8]", "{low: 0.2, high: 0.8}"), "a grid needs values: [...] or steps"),
    (("[0.2, 0.8]", "{low: 0.8, high: 0.2}"), "low (0.8) must be below high (0.2)"),
    (("[0.2, 0.8]", "0.5"), "a value that does not vary belongs under 'fixed:'"),
    (("design: {kind: grid}", "design: {kind: factorial}"), "design.kind: Input should be 'grid'"),
    (("replicates: 4", "replicates: 0"), "replicates: Input should be greater than or equal to 1"),
    (("seed: 11", "seed: 11\noutcomes: [intervention, victory]"), "outcomes.1: unknown outcome 'victory'"),
    (("seed: 11", "seed: 11\ntimeline: weekly"),
     "timeline.keep: Input should be 'none', 'summary' or 'full'"),
    (("seed: 11", "seed: 11\nfigures: [{name: a, kind: heatmap, colour: red}]"),
     "figures.0.colour: unknown field"),
])
def test_bad_experiments(tmp_path: Path, change: tuple[str, str], needle: str) -> None:
    p = write(tmp_path, GRID.replace(*change))
    msgs = errors_of(p)
    assert any(m.startswith(f"{p}:") and needle in m for m in msgs), msgs


def test_missing_scenario_and_fixed_errors(tmp_path: Path) -> None:
    p = tmp_path / "e.yaml"
    p.write_text("scenario: nowhere.yaml\n" + GRID)
    (msg,) = errors_of(p)
    assert msg.startswith(f"{p}:1: scenario: no such file")
    p = write(tmp_path, GRID + "fixed:\n  parameters.council.launch_p_win: 2.0\n", "f.yaml")
    (msg,) = errors_of(p)
    assert msg.startswith(f"{p}:10: fixed.parameters.council.launch_p_win: value 2.0 does not fit")


def test_fixed_values_apply_to_every_point(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GRID + "fixed:\n  parameters.council.launch_p_win: 0.45\n"))
    assert exp.base.parameters.council.launch_p_win == 0.45


def test_figures_are_validated_and_kept(tmp_path: Path) -> None:
    params = f"{{x: {BIND}, y: {SENATE}, outcome: intervention}}"
    exp = load_experiment(write(tmp_path, GRID + f"figures:\n  - {{name: h, kind: heatmap, params: {params}}}\n"))
    (f,) = exp.spec.figures
    assert (f.name, f.kind, f.params) == ("h", "heatmap", {"x": BIND, "y": SENATE, "outcome": "intervention"})


def test_cli_bad_experiment_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, GRID.replace("[0.0, 0.5, 1.0]", "[0.0, 0.5, 7]"))
    out = tmp_path / "res"
    assert cli_main(["sweep", str(p), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {p}:4: parameters.{BIND}: value 7" in err
    assert not out.exists()  # nothing written


def test_per_entity_outcomes_can_be_kept(tmp_path: Path) -> None:
    """Outcomes named after the base scenario's armed groups and powers are valid; "all" keeps them."""
    p = write(tmp_path, GRID + "outcomes: [intervention, jnim_strength_end]\n")
    assert load_experiment(p).outcomes == ["intervention", "jnim_strength_end"]
    p = write(tmp_path, GRID + "outcomes: all\n")
    assert "jnim_strength_end" in load_experiment(p).outcomes
