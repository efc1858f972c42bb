"""Phase 3, armed groups, on a small World."""

from __future__ import annotations

from sim.phases import armed_groups
from tests.phases.small import rng, small_world


def test_a_week_of_insurgency_moves_strength_threat_and_tolls():
    w = small_world(parameters={"insurgency": {"base_attack_rate": 20.0}})
    g = w.groups["g"]
    armed_groups.run(w, w.params, rng(3))
    assert g.strength["A"] != 3000.0 and g.strength["A"] >= 0
    assert w.attacks_week["A"] == g.attacks_week["A"] > 0  # 20 a week per 1000 fighters, pressure aside
    assert w.attacks_week["B"] == w.attacks_week["C"] == 0
    assert w.deaths_state_year[("A", 2023)] == g.deaths_week["A"] == w.jihadist_deaths_week["A"]
    assert 0.0 < w.states["A"].threat < 1.0 and w.states["A"].stability < 0.5
    assert w.pressure["A"] > 0


def test_the_same_stream_gives_the_same_week():
    a, b = small_world(), small_world()
    armed_groups.run(a, a.params, rng(9))
    armed_groups.run(b, b.params, rng(9))
    assert a.groups["g"].strength == b.groups["g"].strength and a.deaths_week == b.deaths_week
