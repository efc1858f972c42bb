"""sim.scenario.checks: every id a scenario names must be one it defines; errors name file, line, field."""

from __future__ import annotations

from sim.scenario.checks import cross_references
from sim.scenario.loading import load_raw
from sim.scenario.spec import Scenario
from tests.scenario.minimal import MINIMAL, error_of, write


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


def test_cross_references_return_locations_without_files(tmp_path):
    data, _ = load_raw(write(tmp_path, MINIMAL.replace("members: [AAA, BBB]", "members: [AAA, ZZZ]")))
    errs = cross_references(Scenario.model_validate(data))
    assert errs == [(("blocs", "club", "members", 1), "'ZZZ' is not a state of this scenario")]


def test_an_id_is_used_once_across_sections(tmp_path):
    p = write(tmp_path, MINIMAL + "external_powers:\n  AAA: {name: Again}\n")
    assert "id 'AAA' is also used in states" in error_of(p)
