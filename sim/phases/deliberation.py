"""Phase 6, bloc deliberation: on each open crisis the voters weigh one rung up (or keeping the rung they
hold); the bloc applies its rule (:mod:`sim.rules.support`, :mod:`sim.rules.bloc_decision`); a decided
intervention mobilises, then launches, and the target's allies are called at once
(:func:`sim.phases.collective_defence.call_allies`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim import actions
from sim.enums import LogKind, Rung
from sim.phases.collective_defence import call_allies
from sim.rules.bloc_decision import tally
from sim.rules.contest import p_win
from sim.rules.support import SupportInputs, support_probability, vote_from_probability
from sim.scenario.parameters import ModelParams
from sim.world import Crisis, War, World

__all__ = ["deliberate", "launch", "run", "supports"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Every open crisis: closed if its target left the bloc, launched if mobilisation is over, else
    deliberated (unless a war over its target is being fought). ``rng``: the model's generator."""
    for crisis in list(world.crises.values()):
        if crisis.closed_week is not None:
            continue
        bloc = world.blocs[crisis.bloc]
        if not bloc.exists or not bloc.is_member(crisis.target):
            actions.close_crisis(world, crisis, "the target is no longer a member")
            continue
        if crisis.launch_week is not None:
            if world.week >= crisis.launch_week:
                launch(world, params, crisis, rng)
            continue
        if any(w.ended_week is None and w.target == crisis.target for w in world.wars):
            continue
        deliberate(world, params, crisis, rng)


def supports(world: World, params: ModelParams, voters: list[str], crisis: Crisis, rung: Rung, pwin: float,
             holding: bool) -> list[float]:
    """Each voter's support for ``rung`` (:func:`~sim.rules.support.support_probability`), in the voters'
    order, reduced by non-aggression clauses that bind it to the target on economic and military rungs."""
    sp, cache, states = params.support, world.support_cache, world.states
    recent, fatigue = world.recent_coups(), crisis.fatigue  # neither changes during deliberation
    refrain = rung >= Rung.SANCTIONS
    members = world.members()
    out = []
    for v in voters:
        s = states[v]
        x = SupportInputs(rung, s.democratic_norm, recent, s.coup_risk, s.leadership, pwin,
                          s.domestic_constraint, s.trade_exposure, fatigue, holding)
        prob = support_probability(x, sp, cache)
        if refrain:
            for ac in world.treaties.refrains(v, crisis.target, members):
                prob = prob * (1.0 - ac.spec.bindingness)
        out.append(prob)
    return out


def deliberate(world: World, params: ModelParams, crisis: Crisis, rng: np.random.Generator) -> None:
    """Voters weigh the next rung; the bloc applies its rule; repeat up to the weekly limit."""
    bloc = world.blocs[crisis.bloc]
    sp, cp = params.support, params.council
    ceiling = crisis.clause.spec.max_rung
    if crisis.rung >= ceiling:  # nothing to vote on (no draws are skipped: the loop would not run)
        return
    voters = bloc.voters(exclude=crisis.target)
    defence, ally_p = world.perceived_defence(crisis.bloc, crisis.target)
    defence *= crisis.perception
    climbed = 0
    rule_ref = f"{crisis.clause.ref}/rule:{bloc.rule.value}"
    while crisis.rung < ceiling and climbed < cp.max_rungs_per_week:
        nxt = Rung(crisis.rung + 1)
        pledgers = crisis.pledgers or [v for v in voters if world.states[v].pledge > 0]
        attack = world.pledged_force(pledgers)
        pw = p_win(attack, defence, sp.csf_exponent)
        draws = rng.random(len(voters)).tolist()  # the same stream as one draw per voter
        prs = supports(world, params, voters, crisis, nxt, pw, False)
        probs = dict(zip(voters, prs, strict=True))
        votes = [vote_from_probability(pr, u, sp.abstain_band) for pr, u in zip(prs, draws, strict=True)]
        t = tally(votes, bloc.rule, bloc.qualified_share)
        detail: dict[str, Any] = {"rung": int(nxt), "yes": t.yes, "no": t.no, "abstain": t.abstain,
                                  "p_win": pw, "perceived_defence": defence, "pledged_force": attack,
                                  "allies_p": ally_p, "support": probs}
        if not t.passed:
            if climbed == 0 and crisis.fail_logged != nxt:
                crisis.fail_logged = nxt
                world.say(LogKind.VOTE_FAIL, crisis.bloc, crisis.target, rule_ref,
                          f"{bloc.name} does not agree on {nxt.label} against {world.name(crisis.target)} "
                          f"({t.yes} yes, {t.no} no, {t.abstain} abstain; "
                          f"{bloc.rule.value.replace('_', ' ')}).", **detail)
            if climbed == 0:
                _maybe_step_down(world, params, crisis, voters, pw, rng)
            break
        if nxt is Rung.STANDBY:
            crisis.pledgers = [v for v, vote in zip(voters, votes, strict=True)
                               if vote > 0 and world.states[v].pledge > 0
                               and probs[v] >= cp.pledge_support_threshold]
            detail["pledgers"] = crisis.pledgers
            detail["pledged_force"] = world.pledged_force(crisis.pledgers)
        if nxt is Rung.INTERVENTION:
            pw = p_win(world.pledged_force(crisis.pledgers), defence, sp.csf_exponent)
            detail["p_win"] = pw
            if pw < cp.launch_p_win:
                if crisis.withheld_week != world.week - 1:
                    world.say(LogKind.LAUNCH_WITHHELD, crisis.bloc, crisis.target, "rule:launch",
                              f"{bloc.name} votes for force against {world.name(crisis.target)} but holds "
                              f"back: pledged troops would win with chance {pw:.0%} only "
                              f"(needs {cp.launch_p_win:.0%}) against the defence it expects.", **detail)
                crisis.withheld_week = world.week
                break
            crisis.launch_week = world.week + cp.mobilisation_weeks
        crisis.rung = nxt
        crisis.fail_logged = None
        crisis.max_rung = max(crisis.max_rung, nxt)
        climbed += 1
        world.say(LogKind.RUNG_UP, crisis.bloc, crisis.target, rule_ref,
                  f"{bloc.name} moves to {nxt.label} against {world.name(crisis.target)} "
                  f"({t.yes} yes, {t.no} no, {t.abstain} abstain).", **detail)
        if crisis.launch_week is not None:
            if crisis.launch_week <= world.week:
                launch(world, params, crisis, rng)
            break


