"""The worked examples of the docs: the four-state world of docs/scenarios.md is written from scratch
(no extends:), validates and runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from sim.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
FOUR = ROOT / "scenarios" / "examples" / "four_states.yaml"


def test_four_state_world_is_written_from_scratch_and_validates(capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(FOUR.read_text(encoding="utf-8"))
    assert "extends" not in data and len(data["states"]) == 4
    assert cli_main(["validate", str(FOUR)]) == 0
    assert "4 states, 2 blocs, 2 treaties" in capsys.readouterr().out


def test_four_state_world_runs_and_its_coup_happens() -> None:
    s = sim.load_scenario(FOUR)
    rec = sim.run(s, seed=3)
    assert rec.outcomes["max_escalation"] >= 1  # the bloc responds to the coup in Niger
    kinds = set(rec.events["kind"])
    assert "coup" in kinds
    ens = sim.run_ensemble(s, replicates=4, seed=1, jobs=1)
    assert len(ens.outcomes) == 4 and set(ens.outcomes["intervention"]) <= {True, False}


def test_docs_scenarios_walks_through_every_clause_of_the_example() -> None:
    guide = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    data = yaml.safe_load(FOUR.read_text(encoding="utf-8"))
    for section in ("states", "blocs", "treaties", "armed_groups", "events"):
        assert f"`{section}:`" in guide, section
    for t in data["treaties"].values():
        for cid in t["clauses"]:
            assert f"`{cid}`" in guide, cid
    assert "scenarios/examples/four_states.yaml" in guide
