"""sim.scenario.fields and the format's JSON Schema: every parameter documented, schema file in sync."""

from __future__ import annotations

import json

import pytest

from sim.scenario.fields import P, parameter_table
from sim.scenario.parameters import CouncilParams
from tests.conftest import ROOT


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


def test_parameter_table_of_one_section():
    rows = {r["path"]: r for r in parameter_table(CouncilParams, prefix="council.")}
    assert rows["council.launch_p_win"]["unit"] == "probability"


def test_a_parameter_needs_a_source():
    with pytest.raises(ValueError, match="source"):
        P(1.0, "weeks", "a number", "")
