"""Phase 9, the target's side, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import LogKind, Regime, Rung, TriggerEvent
from sim.phases import target
from tests.phases.small import rng, small_world


def _crisis_world(**kw):
    w = small_world(**kw)
    w.states["A"].regime = Regime.MILITARY
    actions.open_crises(w, "A", TriggerEvent.COUP)
    return w, w.crises["bloc->A"]


def test_a_credible_threat_brings_a_concession():
    # every concession is a timetable; the intercept makes a concession certain under the threat
    w, crisis = _crisis_world(parameters={"target": {"intercept": -3.0, "w_threat": 40.0, "yield_share": 0.0}})
    crisis.rung, crisis.pledgers = Rung.STANDBY, ["B", "C"]
    x = target.inputs(w, w.params, crisis)
    assert x.threat > 0.5  # 13,000 pledged against A's 1,920 defenders, at a rung that leads to war
    epoch = w.epoch
    target.run(w, w.params, rng())
    assert crisis.concession == "timetable" and crisis.concession_week == w.week
    assert crisis.rung is Rung.SUSPEND and crisis.ceiling is Rung.SUSPEND and crisis.pledgers == []
    assert w.epoch == epoch + 1 and w.log.rows[-1].kind is LogKind.CONCESSION
    target.run(w, w.params, rng())  # one concession per crisis
    assert w.log.rows[-1].kind is LogKind.CONCESSION and sum(r.kind is LogKind.CONCESSION for r in w.log.rows) == 1


def test_a_junta_that_yields_hands_power_back_and_the_crisis_ends():
    w, crisis = _crisis_world(parameters={"target": {"intercept": 0.0, "w_threat": 40.0, "yield_share": 1.0}})
    crisis.rung, crisis.pledgers = Rung.STANDBY, ["B", "C"]
    target.run(w, w.params, rng())
    assert crisis.concession == "yielded" and crisis.closed_week == w.week
    assert w.states["A"].regime is Regime.CIVILIAN
    assert [r.kind for r in w.log.rows][-2:] == [LogKind.YIELD, LogKind.CRISIS_END]


def test_below_the_ultimatum_there_is_no_threat_and_no_pressure_no_concession():
    w, crisis = _crisis_world()
    crisis.rung, crisis.pledgers = Rung.SUSPEND, ["B", "C"]
    assert target.inputs(w, w.params, crisis).threat == 0.0
    for week in range(1, 30):  # the default weekly chance without pressure is about 0.15%
        w.week = week
        target.run(w, w.params, rng(week))
    assert crisis.concession is None


def test_a_patron_in_the_target_counts():
    w, crisis = _crisis_world()
    w.powers["p"].spec = w.powers["p"].spec.model_copy(update={"patron_for": ["A"]})
    assert target.inputs(w, w.params, crisis).patron
    w.powers["p"].spec = w.powers["p"].spec.model_copy(update={"patron_for": []})
    assert not target.inputs(w, w.params, crisis).patron
