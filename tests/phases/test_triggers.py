"""Phase 4, triggers of the security system, on a small World."""

from __future__ import annotations

from sim.enums import TriggerEvent
from sim.phases import triggers
from tests.phases.small import rng, small_world


def test_a_threatened_member_calls_its_allies_once_per_tour():
    w = small_world()
    w.states["A"].threat = 0.99
    triggers.run(w, w.params, rng())
    assert w.ct_calls == [("A", TriggerEvent.TERRORISM)]
    assert w.ct_called_until["A"] == 1 + w.params.counter_terrorism.tour_weeks
    w.ct_calls.clear()
    w.week = 2
    triggers.run(w, w.params, rng())
    assert w.ct_calls == []  # still within the tour


def test_no_threat_no_call():
    w = small_world()
    triggers.run(w, w.params, rng())
    assert w.ct_calls == [] and len(w.log) == 0
