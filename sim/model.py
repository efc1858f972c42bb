"""The Mesa model: builds agents from a Scenario and runs the weekly order.

Each week, in this fixed order (docs/ODD.md, "Process overview and scheduling"):

1. scheduled events fall due (coups, declarations, exit notices, changes of posture); treaties enter
   into force;
2. events reach the clauses they trigger (a coup opens a crisis under each democratic-order clause);
3. collective defence: for each new attack, each committed ally decides to assist or not;
4. bloc deliberation: each crisis's voters weigh one rung up (or keeping the current rung);
5. wars fight a week (Lanchester) and may end (breakpoint or settlement);
6. sanctions bite, fatigue accumulates;
7. membership: exit notices come due; a bloc below its minimum dissolves;
8. data collection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np

from sim.agents import BlocAgent, StateAgent
from sim.enums import ClauseKind, Decider, Regime, Rung, TriggerEvent
from sim.events import EventLog
from sim.rules.assistance import AssistInputs, assist_probability, decide_assist
from sim.rules.bloc_decision import tally
from sim.rules.combat import lanchester_week, settlement_probability
from sim.rules.contest import p_win
from sim.rules.sanctions import sanctions_week
from sim.rules.support import SupportInputs, support_probability, vote_from_probability
from sim.scenario import EventSpec, Scenario
from sim.treaties import ActiveClause, Commitment, TreatyRegistry

__all__ = ["Crisis", "LiptakoModel", "War"]


@dataclass
class Crisis:
    """A bloc's response to a target under a democratic-order clause."""

    bloc: str
    target: str
    clause: ActiveClause
    opened_week: int
    rung: Rung = Rung.NONE
    max_rung: Rung = Rung.NONE
    fatigue: float = 0.0
    pledgers: list[str] = field(default_factory=list)
    launch_week: int | None = None  # set when an intervention is decided and mobilising
    closed_week: int | None = None
    sanction_weeks: int = 0
    perception: float = 1.0  # the bloc's error factor on the defending force, drawn when the crisis opens
    withheld_week: int | None = None  # last week a launch was held back (to log only the first of a run)

    @property
    def key(self) -> str:
        return f"{self.bloc}->{self.target}"


@dataclass
class War:
    """An intervention and the defence it meets."""

    bloc: str
    target: str
    started_week: int
    attackers: dict[str, float]  # state -> persons committed
    defenders: dict[str, float]
    a0: float  # initial effective forces
    d0: float
    a_eff: float
    d_eff: float
    ended_week: int | None = None
    outcome: str = ""  # "attacker_won", "defender_won", "settled"


