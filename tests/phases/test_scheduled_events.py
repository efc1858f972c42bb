"""Phase 1, scheduled events, on a small World."""

from __future__ import annotations

from sim.enums import LogKind, Regime, Rung, ScheduledKind
from sim.phases import scheduled_events
from tests.phases.small import rng, small_world


def test_every_scheduled_kind_has_a_handler():
    assert set(scheduled_events.HANDLERS) == set(ScheduledKind)


def test_a_coup_falls_due_and_opens_a_crisis_under_the_ladder():
    events = {"putsch": {"date": "2023-01-02", "kind": "coup", "actor": "A", "note": "Soldiers act."}}
    w = small_world(events=events)
    scheduled_events.run(w, w.params, rng())
    assert w.states["A"].regime is Regime.MILITARY
    assert w.coup_record == [(1, "A", "scheduled")] and w.recent_coups() == 1.0
    crisis = w.crises["bloc->A"]
    assert crisis.rung is Rung.NONE and crisis.opened_week == 1 and crisis.closed_week is None
    assert [r.kind for r in w.log.rows] == [LogKind.COUP, LogKind.CRISIS]
    assert w.log.rows[0].text.endswith("Soldiers seize power in a coup in Aland. Soldiers act.")
    assert 0 not in w.events_by_week  # applied once


def test_exit_notice_and_suspension_follow_their_bloc():
    events = {"leave": {"date": "2023-01-02", "kind": "exit_notice", "actor": "C", "target": "bloc"},
              "susp": {"date": "2023-01-03", "kind": "suspend", "actor": "A", "target": "bloc"}}
    w = small_world(events=events)
    scheduled_events.run(w, w.params, rng())
    assert w.pending_exits == [(1 + 4, "C", "bloc", "pact.exit")] and ("C", "bloc") in w.pending_notice
    assert w.blocs["bloc"].suspended == {"A"}
    assert [r.kind for r in w.log.rows] == [LogKind.EXIT_NOTICE, LogKind.SUSPEND]


def test_an_event_and_what_it_sets_off_are_logged_on_its_own_date():
    events = {"putsch": {"date": "2023-01-03", "kind": "coup", "actor": "A"}}
    w = small_world(events=events)
    scheduled_events.run(w, w.params, rng())
    assert w.date.isoformat() != "2023-01-03"  # the week ends later
    assert [(r.kind, str(r.date)) for r in w.log.rows] == [(LogKind.COUP, "2023-01-03"),
                                                                    (LogKind.CRISIS, "2023-01-03")]
    assert "2023-01-03" in w.log.rows[0].text and w.log_date is None


def test_a_bloc_exists_from_its_founding():
    w = small_world(week=1, blocs={"late": {"name": "Late", "members": ["A", "B"], "founded": "2023-01-10"}})
    assert not w.blocs["late"].exists and w.members()["late"] == []
    scheduled_events.run(w, w.params, rng())  # week 1 ends on 8 Jan: not yet
    assert not w.blocs["late"].exists
    w.week, w.date = 2, w.date + (w.date - w.spec.start)
    scheduled_events.run(w, w.params, rng())
    assert w.blocs["late"].exists and w.members()["late"] == ["A", "B"]
    row = next(r for r in w.log.rows if r.kind is LogKind.BLOC_FOUNDED)
    assert str(row.date) == "2023-01-10"
