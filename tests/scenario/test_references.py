"""sim.scenario.checks branch by branch: each check's exact location and message on the tiny scenario.

Written against the mutants scripts/mutation.py found alive: a check removed (e.g. a treaty naming a bloc
that does not exist, which `validate` then passed and `run` crashed on with a KeyError), a bound moved by one,
a message changed.
"""

from __future__ import annotations

import pytest

from sim.scenario.checks import MAX_DAYS, MIN_DAYS, cross_references
from sim.scenario.loading import load_raw
from sim.scenario.spec import Scenario
from tests.scenario.minimal import MINIMAL, error_of, write

TREATY = """treaties:
  pact:
    name: Pact
    bloc: {bloc}
    clauses:
      c:
        kind: collective_defence
        trigger: {{event: [attack], victim: member}}
        decides: individual
        obligation: assist
        means: [diplomatic, armed_force]
        bindingness: 0.5
"""


def errors(tmp_path, text: str) -> list[tuple[tuple, str]]:
    data, _ = load_raw(write(tmp_path, text))
    return cross_references(Scenario.model_validate(data))


def test_the_tiny_scenario_has_no_errors(tmp_path):
    assert errors(tmp_path, MINIMAL) == []
    assert errors(tmp_path, MINIMAL + TREATY.format(bloc="club")) == []


def test_a_treaty_must_name_a_bloc_of_the_scenario(tmp_path):
    assert errors(tmp_path, MINIMAL + TREATY.format(bloc="nowhere")) == [
        (("treaties", "pact", "bloc"), "'nowhere' is not a bloc of this scenario")]
    p = write(tmp_path, MINIMAL + TREATY.format(bloc="nowhere"), "t.yaml")
    msg = error_of(p)
    assert f"{p}:16: treaties.pact.bloc: 'nowhere' is not a bloc" in msg


def test_suspended_and_council_must_be_members(tmp_path):
    text = MINIMAL.replace("members: [AAA, BBB]", "members: [AAA]\n    suspended: [BBB]\n    council: [BBB]")
    assert errors(tmp_path, text) == [
        (("blocs", "club", "suspended", 0), "'BBB' is suspended but not a member"),
        (("blocs", "club", "council", 0), "'BBB' sits on the council but is not a member")]
    text = MINIMAL.replace("members: [AAA, BBB]", "members: [AAA, BBB]\n    suspended: [CCC]")
    assert errors(tmp_path, text) == [
        (("blocs", "club", "suspended", 0), "'CCC' is not a state of this scenario"),
        (("blocs", "club", "suspended", 0), "'CCC' is suspended but not a member")]


def test_event_target_and_blocs_as_actors(tmp_path):
    ok = MINIMAL.replace("actor: AAA}", "actor: AAA}\n  e2: {date: 2020-03-01, kind: exit_notice, actor: AAA, "
                                        "target: club}")
    assert errors(tmp_path, ok) == []
    bad = ok.replace("target: club}", "target: nobody}")
    assert errors(tmp_path, bad) == [(("events", "e2", "target"), "'nobody' is not a state or bloc of this scenario")]
    none = ok.replace(", target: club}", "}")
    assert errors(tmp_path, none) == [(("events", "e2", "target"), "a 'exit_notice' event needs a target bloc")]


def test_horizon_bounds_by_one_day(tmp_path):
    def ends(end: str) -> list[tuple[tuple, str]]:
        return errors(tmp_path, MINIMAL.replace("end: 2020-06-01", f"end: {end}")
                      .replace("date: 2020-02-01", "date: 2020-01-02"))

    assert MIN_DAYS == 7 and MAX_DAYS == 3653
    assert ends("2020-01-08") == []  # exactly seven days
    assert ends("2020-01-07") == [(("end",), "6 days after start: the model steps weekly, so a scenario needs "
                                             "at least 7 days")]
    assert (("end",), "must be after start") in ends("2020-01-01")
    assert ends("2029-12-31") == []  # 3652 days
    assert ends("2030-01-01") == []  # 3653 days, the limit
    assert ends("2030-01-02")[0][1].startswith("3654 days after start: at most 3653")


def test_dates_outside_the_centuries(tmp_path):
    text = MINIMAL.replace("start: 2020-01-01", "start: 1899-12-31").replace("end: 2020-06-01", "end: 1900-03-01")
    text = text.replace("date: 2020-02-01", "date: 1900-02-01")
    assert errors(tmp_path, text) == [(("start",), "1899-12-31 is outside 1900-2100")]
    text = text.replace("start: 1899-12-31", "start: 1900-01-01")
    assert errors(tmp_path, text) == []


def test_focus_and_focus_bloc(tmp_path):
    assert errors(tmp_path, MINIMAL + "focus: AAA\nfocus_bloc: club\n") == []
    assert errors(tmp_path, MINIMAL + "focus: ZZZ\nfocus_bloc: zz\n") == [
        (("focus",), "'ZZZ' is not a state of this scenario"),
        (("focus_bloc",), "'zz' is not a bloc of this scenario")]


@pytest.mark.parametrize(("clause", "where", "message"), [
    ("obligation: refrain", "obligation", "a collective_defence clause obliges to assist or consult, not refrain"),
    ("means: [diplomatic]", "means", "an assist obligation needs logistics or armed_force among its means"),
    ("means: []", "means", "names no means (diplomatic at least)"),
])
def test_clause_fit(tmp_path, clause, where, message):
    text = MINIMAL + TREATY.format(bloc="club")
    key = clause.split(":")[0]
    text = "\n".join(f"        {clause}" if line.strip().startswith(f"{key}:") else line for line in text.split("\n"))
    errs = errors(tmp_path, text)
    assert (("treaties", "pact", "clauses", "c", where), message) in errs


def test_clause_trigger_fit(tmp_path):
    text = MINIMAL + TREATY.format(bloc="club")
    wrong = text.replace("event: [attack]", "event: [coup]")
    assert errors(tmp_path, wrong) == [(("treaties", "pact", "clauses", "c", "trigger", "event", 0),
                                        "a collective_defence clause (assist) is set off by attack, rebellion, "
                                        "terrorism, not coup")]
    empty = text.replace("event: [attack]", "event: []")
    assert errors(tmp_path, empty) == [(("treaties", "pact", "clauses", "c", "trigger", "event"), "names no event")]


def test_validate_refuses_a_treaty_of_no_bloc(tmp_path, capsys):
    from sim.cli import main

    p = write(tmp_path, MINIMAL + TREATY.format(bloc="nowhere"), "t.yaml")
    assert main(["validate", str(p)]) == 2
    assert "treaties.pact.bloc: 'nowhere' is not a bloc" in capsys.readouterr().err
    assert main(["validate", str(write(tmp_path, MINIMAL + TREATY.format(bloc="club"), "ok.yaml"))]) == 0
