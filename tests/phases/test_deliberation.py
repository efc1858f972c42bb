"""Phase 6, bloc deliberation, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import LogKind, Rung, TriggerEvent
from sim.phases import deliberation
from tests.phases.small import rng, small_world


def _crisis_world(**kw):
    w = small_world(**kw)
    w.states["A"].regime = w.states["A"].regime.MILITARY
    actions.open_crises(w, "A", TriggerEvent.COUP)
    return w, w.crises["bloc->A"]


def test_committed_democrats_climb_the_ladder():
    w, crisis = _crisis_world()
    deliberation.run(w, w.params, rng(1))
    ups = [r for r in w.log.rows if r.kind is LogKind.RUNG_UP]
    assert ups and crisis.rung == ups[-1].details["rung"] >= Rung.CONDEMN
    assert crisis.max_rung == crisis.rung
    assert len(ups) <= w.params.council.max_rungs_per_week
    assert set(ups[0].details["support"]) == {"B", "C"}  # the target does not vote


def test_a_crisis_whose_target_left_is_closed():
    w, crisis = _crisis_world()
    w.blocs["bloc"].remove("A")
    w.membership_changed()
    deliberation.run(w, w.params, rng())
    assert crisis.closed_week == 1 and crisis.rung is Rung.NONE
    assert w.log.rows[-1].kind is LogKind.CRISIS_END


def test_launch_deploys_pledgers_and_calls_the_allies():
    w, crisis = _crisis_world()
    crisis.pledgers = ["B", "C"]
    deliberation.launch(w, w.params, crisis, rng())
    war = w.wars[0]
    assert war.attackers == {"B": 8000.0, "C": 5000.0} and war.target == "A"
    assert w.states["B"].deployed == 8000.0
    assert w.owed == 0  # A's allies are the attackers themselves
    assert [r.kind for r in w.log.rows][-1] is LogKind.INTERVENTION
