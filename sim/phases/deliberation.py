"""Phase 6, bloc deliberation: on each open crisis the voters weigh one rung up (or keeping the rung they
hold); the bloc applies its rule (:mod:`sim.rules.support`, :mod:`sim.rules.bloc_decision`); a decided
intervention mobilises, then launches, and the target's allies are called at once
(:func:`sim.phases.collective_defence.call_allies`).

Decisions have memory: the bloc meets in summit when the crisis opens, again the week after a summit
that climbed its package of rungs, and otherwise only when something changed (:attr:`World.epoch`) or
at an ordinary review every ``council.summit_interval_weeks``. Where a vote fails the ladder stops and
holds; an ordinary review only asks whether the bloc still wants the measures it holds (fatigue). When
force is decided each pledger's legislature decides whether to send its troops (a refusal withholds the
pledge, and the can-win test is passed without it); during mobilisation the launch is reconsidered every
week against the defence the bloc now expects."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim import actions
from sim.enums import LogKind, Rung
from sim.phases.collective_defence import call_allies
from sim.rules.bloc_decision import tally
from sim.rules.support import SupportInputs, support_probability, vote_from_probability
from sim.scenario.parameters import ModelParams
from sim.world import Crisis, War, World

__all__ = ["ask_legislatures", "deliberate", "launch", "run", "still_launching", "supports"]


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
            if still_launching(world, params, crisis, rng) and world.week >= crisis.launch_week:
                launch(world, params, crisis, rng)
            continue
        if any(w.ended_week is None and w.target == crisis.target for w in world.wars):
            continue
        if world.week >= crisis.next_summit or crisis.epoch != world.epoch:
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
    changed = crisis.epoch != world.epoch
    crisis.epoch = world.epoch
    crisis.next_summit = world.week + cp.summit_interval_weeks
    ceiling = crisis.clause.spec.max_rung if crisis.ceiling is None else min(crisis.ceiling,
                                                                            crisis.clause.spec.max_rung)
    voters = bloc.voters(exclude=crisis.target)

    def win(attack: float) -> tuple[float, float, dict[str, float]]:
        return world.expected_win(crisis.bloc, crisis.target, attack, crisis.perception)

    if (crisis.settled and not changed) or crisis.rung >= ceiling:  # memory: only review the measures held
        if crisis.rung >= Rung.SANCTIONS:
            pw = win(world.pledged_force(_pledgers(world, crisis, voters)))[0]
            _maybe_step_down(world, params, crisis, voters, pw, rng)
        return
    crisis.settled = False
    climbed = 0
    rule_ref = f"{crisis.clause.ref}/rule:{bloc.rule.value}"
    while crisis.rung < ceiling and climbed < cp.max_rungs_per_week:
        nxt = Rung(crisis.rung + 1)
        attack = world.pledged_force(_pledgers(world, crisis, voters))
        pw, defence, ally_p = win(attack)
        draws = rng.random(len(voters)).tolist()  # the same stream as one draw per voter
        prs = supports(world, params, voters, crisis, nxt, pw, False)
        probs = dict(zip(voters, prs, strict=True))
        votes = [vote_from_probability(pr, u, sp.abstain_band) for pr, u in zip(prs, draws, strict=True)]
        t = tally(votes, bloc.rule, bloc.qualified_share)
        detail: dict[str, Any] = {"rung": int(nxt), "yes": t.yes, "no": t.no, "abstain": t.abstain,
                                  "p_win": pw, "perceived_defence": defence, "pledged_force": attack,
                                  "allies_p": ally_p, "support": probs}
        if not t.passed:
            crisis.settled = True  # the ladder stops here until something changes
            if crisis.fail_logged != nxt:
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
                               and probs[v] >= cp.pledge_support_threshold and v not in crisis.withheld]
            detail["pledgers"] = crisis.pledgers
            detail["pledged_force"] = world.pledged_force(crisis.pledgers)
        if nxt is Rung.INTERVENTION:
            ask_legislatures(world, params, crisis, rng)
            pw = win(world.pledged_force(crisis.pledgers))[0]
            detail["p_win"] = pw
            detail["pledgers"] = list(crisis.pledgers)
            detail["withheld"] = list(crisis.withheld)
            if pw < cp.launch_p_win:
                crisis.settled = True
                if crisis.withheld_week != world.week - 1:
                    world.say(LogKind.LAUNCH_WITHHELD, crisis.bloc, crisis.target, "rule:launch",
                              f"{bloc.name} votes for force against {world.name(crisis.target)} but holds "
                              f"back: pledged troops would win with chance {pw:.0%} only "
                              f"(needs {cp.launch_p_win:.0%}) against the defence it expects.", **detail)
                crisis.withheld_week = world.week
                break
            in_place = any(world.states[s].stationed.get(crisis.target, 0.0) > 0 for s in crisis.pledgers)
            crisis.launch_week = world.week + (0 if in_place else cp.mobilisation_weeks)  # ECOMOG in Freetown
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
    if crisis.rung >= ceiling:
        crisis.settled = True
    elif not crisis.settled and crisis.launch_week is None:
        crisis.next_summit = world.week + 1  # the package is spent: the summit goes on next week


def _pledgers(world: World, crisis: Crisis, voters: list[str]) -> list[str]:
    """The force the bloc counts on: the pledges made at the standby rung, else every voter's pledge
    (less those whose legislature refused)."""
    return crisis.pledgers or [v for v in voters if world.states[v].pledge > 0 and v not in crisis.withheld]


def ask_legislatures(world: World, params: ModelParams, crisis: Crisis, rng: np.random.Generator) -> None:
    """Each pledger not yet asked puts the deployment to its legislature, which refuses with chance
    ``legislature_veto`` x its domestic constraint; a refusal withholds the pledge (logged)."""
    veto = params.council.legislature_veto
    for s in list(crisis.pledgers):
        st = world.states[s]
        if s in crisis.asked or st.domestic_constraint <= 0 or veto <= 0:
            continue
        crisis.asked.add(s)
        chance = min(1.0, veto * st.domestic_constraint)
        if rng.random() < chance:
            crisis.pledgers.remove(s)
            crisis.withheld.append(s)
            world.say(LogKind.PLEDGE_WITHHELD, s, crisis.target, "rule:legislature",
                      f"{world.name(s)}'s legislature refuses to send its {st.pledge:,.0f} pledged troops "
                      f"against {world.name(crisis.target)} (constraint {st.domestic_constraint:.2f}, chance "
                      f"{chance:.0%}): the pledge is withheld.", pledge=st.pledge, chance=chance,
                      constraint=st.domestic_constraint)


def still_launching(world: World, params: ModelParams, crisis: Crisis, rng: np.random.Generator) -> bool:
    """During mobilisation: pledgers' legislatures not yet asked decide, and the bloc re-checks that the
    pledged force would still win against the defence it now expects; if not, the launch is called off
    and the bloc holds the standby rung until something changes."""
    cp = params.council
    ask_legislatures(world, params, crisis, rng)
    attack = world.pledged_force(crisis.pledgers)
    pw, defence, ally_p = world.expected_win(crisis.bloc, crisis.target, attack, crisis.perception)
    if pw >= cp.launch_p_win:
        return True
    crisis.launch_week = None
    crisis.rung = Rung.STANDBY
    crisis.settled = True
    crisis.epoch = world.epoch
    world.say(LogKind.LAUNCH_RECONSIDERED, crisis.bloc, crisis.target, "rule:launch",
              f"{world.name(crisis.bloc)} calls off the launch against {world.name(crisis.target)}: pledged "
              f"troops would now win with chance {pw:.0%} only (needs {cp.launch_p_win:.0%}).",
              p_win=pw, perceived_defence=defence, pledged_force=attack, allies_p=ally_p,
              withheld=list(crisis.withheld))
    return False


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
