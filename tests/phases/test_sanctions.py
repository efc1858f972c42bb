"""Phase 8, sanctions, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import Rung, TriggerEvent
from sim.phases import sanctions
from tests.phases.small import rng, small_world


def test_sanctions_bite_the_target_and_tire_the_bloc():
    w = small_world()
    actions.open_crises(w, "A", TriggerEvent.COUP)
    crisis = w.crises["bloc->A"]
    crisis.rung = Rung.SANCTIONS
    a = w.states["A"]
    before = a.stability
    sanctions.run(w, w.params, rng())
    p = w.params
    assert w.sanctioned == {"A": 1.0}  # both neighbours are active members
    assert a.stability == max(0.0, before - p.sanctions.bite * a.trade_exposure * 1.0)
    assert crisis.sanction_weeks == 1 and crisis.fatigue == p.support.fatigue_rate
    assert w.states["B"].stability == min(1.0, 0.8 + p.sanctions.recovery)


def test_below_the_sanctions_rung_nothing_bites():
    w = small_world()
    actions.open_crises(w, "A", TriggerEvent.COUP)
    w.crises["bloc->A"].rung = Rung.SUSPEND
    sanctions.run(w, w.params, rng())
    assert w.sanctioned == {} and w.crises["bloc->A"].fatigue == 0.0
