"""sim.scenario as a package: every public name importable from it, lazily; the rules' parameter
sections import none of the loader."""

from __future__ import annotations

import subprocess
import sys

import sim.scenario
from sim.scenario import load_scenario, scenario_hash
from tests.conftest import ROOT, SCENARIOS


def test_every_public_name_resolves():
    for name in sim.scenario.__all__:
        assert getattr(sim.scenario, name) is not None, name


def test_parameter_sections_do_not_import_the_loader():
    code = ("import sys, sim.rules.support, sim.agents.state; "
            "print(sorted(m for m in sys.modules if m.startswith('sim.scenario')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "sim.scenario.loading" not in out.stdout and "sim.scenario.parameters" in out.stdout


def test_counterfactuals_are_short_diffs_and_hashes_are_stable():
    base = load_scenario(SCENARIOS / "niger_2023.yaml")
    nc = load_scenario(SCENARIOS / "no_charter.yaml")
    assert "liptako_gourma" in base.treaties and "liptako_gourma" not in nc.treaties
    assert "declaration_mli_bfa" not in nc.events and nc.states == base.states
    assert scenario_hash(base) != scenario_hash(nc)
    assert scenario_hash(base) == scenario_hash(load_scenario(SCENARIOS / "niger_2023.yaml"))
