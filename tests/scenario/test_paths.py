"""sim.scenario.paths: the one dotted-path module (--set, experiments, history, the page's switches)."""

from __future__ import annotations

import pytest

from sim.scenario import ScenarioError, load_scenario
from sim.scenario.paths import (
    apply_overrides,
    assign,
    get_path,
    set_if_present,
    set_path,
    split_overrides,
    with_parameters,
)
from tests.conftest import SCENARIOS

DATA = {"a": {"b": [1, {"c": 2}]}, "d": 3}


def test_get_path_walks_mappings_and_lists():
    assert get_path(DATA, "a.b.1.c") == 2 and get_path(DATA, "a.b.0") == 1
    with pytest.raises(KeyError) as e:
        get_path(DATA, "a.x.c")
    assert e.value.args[0] == "a.x"
    with pytest.raises(KeyError):
        get_path(DATA, "a.b.5")


def test_set_path_and_assign_keep_the_base():
    out = assign(DATA, [("a.b.1.c", 9), ("d", "x")])
    assert out == {"a": {"b": [1, {"c": 9}]}, "d": "x"} and DATA["a"]["b"][1]["c"] == 2
    data = {"a": {}}
    set_path(data, "a.new", 1)  # the section must exist, the field need not
    assert data == {"a": {"new": 1}}
    with pytest.raises(KeyError):
        set_path(data, "z.new", 1)


def test_set_if_present():
    data = {"a": {"b": 1}}
    assert set_if_present(data, "a.b", 2) and data == {"a": {"b": 2}}
    assert not set_if_present(data, "q.b", 2) and data == {"a": {"b": 2}}


def test_apply_overrides_creates_sections_and_places_them():
    pos: dict = {}
    out = apply_overrides({"states": {"X": {"name": "x"}}}, pos, ["parameters.council.launch_p_win=0.5",
                                                                   "states.X.pledge=10"])
    assert out["parameters"] == {"council": {"launch_p_win": 0.5}} and out["states"]["X"]["pledge"] == 10
    assert pos[("parameters",)] == ("--set parameters.council.launch_p_win", 0)
    assert pos[("states", "X", "pledge")] == ("--set states.X.pledge", 0)


def test_apply_overrides_errors():
    with pytest.raises(ScenarioError, match="expected PATH=VALUE"):
        apply_overrides({}, {}, ["nothing"])
    with pytest.raises(ScenarioError, match=r"--set name\.x: 'name' is not a section"):
        apply_overrides({"name": "n"}, {}, ["name.x=1"])
    with pytest.raises(ScenarioError, match=r"--set name\.x\.y: 'name\.x' is not a section"):
        apply_overrides({"name": "n"}, {}, ["name.x.y=1"])


def test_set_overrides():
    s = load_scenario(SCENARIOS / "niger_2023.yaml",
                      ["treaties.liptako_gourma.clauses.art6.bindingness=0.3", "states.NGA.pledge=9000"])
    assert s.treaties["liptako_gourma"].clauses["art6"].bindingness == 0.3
    assert s.states["NGA"].pledge == 9000


def test_set_null_removes_a_section():
    s = load_scenario(SCENARIOS / "niger_2023.yaml", ["events.declaration_mli_bfa=null"])
    assert "declaration_mli_bfa" not in s.events and "coup_niger" in s.events


def test_set_errors_name_the_path():
    with pytest.raises(ScenarioError, match=r"--set states\.NOPE\.pledge"):
        load_scenario(SCENARIOS / "niger_2023.yaml", ["states.NOPE.pledge=1"])
    with pytest.raises(ScenarioError, match=r"--set states\.NGA\.pledge: states\.NGA\.pledge"):
        load_scenario(SCENARIOS / "niger_2023.yaml", ["states.NGA.pledge=-1"])


def test_split_overrides_picks_out_rule_parameters():
    rest, params = split_overrides(["parameters.support.w_norm=2", "states.NGA.pledge=1"])
    assert rest == ["states.NGA.pledge=1"] and params == {"parameters.support.w_norm": 2}


def test_with_parameters_checks_paths_and_bounds(baseline):
    s = with_parameters(baseline, {"council.launch_p_win": 0.42, "parameters.support.w_norm": 1.5})
    assert s.parameters.council.launch_p_win == 0.42 and s.parameters.support.w_norm == 1.5
    for bad in ("council.no_such", "support.rung_cost.0", "nothing"):
        with pytest.raises(ScenarioError, match="no such parameter"):
            with_parameters(baseline, {bad: 1})
    with pytest.raises(ScenarioError, match=r"calibration: parameters\.council\.launch_p_win"):
        with_parameters(baseline, {"council.launch_p_win": 1.5}, where="calibration")
