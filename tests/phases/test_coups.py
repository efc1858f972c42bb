"""Phase 2, the coup hazard, on a small World."""

from __future__ import annotations

from sim.enums import LogKind, Regime
from sim.phases import coups
from tests.phases.small import rng, small_world


def test_off_by_default_draws_nothing():
    w = small_world()
    g = rng(1)
    coups.run(w, w.params, g)
    assert w.coup_record == [] and g.random() == rng(1).random()


def test_a_certain_coup_opens_crises_for_members():
    w = small_world(parameters={"coups": {"enabled": True, "intercept": 0.0, "w_instability": 60.0}})
    for st in w.states.values():
        st.stability = 0.0
    coups.run(w, w.params, rng())
    assert [s for _, s, how in w.coup_record if how == "endogenous"] == ["A", "B", "C"]
    assert all(st.regime is Regime.MILITARY for st in w.states.values())
    assert set(w.crises) == {"bloc->A", "bloc->B", "bloc->C"}
    assert sum(r.kind is LogKind.COUP for r in w.log.rows) == 3