def _maybe_step_down(world: World, params: ModelParams, crisis: Crisis, voters: list[str], pw: float,
                     rng: np.random.Generator) -> None:
    """When climbing fails, the bloc checks whether it still wants the rung it holds."""
    if crisis.rung < Rung.SANCTIONS:
        return
    bloc = world.blocs[crisis.bloc]
    draws = rng.random(len(voters)).tolist()
    band = params.support.abstain_band
    prs = supports(world, params, voters, crisis, crisis.rung, pw, True)
    votes = [vote_from_probability(pr, u, band) for pr, u in zip(prs, draws, strict=True)]
    t = tally(votes, bloc.rule, bloc.qualified_share)
    if not t.passed:
        old = crisis.rung
        crisis.rung = Rung(crisis.rung - 1)
        crisis.fail_logged = None
        if old is Rung.STANDBY:
            crisis.pledgers = []
        world.say(LogKind.RUNG_DOWN, crisis.bloc, crisis.target, f"{crisis.clause.ref}/rule:{bloc.rule.value}",
                  f"{bloc.name} steps down from {old.label} to {crisis.rung.label} against "
                  f"{world.name(crisis.target)} (fatigue {crisis.fatigue:.2f}; {t.yes} of {len(votes)} "
                  f"would keep it).", fatigue=crisis.fatigue, yes=t.yes, no=t.no, abstain=t.abstain)


def launch(world: World, params: ModelParams, crisis: Crisis, rng: np.random.Generator) -> None:
    """The intervention begins: pledged troops deploy, and the target's allies decide at once whether to
    defend it (collective defence, from the model's generator)."""
    crisis.launch_week = None
    attackers: dict[str, float] = {}
    a_eff = 0.0
    for s in crisis.pledgers:
        st = world.states[s]
        sent = st.deploy(st.pledge)
        if sent > 0:
            attackers[s] = sent
            a_eff += sent * st.quality
    t = world.states[crisis.target]
    d_own = t.personnel * params.combat.defence_mobilisation
    war = War(crisis.bloc, crisis.target, world.week, attackers, {crisis.target: d_own},
              a_eff, 0.0, a_eff, d_own * t.quality)
    world.wars.append(war)
    world.say(LogKind.INTERVENTION, crisis.bloc, crisis.target, crisis.clause.ref,
              f"{world.name(crisis.bloc)} forces ({sum(attackers.values()):,.0f} troops from "
              f"{', '.join(world.name(a) for a in attackers)}) enter {world.name(crisis.target)}.",
              attackers=attackers, attack_force=a_eff)
    call_allies(world, params, war, rng)
