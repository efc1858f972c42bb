"""Phase 7, wars, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import LogKind, Regime, TriggerEvent
from sim.phases import wars
from sim.world import War
from tests.phases.small import rng, small_world


def test_an_overwhelming_attack_wins_and_ends_the_crisis():
    w = small_world(week=3, parameters={"combat": {"attrition_rate": 0.5}})
    w.states["A"].regime = Regime.MILITARY
    actions.open_crises(w, "A", TriggerEvent.COUP)
    w.states["B"].deploy(8000.0)
    war = War("bloc", "A", 2, {"B": 8000.0}, {"A": 1000.0}, 8000.0, 800.0, 8000.0, 800.0)
    w.wars.append(war)
    wars.run(w, w.params, rng())
    assert war.outcome == "attacker_won" and war.ended_week == 3
    assert w.states["A"].regime is Regime.CIVILIAN
    assert w.crises["bloc->A"].closed_week == 3
    assert w.states["B"].deployed == 0.0 and w.states["A"].personnel < 10000
    assert [r.kind for r in w.log.rows][-2:] == [LogKind.WAR_END, LogKind.CRISIS_END]


def test_a_war_begun_this_week_does_not_fight_yet():
    w = small_world(week=2)
    war = War("bloc", "A", 2, {"B": 100.0}, {"A": 100.0}, 100.0, 100.0, 100.0, 100.0)
    w.wars.append(war)
    wars.run(w, w.params, rng())
    assert war.a_eff == war.d_eff == 100.0 and war.ended_week is None


def _fight(a0: float, d0: float, seed: int) -> str:
    """One war fought to its end by the wars phase (a fresh small World, forces in persons at quality 1)."""
    w = small_world(week=2)
    war = War("bloc", "A", 1, {"B": a0}, {"A": d0}, a0, d0, a0, d0)
    w.wars.append(war)
    g = rng(seed)
    while war.ended_week is None:
        w.week += 1
        wars.run(w, w.params, g)
    return str(war.outcome)


def test_what_members_expect_of_a_war_is_what_wars_do():
    # the war model's chance that the attacker breaks the defence (sim.rules.contest), against wars fought
    # by the phase: 300 wars per ratio; binomial SE <= 0.029, the margin is 4 SE
    from sim.rules.contest import attacker_win_probability
    from sim.scenario.parameters import CombatParams

    p = CombatParams()
    for a0, d0 in ((1500.0, 1000.0), (3000.0, 1000.0), (900.0, 1000.0)):
        expect = attacker_win_probability(a0, d0, p)
        won = sum(_fight(a0, d0, seed) == "attacker_won" for seed in range(300)) / 300
        se = max(0.0145, (expect * (1 - expect) / 300) ** 0.5)
        assert abs(won - expect) < 4 * se + 1e-9, (a0, d0, won, expect)
