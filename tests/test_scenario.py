"""The scenario format: loading, extends, overrides, and errors that name file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario, scenario_hash
from tests.conftest import ROOT, SCENARIOS, run_cli

MINIMAL = """\
name: tiny
start: 2020-01-01
end: 2020-06-01
states:
  AAA: {name: A, personnel: 1000}
  BBB: {name: B, personnel: 2000, borders: [AAA]}
blocs:
  club:
    name: Club
    members: [AAA, BBB]
events:
  c1: {date: 2020-02-01, kind: coup, actor: AAA}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def error_of(path: Path, overrides=()) -> str:
    with pytest.raises(ScenarioError) as e:
        load_scenario(path, overrides)
    return str(e.value)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_is_valid(path):
    s = load_scenario(path)
    assert s.weeks > 0 and s.states


def test_minimal_scenario_loads(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL))
    assert s.weeks == 21 and s.blocs["club"].members == ["AAA", "BBB"]


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


def test_dangling_member(tmp_path):
    p = write(tmp_path, MINIMAL.replace("members: [AAA, BBB]", "members: [AAA, BBB, ZZZ]"))
    msg = error_of(p)
    assert f"{p}:10:" in msg and "blocs.club.members.2" in msg and "'ZZZ' is not a state" in msg


def test_event_for_unknown_actor(tmp_path):
    p = write(tmp_path, MINIMAL.replace("actor: AAA}", "actor: XXX}"))
    msg = error_of(p)
    assert f"{p}:12:" in msg and "events.c1.actor" in msg and "'XXX'" in msg


def test_dangling_border(tmp_path):
    p = write(tmp_path, MINIMAL.replace("borders: [AAA]", "borders: [QQQ]"))
    assert "states.BBB.borders.0" in error_of(p)


def test_event_outside_dates(tmp_path):
    p = write(tmp_path, MINIMAL.replace("date: 2020-02-01", "date: 2021-02-01"))
    assert "events.c1.date" in error_of(p)


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


def test_error_in_child_names_child_file(tmp_path):
    write(tmp_path, MINIMAL, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nstates:\n  AAA: {personnel: -5}\n", "child.yaml")
    msg = error_of(child)
    assert f"{child}:3:" in msg and "states.AAA.personnel" in msg


def test_extends_missing_file(tmp_path):
    p = write(tmp_path, "extends: nowhere.yaml\nname: x\n")
    assert "nowhere.yaml" in error_of(p)


def test_set_overrides(tmp_path):
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


def test_counterfactuals_are_short_diffs():
    base = load_scenario(SCENARIOS / "niger_2023.yaml")
    nc = load_scenario(SCENARIOS / "no_charter.yaml")
    assert "liptako_gourma" in base.treaties and "liptako_gourma" not in nc.treaties
    assert "declaration_mli_bfa" not in nc.events and nc.states == base.states
    assert scenario_hash(base) != scenario_hash(nc)
    assert scenario_hash(base) == scenario_hash(load_scenario(SCENARIOS / "niger_2023.yaml"))


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


def test_schema_file_in_sync():
    from sim.commands.schema import scenario_schema_text

    committed = (ROOT / "scenarios" / "schema.json").read_text()
    assert committed == scenario_schema_text(), "run `python run.py schema > scenarios/schema.json`"
    assert json.loads(committed)["title"] == "Liptako scenario"


def test_every_parameter_has_unit_and_source():
    from sim.api import parameter_rows

    rows = parameter_rows()
    assert len(rows) > 40
    for r in rows:
        assert r["unit"], r["path"]
        assert r["source"], r["path"]
        assert r["description"], r["path"]