class LiptakoModel(mesa.Model):
    """Collective defence and the escalation ladder, week by week.

    Args:
        scenario: a validated scenario.
        seed: the run's seed; the model owns one generator (``self.rng``) that every rule borrows.
    """

    def __init__(self, scenario: Scenario, seed: int) -> None:
        super().__init__(rng=np.random.default_rng(seed))
        self.spec = scenario
        self.params = scenario.parameters
        self.seed = seed
        self.week = 0
        self.date = scenario.start
        self.n_weeks = scenario.weeks
        self.log = EventLog()
        self.states: dict[str, StateAgent] = {sid: StateAgent(self, sid, s) for sid, s in scenario.states.items()}
        self.blocs: dict[str, BlocAgent] = {bid: BlocAgent(self, bid, b) for bid, b in scenario.blocs.items()}
        self.treaties = TreatyRegistry(scenario)
        self.crises: dict[str, Crisis] = {}
        self.wars: list[War] = []
        self.coup_weeks: list[tuple[int, str]] = []
        self.pending_exits: list[tuple[int, str, str, str]] = []  # (due week, state, bloc, clause ref)
        self.exits: list[tuple[int, str, str]] = []
        self.owed = 0
        self.given = 0
        self.events_by_week: dict[int, list[tuple[str, EventSpec]]] = {}
        for eid, ev in sorted(scenario.events.items(), key=lambda kv: (kv[1].date, kv[0])):
            w = (ev.date - scenario.start).days // 7
            self.events_by_week.setdefault(w, []).append((eid, ev))
        self.focus, self.focus_bloc = self._focus()
        from sim.metrics import TimelineRecorder  # local: metrics imports this module's types

        self.recorder = TimelineRecorder(self)
        self.phases = [
            self.phase_scheduled_events,
            self.phase_collective_defence,
            self.phase_deliberation,
            self.phase_wars,
            self.phase_sanctions,
            self.phase_membership,
        ]
        self.recorder.collect()

    # --- helpers ----------------------------------------------------------------------------------
    def _focus(self) -> tuple[str | None, str | None]:
        s = self.spec
        focus = s.focus
        if focus is None:
            for _eid, ev in sorted(s.events.items(), key=lambda kv: (kv[1].date, kv[0])):
                if ev.kind in ("coup", "refusal_to_cede_power"):
                    focus = ev.actor[0] if isinstance(ev.actor, list) else ev.actor
                    break
        bloc = s.focus_bloc
        if bloc is None and focus is not None:
            for t in s.treaties.values():
                if focus in s.blocs[t.bloc].members and any(
                    c.kind is ClauseKind.DEMOCRATIC_ORDER for c in t.clauses.values()
                ):
                    bloc = t.bloc
                    break
        return focus, bloc

    def members(self) -> dict[str, list[str]]:
        return {bid: (b.members if b.exists else []) for bid, b in self.blocs.items()}

    def _say(self, kind: str, actor: str, target: str, clause: str, text: str, **details: Any) -> None:
        self.log.add(self.week, self.date, kind, actor, target, clause,
                     f"Week {self.week}, {self.date.isoformat()}: {text}", **details)

    def name(self, sid: str) -> str:
        if sid in self.states:
            return self.states[sid].name
        if sid in self.blocs:
            return self.blocs[sid].name
        return sid

    def affinity(self, a: str, b: str) -> float:
        p = self.params.assistance
        same = self.states[a].regime == self.states[b].regime
        return p.affinity_same_regime if same else p.affinity_other_regime

    def assist_inputs(self, cm: Commitment, victim_provoked: bool = False) -> AssistInputs:
        ally = self.states[cm.ally]
        return AssistInputs(
            bindingness=cm.bindingness,
            affinity=self.affinity(cm.ally, cm.protected),
            spare_share=ally.spare_share(),
            own_threat=ally.threat,
            victim_provoked=victim_provoked,
            reputation=ally.reputation,
        )

    def effective_defence(self, target: str) -> float:
        """The target's own effective force against an intervention."""
        s = self.states[target]
        return s.personnel * self.params.combat.defence_mobilisation * s.quality

    def ally_force(self, ally: str) -> float:
        """Persons an ally would send if it assists."""
        return self.states[ally].spare() * self.params.assistance.contribution_share

    def perceived_defence(self, bloc: str, target: str) -> tuple[float, dict[str, float]]:
        """Defending force as the bloc's members perceive it: the target's own plus each committed
        ally's force weighted by its chance of assisting (before perception noise)."""
        attackers = set(self.blocs[bloc].active_members())
        commits = self.treaties.commitments_to(target, self.members(), TriggerEvent.ATTACK, attackers)
        total = self.effective_defence(target)
        probs: dict[str, float] = {}
        for cm in commits:
            if cm.ally in attackers:
                continue
            pr = assist_probability(self.assist_inputs(cm), self.params.assistance)
            probs[cm.ally] = pr
            total += pr * self.ally_force(cm.ally) * self.states[cm.ally].quality
        return total, probs

    def pledged_force(self, pledgers: list[str]) -> float:
        return sum(min(self.states[s].pledge, self.states[s].spare()) * self.states[s].quality for s in pledgers)

    def recent_coups(self) -> float:
        w = self.params.support.contagion_window_weeks
        return float(sum(1 for wk, _ in self.coup_weeks if self.week - wk < w))

    # --- the week ---------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one week through the fixed order of phases, then collect data."""
        self.week += 1
        self.date = self.spec.start + dt.timedelta(weeks=self.week)
        for phase in self.phases:
            phase()
        self.recorder.collect()

    def run(self) -> None:
        """Run to the scenario's end date."""
        while self.week < self.n_weeks:
            self.step()

    # 1. scheduled events -------------------------------------------------------------------------
    def phase_scheduled_events(self) -> None:
        week_end = self.spec.start + dt.timedelta(weeks=self.week)
        for ac in self.treaties.update(self.date, week_end):
            if self.week > 0 and self.spec.treaties[ac.treaty].in_force is not None:
                self._say("in_force", ac.bloc, "", ac.ref,
                          f"{self.spec.treaties[ac.treaty].name} {ac.spec.article} is in force "
                          f"({ac.spec.kind.value.replace('_', ' ')}).")
        for eid, ev in self.events_by_week.pop(self.week - 1, []):
            self.apply_event(eid, ev)

    def apply_event(self, eid: str, ev: EventSpec) -> None:
        actors = ev.actor if isinstance(ev.actor, list) else [ev.actor]
        target = ev.target or ""
        if ev.kind in ("coup", "refusal_to_cede_power"):
            for a in actors:
                self.states[a].regime = Regime.MILITARY if ev.kind == "coup" else self.states[a].regime
                self.coup_weeks.append((self.week, a))
                what = "seize power in a coup" if ev.kind == "coup" else "refuses to hand over power"
                self._say(ev.kind, a, "", f"event:{eid}", f"{'Soldiers' if ev.kind == 'coup' else self.name(a)} "
                          f"{what}{' in ' + self.name(a) if ev.kind == 'coup' else ''}. {ev.note}".strip())
                self.trigger_democratic_order(a, TriggerEvent(ev.kind))
        elif ev.kind == "declaration":
            for a in actors:
                cm = Commitment(a, target, self.params.assistance.declaration_bindingness,
                                f"declaration:{eid}", Decider.INDIVIDUAL)
                self.treaties.declarations.append(cm)
            self._say("declaration", ",".join(actors), target, f"declaration:{eid}",
                      f"{' and '.join(self.name(a) for a in actors)} declare that an attack on "
                      f"{self.name(target)} would be an attack on them. {ev.note}".strip(),
                      bindingness=self.params.assistance.declaration_bindingness)
        elif ev.kind == "exit_notice":
            ec = self.treaties.exit_clause(target)
            notice = ec.spec.notice_weeks if ec is not None else 0
            ref = ec.ref if ec is not None else "rule:exit"
            for a in actors:
                self.pending_exits.append((self.week + notice, a, target, ref))
                self._say("exit_notice", a, target, ref, f"{self.name(a)} gives notice to leave "
                          f"{self.name(target)}; it takes effect in {notice} weeks.", notice_weeks=notice)
        elif ev.kind == "set":
            assert ev.field is not None
            for a in actors:
                old = getattr(self.states[a], ev.field)
                value: Any = Regime(ev.value) if ev.field == "regime" else ev.value
                setattr(self.states[a], ev.field, value)
                self._say("set", a, "", f"event:{eid}", f"{self.name(a)}: {ev.field} changes from {old} to "
                          f"{value}. {ev.note}".strip(), field=ev.field, old=old, new=value)
        elif ev.kind in ("suspend", "readmit"):
            b = self.blocs[target]
            for a in actors:
                if ev.kind == "suspend":
                    b.suspended.add(a)
                else:
                    b.suspended.discard(a)
                self._say(ev.kind, target, a, f"event:{eid}", f"{self.name(target)} "
                          f"{'suspends' if ev.kind == 'suspend' else 'readmits'} {self.name(a)}. {ev.note}".strip())

    # 2. triggers -----------------------------------------------------------------------------------
    def trigger_democratic_order(self, target: str, event: TriggerEvent) -> None:
        for ac in self.treaties.triggered(ClauseKind.DEMOCRATIC_ORDER, event):
            bloc = self.blocs[ac.bloc]
            if not bloc.is_member(target):
                continue
            key = f"{ac.bloc}->{target}"
            if key in self.crises and self.crises[key].closed_week is None:
                continue
            noise = self.params.council.perception_noise
            factor = float(np.exp(self.rng.normal(0.0, noise))) if noise > 0 else 1.0
            self.crises[key] = Crisis(ac.bloc, target, ac, self.week, perception=factor)
            self._say("crisis", ac.bloc, target, ac.ref, f"{ac.spec.article or ac.ref} of {bloc.name} is "
                      f"triggered by the {event.value.replace('_', ' ')} in {self.name(target)}.")
            if self.recorder is not None:
                self.recorder.add_crisis(self.crises[key])

    # 3. collective defence -------------------------------------------------------------------------
    def phase_collective_defence(self) -> None:
        """Assistance decisions are taken when an attack starts (see :meth:`launch`)."""

    def call_allies(self, war: War) -> None:
        """An attack on ``war.target`` triggers every commitment to defend it; each ally decides."""
        attackers = set(war.attackers)
        commits = self.treaties.commitments_to(war.target, self.members(), TriggerEvent.ATTACK, attackers)
        pa = self.params.assistance
        for cm in commits:
            if cm.ally in attackers or cm.ally == war.target:
                continue
            ally = self.states[cm.ally]
            dec = decide_assist(self.assist_inputs(cm), pa, self.rng)
            self.owed += 1
            if dec.assist:
                self.given += 1
                sent = ally.deploy(self.ally_force(cm.ally))
                war.defenders[cm.ally] = war.defenders.get(cm.ally, 0.0) + sent
                war.d_eff += sent * ally.quality
                ally.reputation = min(1.0, ally.reputation + pa.reputation_gain)
                verb = f"honours {cm.ref}: sends {sent:,.0f} troops to defend {self.name(war.target)}"
            else:
                ally.reputation = max(0.0, ally.reputation - pa.reputation_gain)
                verb = f"does not honour {cm.ref}: stays out of the war over {self.name(war.target)}"
            self._say("assist" if dec.assist else "abandon", cm.ally, war.target, cm.ref,
                      f"{self.name(cm.ally)} {verb} (chance {dec.probability:.0%}).",
                      probability=dec.probability, terms=dec.terms, sent=war.defenders.get(cm.ally, 0.0))
        war.d0 = war.d_eff

    # 4. deliberation -------------------------------------------------------------------------------
    def phase_deliberation(self) -> None:
        for crisis in list(self.crises.values()):
            if crisis.closed_week is not None:
                continue
            bloc = self.blocs[crisis.bloc]
            if not bloc.exists or not bloc.is_member(crisis.target):
                self.close_crisis(crisis, "the target is no longer a member")
                continue
            if crisis.launch_week is not None:
                if self.week >= crisis.launch_week:
                    self.launch(crisis)
                continue
            if any(w.ended_week is None and w.target == crisis.target for w in self.wars):
                continue
            self.deliberate(crisis)

    def _support(self, voter: str, crisis: Crisis, rung: Rung, pwin: float, holding: bool) -> tuple[float, float]:
        s = self.states[voter]
        x = SupportInputs(
            rung=rung,
            democratic_norm=s.democratic_norm,
            recent_coups=self.recent_coups(),
            coup_risk=s.coup_risk,
            leadership=s.leadership,
            p_win=pwin,
            domestic_constraint=s.domestic_constraint,
            trade_exposure=s.trade_exposure,
            fatigue=crisis.fatigue,
            holding=holding,
        )
        prob = support_probability(x, self.params.support)
        for _ac in self.treaties.refrains(voter, crisis.target, self.members()):
            if rung >= Rung.SANCTIONS:
                prob = prob * (1.0 - _ac.spec.bindingness)
        return prob, x.trade_exposure

    def deliberate(self, crisis: Crisis) -> None:
        """Voters weigh the next rung; the bloc applies its rule; repeat up to the weekly limit."""
        bloc = self.blocs[crisis.bloc]
        sp, cp = self.params.support, self.params.council
        ceiling = crisis.clause.spec.max_rung
        voters = bloc.voters(exclude=crisis.target)
        defence, ally_p = self.perceived_defence(crisis.bloc, crisis.target)
        defence *= crisis.perception
        climbed = 0
        while crisis.rung < ceiling and climbed < cp.max_rungs_per_week:
            nxt = Rung(crisis.rung + 1)
            pledgers = crisis.pledgers or [v for v in voters if self.states[v].pledge > 0]
            attack = self.pledged_force(pledgers)
            pw = p_win(attack, defence, sp.csf_exponent)
            votes, probs = [], {}
            for v in voters:
                pr, _ = self._support(v, crisis, nxt, pw, holding=False)
                probs[v] = pr
                votes.append(vote_from_probability(pr, float(self.rng.random()), sp.abstain_band))
            t = tally(votes, bloc.rule, bloc.qualified_share)
            detail = {"rung": int(nxt), "yes": t.yes, "no": t.no, "abstain": t.abstain, "p_win": pw,
                      "perceived_defence": defence, "pledged_force": attack, "allies_p": ally_p,
                      "support": probs}
            if not t.passed:
                if climbed == 0:
                    self._say("vote_fail", crisis.bloc, crisis.target, f"{crisis.clause.ref}/rule:{bloc.rule.value}",
                              f"{bloc.name} does not agree on {nxt.label} against {self.name(crisis.target)} "
                              f"({t.yes} yes, {t.no} no, {t.abstain} abstain; {bloc.rule.value.replace('_', ' ')}).",
                              **detail)
                    self.maybe_step_down(crisis, voters, pw)
                break
            if nxt is Rung.STANDBY:
                crisis.pledgers = [v for v, vote in zip(voters, votes, strict=True)
                                   if vote > 0 and self.states[v].pledge > 0
                                   and probs[v] >= cp.pledge_support_threshold]
                detail["pledgers"] = crisis.pledgers
                detail["pledged_force"] = self.pledged_force(crisis.pledgers)
            if nxt is Rung.INTERVENTION:
                pw = p_win(self.pledged_force(crisis.pledgers), defence, sp.csf_exponent)
                detail["p_win"] = pw
                if pw < cp.launch_p_win:
                    if crisis.withheld_week != self.week - 1:
                        self._say("launch_withheld", crisis.bloc, crisis.target, "rule:launch",
                                  f"{bloc.name} votes for force against {self.name(crisis.target)} but holds back: "
                                  f"pledged troops would win with chance {pw:.0%} only "
                                  f"(needs {cp.launch_p_win:.0%}) against the defence it expects.", **detail)
                    crisis.withheld_week = self.week
                    break
                crisis.launch_week = self.week + cp.mobilisation_weeks
            crisis.rung = nxt
            crisis.max_rung = max(crisis.max_rung, nxt)
            climbed += 1
            self._say("rung_up", crisis.bloc, crisis.target, f"{crisis.clause.ref}/rule:{bloc.rule.value}",
                      f"{bloc.name} moves to {nxt.label} against {self.name(crisis.target)} "
                      f"({t.yes} yes, {t.no} no, {t.abstain} abstain).", **detail)
            if crisis.launch_week is not None:
                if crisis.launch_week <= self.week:
                    self.launch(crisis)
                break

    def maybe_step_down(self, crisis: Crisis, voters: list[str], pw: float) -> None:
        """When climbing fails, the bloc checks whether it still wants the rung it holds."""
        if crisis.rung < Rung.SANCTIONS:
            return
        bloc = self.blocs[crisis.bloc]
        sp = self.params.support
        votes = []
        for v in voters:
            pr, _ = self._support(v, crisis, crisis.rung, pw, holding=True)
            votes.append(vote_from_probability(pr, float(self.rng.random()), sp.abstain_band))
        t = tally(votes, bloc.rule, bloc.qualified_share)
        if not t.passed:
            old = crisis.rung
            crisis.rung = Rung(crisis.rung - 1)
            if old is Rung.STANDBY:
                crisis.pledgers = []
            self._say("rung_down", crisis.bloc, crisis.target, f"{crisis.clause.ref}/rule:{bloc.rule.value}",
                      f"{bloc.name} steps down from {old.label} to {crisis.rung.label} against "
                      f"{self.name(crisis.target)} (fatigue {crisis.fatigue:.2f}; {t.yes} of {len(votes)} "
                      f"would keep it).", fatigue=crisis.fatigue, yes=t.yes, no=t.no, abstain=t.abstain)

    def launch(self, crisis: Crisis) -> None:
        """The intervention begins: pledged troops deploy, the target's allies are called."""
        crisis.launch_week = None
        attackers: dict[str, float] = {}
        a_eff = 0.0
        for s in crisis.pledgers:
            st = self.states[s]
            sent = st.deploy(st.pledge)
            if sent > 0:
                attackers[s] = sent
                a_eff += sent * st.quality
        t = self.states[crisis.target]
        d_own = t.personnel * self.params.combat.defence_mobilisation
        war = War(crisis.bloc, crisis.target, self.week, attackers, {crisis.target: d_own},
                  a_eff, 0.0, a_eff, d_own * t.quality)
        self.wars.append(war)
        self._say("intervention", crisis.bloc, crisis.target, crisis.clause.ref,
                  f"{self.name(crisis.bloc)} forces ({sum(attackers.values()):,.0f} troops from "
                  f"{', '.join(self.name(a) for a in attackers)}) enter {self.name(crisis.target)}.",
                  attackers=attackers, attack_force=a_eff)
        self.call_allies(war)

    def close_crisis(self, crisis: Crisis, why: str) -> None:
        crisis.closed_week = self.week
        self._say("crisis_end", crisis.bloc, crisis.target, crisis.clause.ref,
                  f"{self.name(crisis.bloc)}'s measures against {self.name(crisis.target)} end: {why}.")
        crisis.rung = Rung.NONE

    # 5. wars -------------------------------------------------------------------------------------
    def phase_wars(self) -> None:
        cp = self.params.combat
        for war in self.wars:
            if war.ended_week is not None or war.started_week == self.week:
                continue
            a_before, d_before = war.a_eff, war.d_eff
            war.a_eff, war.d_eff = lanchester_week(war.a_eff, war.d_eff, cp.attrition_rate)
            self._apply_losses(war.attackers, a_before, war.a_eff)
            self._apply_losses(war.defenders, d_before, war.d_eff)
            la = 1.0 - war.a_eff / war.a0 if war.a0 > 0 else 1.0
            ld = 1.0 - war.d_eff / war.d0 if war.d0 > 0 else 1.0
            if war.d_eff < cp.breakpoint * war.d0:
                self.end_war(war, "attacker_won", la, ld)
            elif war.a_eff < cp.breakpoint * war.a0:
                self.end_war(war, "defender_won", la, ld)
            elif self.week - war.started_week >= cp.max_weeks or \
                    self.rng.random() < settlement_probability(la, ld, cp):
                self.end_war(war, "settled", la, ld)

    def _apply_losses(self, side: dict[str, float], before: float, after: float) -> None:
        if before <= 0:
            return
        share = 1.0 - after / before
        for sid in side:
            lost = side[sid] * share
            side[sid] -= lost
            self.states[sid].lose(lost)

    def end_war(self, war: War, outcome: str, la: float, ld: float) -> None:
        war.ended_week = self.week
        war.outcome = outcome
        for sid, persons in list(war.attackers.items()) + list(war.defenders.items()):
            if sid != war.target:
                self.states[sid].recall(persons)
        text = {
            "attacker_won": f"{self.name(war.target)}'s defence breaks; {self.name(war.bloc)} restores "
                            f"constitutional order",
            "defender_won": f"{self.name(war.bloc)}'s force breaks and withdraws from {self.name(war.target)}",
            "settled": f"the war over {self.name(war.target)} ends in a negotiated settlement",
        }[outcome]
        self._say("war_end", war.bloc, war.target, "rule:combat", f"{text} after {self.week - war.started_week} "
                  f"weeks (attacker lost {la:.0%}, defender lost {ld:.0%}).", outcome=outcome,
                  attacker_loss=la, defender_loss=ld)
        crisis = self.crises.get(f"{war.bloc}->{war.target}")
        if outcome == "attacker_won":
            self.states[war.target].regime = Regime.CIVILIAN
        if crisis is not None and crisis.closed_week is None:
            self.close_crisis(crisis, outcome.replace("_", " "))

    # 6. sanctions --------------------------------------------------------------------------------
    def phase_sanctions(self) -> None:
        sp = self.params.support
        sanctioned: dict[str, float] = {}
        for crisis in self.crises.values():
            if crisis.closed_week is not None or crisis.rung < Rung.SANCTIONS:
                continue
            crisis.sanction_weeks += 1
            crisis.fatigue += sp.fatigue_rate
            t = self.states[crisis.target]
            enforcing = [n for n in t.borders if n in self.blocs[crisis.bloc].active_members()
                         and not self.treaties.refrains(n, crisis.target, self.members())]
            share = len(enforcing) / len(t.borders) if t.borders else 1.0
            sanctioned[crisis.target] = max(sanctioned.get(crisis.target, 0.0), share)
        for sid, st in self.states.items():
            st.stability = sanctions_week(st.stability, st.trade_exposure, sanctioned.get(sid, 0.0),
                                          self.params.sanctions)

    # 7. membership ---------------------------------------------------------------------------------
    def phase_membership(self) -> None:
        due = [e for e in self.pending_exits if e[0] <= self.week]
        self.pending_exits = [e for e in self.pending_exits if e[0] > self.week]
        for _w, sid, bid, ref in due:
            bloc = self.blocs[bid]
            if not bloc.is_member(sid):
                continue
            bloc.remove(sid)
            self.exits.append((self.week, sid, bid))
            self._say("exit", sid, bid, ref, f"{self.name(sid)} leaves {bloc.name}.")
            if bloc.exists and len(bloc.members) < bloc.spec.min_members:
                bloc.exists = False
                bloc.dissolved_week = self.week
                self.treaties.drop_bloc(bid)
                self._say("dissolution", bid, "", "rule:min_members", f"{bloc.name} falls below "
                          f"{bloc.spec.min_members} members and dissolves.")

    # --- outcomes -----------------------------------------------------------------------------------
    def focus_crisis(self) -> Crisis | None:
        if self.focus is None or self.focus_bloc is None:
            return None
        return self.crises.get(f"{self.focus_bloc}->{self.focus}")
