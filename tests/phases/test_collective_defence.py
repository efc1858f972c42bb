"""Phase 5, collective defence, on a small World (and the interstate call deliberation makes)."""

from __future__ import annotations

from sim.enums import LogKind, TriggerEvent
from sim.phases import collective_defence
from sim.world import CTMission, War
from tests.phases.small import rng, small_world


def test_each_committed_ally_answers_a_call():
    w = small_world()
    rep = {s: w.states[s].reputation for s in "BC"}
    w.ct_calls.append(("A", TriggerEvent.TERRORISM))
    collective_defence.run(w, w.params, rng(2))
    decisions = [r for r in w.log.rows if r.kind in (LogKind.CT_ASSIST, LogKind.CT_ABANDON)]
    assert [r.actor for r in decisions] == ["B", "C"] and w.ct_owed == 2 and w.ct_calls == []
    assert w.ct_given == sum(r.kind is LogKind.CT_ASSIST for r in decisions)
    gain = w.params.assistance.reputation_gain
    for r in decisions:
        s = w.states[r.actor]
        assert s.reputation == (min(1.0, rep[r.actor] + gain) if r.kind is LogKind.CT_ASSIST
                                else max(0.0, rep[r.actor] - gain))
        assert (s.ct_abroad > 0) == (r.kind is LogKind.CT_ASSIST)


def test_tours_that_are_over_come_home():
    w = small_world(week=10)
    b = w.states["B"]
    sent = b.deploy(500.0)
    b.ct_abroad = sent
    w.ct_missions.append(CTMission("B", "A", sent, 2, 10, "pact.defence"))
    collective_defence.run(w, w.params, rng())
    assert w.ct_missions == [] and b.deployed == 0.0 and b.ct_abroad == 0.0
    assert w.log.rows[-1].kind is LogKind.CT_RETURN


def test_an_attack_calls_the_targets_allies():
    w = small_world()
    war = War("other", "A", 1, {"X": 1000.0}, {"A": 2000.0}, 1000.0, 0.0, 1000.0, 1600.0)
    collective_defence.call_allies(w, w.params, war, rng(4))
    assert w.owed == 2 and w.given == sum(s in war.defenders for s in "BC")
    assert war.d0 == war.d_eff >= 1600.0
