"""Phase 10, membership, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import LogKind
from sim.phases import membership
from tests.phases.small import rng, small_world


def test_a_notice_comes_due_and_the_bloc_dissolves_below_its_minimum():
    w = small_world(blocs={"bloc": {"name": "Bloc", "members": ["A", "B", "C"], "decision_rule": "majority",
                                    "min_members": 3}})
    actions.give_notice(w, "C", "bloc", 0, "pact.exit")
    membership.run(w, w.params, rng())
    bloc = w.blocs["bloc"]
    assert bloc.members == ["A", "B"] and w.exits == [(1, "C", "bloc")]
    assert not bloc.exists and bloc.dissolved_week == 1 and w.members()["bloc"] == []
    assert w.treaties.exit_clause("bloc") is None  # its clauses lapse
    assert [r.kind for r in w.log.rows] == [LogKind.EXIT, LogKind.DISSOLUTION]


def test_a_sanctioned_member_comes_to_resent_its_bloc():
    from sim.enums import Rung, TriggerEvent

    w = small_world()
    actions.open_crises(w, "A", TriggerEvent.COUP)
    w.crises["bloc->A"].rung = Rung.ULTIMATUM
    membership.run(w, w.params, rng())
    assert w.grievance[("A", "bloc")] > 0.0
    assert ("B", "bloc") not in w.grievance  # nothing to resent
