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
    # B and C (norms 0.9) back condemnation with chances 0.99 and 0.86 at the defaults; the bloc's majority of
    # two needs both (0.85), so it climbs at its first summit in about 17 of 20 seeds (fewer than 12 would
    # happen by chance with probability under 1%); the climb's record is read from the first seed that climbs
    climbed = []
    for seed in range(20):
        w, crisis = _crisis_world()
        deliberation.run(w, w.params, rng(seed))
        climbed.append(crisis.rung >= Rung.CONDEMN)
    assert sum(climbed) >= 12, sum(climbed)
    w, crisis = _crisis_world()
    deliberation.run(w, w.params, rng(climbed.index(True)))
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


def test_a_rung_once_decided_holds_until_something_changes():
    w, crisis = _crisis_world()
    crisis.rung = crisis.max_rung = Rung.SANCTIONS
    crisis.settled, crisis.epoch, crisis.next_summit = True, w.epoch, w.week + 5
    before = len(w.log.rows)
    deliberation.run(w, w.params, rng(1))  # no summit due, nothing changed: no vote at all
    assert len(w.log.rows) == before and crisis.rung is Rung.SANCTIONS and crisis.settled
    w.changed()  # e.g. a declaration: the bloc meets again and votes a climb
    deliberation.run(w, w.params, rng(1))
    votes = [r for r in w.log.rows[before:] if r.kind in (LogKind.RUNG_UP, LogKind.VOTE_FAIL)]
    assert votes and votes[0].details["rung"] == Rung.ULTIMATUM
    assert crisis.epoch == w.epoch and crisis.next_summit >= w.week + 1


def test_the_ladder_can_stop_at_suspension_and_stays_there():
    # sanctions are very costly to every voter: the summit condemns and suspends, then stops
    costs = [-5.0, -5.0, 30.0, 30.0, 30.0, 30.0]
    w, crisis = _crisis_world(parameters={"support": {"rung_cost": costs}})
    for week in range(1, 12):
        w.week = week
        deliberation.run(w, w.params, rng(week))
    assert crisis.rung is Rung.SUSPEND and crisis.max_rung is Rung.SUSPEND and crisis.settled
    fails = [r for r in w.log.rows if r.kind is LogKind.VOTE_FAIL]
    assert len(fails) == 1 and fails[0].details["rung"] == Rung.SANCTIONS  # logged once, not re-voted weekly


def test_a_refusing_legislature_withholds_its_pledge():
    w, crisis = _crisis_world(parameters={"council": {"legislature_veto": 1.0}})
    crisis.pledgers = ["B", "C"]
    w.states["B"].domestic_constraint, w.states["C"].domestic_constraint = 1.0, 0.0
    deliberation.ask_legislatures(w, w.params, crisis, rng())
    assert crisis.pledgers == ["C"] and crisis.withheld == ["B"] and crisis.asked == {"B"}
    row = w.log.rows[-1]
    assert row.kind is LogKind.PLEDGE_WITHHELD and row.actor == "B" and row.details["chance"] == 1.0
    deliberation.ask_legislatures(w, w.params, crisis, rng())  # asked once per crisis
    assert w.log.rows[-1] is row


def test_without_a_constraint_the_legislature_never_refuses():
    w, crisis = _crisis_world()
    crisis.pledgers = ["B", "C"]
    w.states["B"].domestic_constraint = w.states["C"].domestic_constraint = 0.0
    for seed in range(20):
        deliberation.ask_legislatures(w, w.params, crisis, rng(seed))
    assert crisis.pledgers == ["B", "C"] and not crisis.withheld


def test_a_decided_launch_is_called_off_when_the_defence_it_expects_grows():
    w, crisis = _crisis_world()
    w.states["B"].domestic_constraint = w.states["C"].domestic_constraint = 0.0
    crisis.rung, crisis.pledgers, crisis.launch_week = Rung.INTERVENTION, ["B", "C"], w.week + 3
    assert deliberation.still_launching(w, w.params, crisis, rng())  # 13,000 pledged vs 1,920 defending
    w.states["A"].personnel = 400_000.0  # the defence the bloc expects grows (e.g. an ally's pledge)
    assert not deliberation.still_launching(w, w.params, crisis, rng())
    assert crisis.launch_week is None and crisis.rung is Rung.STANDBY and crisis.settled
    row = w.log.rows[-1]
    assert row.kind is LogKind.LAUNCH_RECONSIDERED and row.details["p_win"] < w.params.council.launch_p_win


def _force_decided(stationed: dict[str, int]):
    easy = {"support": {"rung_cost": [-9.0] * 6}, "council": {"legislature_veto": 0.0}}
    w, crisis = _crisis_world(parameters=easy, states={"B": {**_state("B"), "stationed": stationed}})
    crisis.rung, crisis.max_rung, crisis.pledgers = Rung.STANDBY, Rung.STANDBY, ["B", "C"]
    deliberation.run(w, w.params, rng(1))
    return w, crisis


def _state(sid):
    from tests.phases.small import BASE

    return dict(BASE["states"][sid])


def test_forces_already_in_the_target_act_without_mobilisation():
    w, crisis = _force_decided({"A": 600})  # ECOMOG in Freetown, 1997
    assert crisis.max_rung is Rung.INTERVENTION and w.wars and w.wars[0].started_week == w.week
    w2, crisis2 = _force_decided({})
    assert crisis2.rung is Rung.INTERVENTION and not w2.wars
    assert crisis2.launch_week == w2.week + w2.params.council.mobilisation_weeks
