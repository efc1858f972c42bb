"""sim.scenario.loading: YAML read safely with line positions, extends:, validation errors that name
file, line and field; the command line's exit status on bad input."""

from __future__ import annotations

import pytest

from sim.scenario import load_scenario
from sim.scenario.loading import load_raw, read_yaml
from tests.conftest import SCENARIOS, run_cli
from tests.scenario.minimal import MINIMAL, error_of, write


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_is_valid(path):
    s = load_scenario(path)
    assert s.weeks > 0 and s.states


def test_minimal_scenario_loads(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL))
    assert s.weeks == 21 and s.blocs["club"].members == ["AAA", "BBB"]


def test_read_yaml_gives_the_line_of_every_field(tmp_path):
    p = write(tmp_path, MINIMAL)
    data, pos = read_yaml(p)
    assert data["name"] == "tiny"
    assert pos[("states", "BBB")] == (str(p), 6)
    assert pos[("blocs", "club", "members", 1)] == (str(p), 10)


def test_unknown_key_names_file_line_field(tmp_path):
    p = write(tmp_path, MINIMAL.replace("  AAA: {name: A, personnel: 1000}",
                                        "  AAA: {name: A, personnel: 1000, persnel: 3}"))
    msg = error_of(p)
    assert f"{p}:5:" in msg and "states.AAA.persnel" in msg and "unknown field" in msg


def test_wrong_type(tmp_path):
    p = write(tmp_path, MINIMAL.replace("personnel: 2000", "personnel: lots"))
    msg = error_of(p)
    assert f"{p}:6:" in msg and "states.BBB.personnel" in msg


def test_out_of_range(tmp_path):
    p = write(tmp_path, MINIMAL + "parameters:\n  council:\n    launch_p_win: 1.5\n")
    msg = error_of(p)
    assert f"{p}:15:" in msg and "parameters.council.launch_p_win" in msg and "less than or equal to 1" in msg


def test_missing_required_field(tmp_path):
    p = write(tmp_path, MINIMAL.replace("start: 2020-01-01\n", ""))
    assert "start: required field is missing" in error_of(p)


def test_invalid_yaml_reports_line(tmp_path):
    p = write(tmp_path, MINIMAL + "  bad: [unclosed\n")
    msg = error_of(p)
    assert str(p) in msg and "not valid YAML" in msg


def test_yaml_is_read_safely(tmp_path):
    p = write(tmp_path, MINIMAL.replace("name: tiny", "name: !!python/object/apply:os.system ['echo hi']"))
    assert "not valid YAML" in error_of(p)


def test_extends_override_and_removal(tmp_path):
    write(tmp_path, MINIMAL, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\nstates:\n  AAA: {personnel: 5}\n"
                  "events:\n  c1: null\n", "child.yaml")
    s = load_scenario(child)
    assert s.name == "child" and s.states["AAA"].personnel == 5 and s.states["AAA"].name == "A"
    assert s.events == {}


def test_extends_keeps_the_base_file_positions(tmp_path):
    base = write(tmp_path, MINIMAL, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\n", "child.yaml")
    _, pos = load_raw(child)
    assert pos[("name",)] == (str(child), 2)
    assert pos[("states", "BBB")] == (f"{child} extends {base}: {base}", 6)  # the chain is named


def test_error_in_child_names_child_file(tmp_path):
    write(tmp_path, MINIMAL, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nstates:\n  AAA: {personnel: -5}\n", "child.yaml")
    msg = error_of(child)
    assert f"{child}:3:" in msg and "states.AAA.personnel" in msg


def test_extends_missing_file(tmp_path):
    p = write(tmp_path, "extends: nowhere.yaml\nname: x\n")
    assert "nowhere.yaml" in error_of(p)


def test_extends_circular_chain(tmp_path):
    a = write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    assert "extends: circular chain" in error_of(a)


def test_cli_validate_exit_codes(tmp_path):
    good = run_cli("validate", str(SCENARIOS / "niger_2023.yaml"))
    assert good.returncode == 0 and "ok:" in good.stdout
    bad = write(tmp_path, MINIMAL.replace("personnel: 2000", "personnel: -1"))
    r = run_cli("validate", str(bad))
    assert r.returncode == 2
    assert f"{bad}:6: states.BBB.personnel" in r.stderr and "Traceback" not in r.stderr


def test_cli_run_bad_input_writes_nothing(tmp_path):
    bad = write(tmp_path, MINIMAL.replace("members: [AAA, BBB]", "members: [AAA, NOPE]"))
    out = tmp_path / "out"
    r = run_cli("run", str(bad), "-n", "2", "--out", str(out), "-q")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "blocs.club.members.1" in r.stderr
    assert not out.exists() and not any(p.name.startswith(".out") for p in tmp_path.iterdir())
