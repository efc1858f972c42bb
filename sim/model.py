"""The Mesa model: builds agents from a Scenario and runs the weekly order.

Each week, in this fixed order (docs/ODD.md, "Process overview and scheduling"):

1. scheduled events fall due (coups, declarations, exit notices, changes of posture, withdrawal orders,
   offensives, the end of an accord); treaties enter into force; then the optional coup hazard;
2. armed groups attack, recruit and take losses; each state's threat is updated; accords may break;
3. events reach the clauses they trigger (a coup opens a crisis under each democratic-order clause; a
   member's insurgency sets off the terrorism and rebellion clauses and calls its allies);
4. collective defence: for each new attack or counter-terrorism call, each committed ally decides to
   assist or not; allied counter-terrorism tours end;
5. bloc deliberation: each crisis's voters weigh one rung up (or keeping the current rung);
6. wars fight a week (Lanchester) and may end (breakpoint or settlement);
7. sanctions bite, fatigue accumulates;
8. external presence: hosts may revoke consent, withdrawals proceed, a patron may come in;
9. membership: grievance may lead to exit notices; notices come due; a bloc below its minimum dissolves;
10. data collection.

The security system (2, 3-4 for counter-terrorism, 8, 9's grievance rule and the coup hazard) draws from
its own generators, spawned from the run's seed, so that switching it on or off leaves the draws of the
interstate part unchanged (common random numbers for counterfactuals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np

from sim.agents import ArmedGroupAgent, BlocAgent, ExternalPowerAgent, StateAgent
from sim.enums import AccordStatus, ClauseKind, Decider, Obligation, Regime, Rung, TriggerEvent
from sim.events import EventLog
from sim.rules._math import logistic
from sim.rules.accord import accord_week
from sim.rules.assistance import AssistInputs, assist_probability, decide_assist
from sim.rules.bloc_decision import tally
from sim.rules.combat import lanchester_week, settlement_probability
from sim.rules.contest import p_win
from sim.rules.coups import CoupInputs, coup_probability
from sim.rules.insurgency import group_week, pressure_ratio, threat_from_deaths
from sim.rules.membership import GrievanceSources, exit_probability, grievance_week
from sim.rules.presence import ConsentInputs, decide_revoke
from sim.rules.sanctions import sanctions_week
from sim.rules.support import SupportInputs, support_terms, vote_from_probability
from sim.scenario import EventSpec, Scenario
from sim.treaties import ActiveClause, Commitment, TreatyRegistry

__all__ = ["CTMission", "Crisis", "LiptakoModel", "War"]

# Offsets that name the security system's own generators (see the module docstring).
_STREAM_INSURGENCY, _STREAM_CT, _STREAM_PRESENCE, _STREAM_MEMBERSHIP, _STREAM_COUPS = 1, 2, 3, 4, 5


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
    fail_logged: int | None = None  # the rung whose failed vote was last logged (logged once per rung)

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


@dataclass
class CTMission:
    """Allied forces sent to a member's counter-terrorism under a collective-defence clause."""

    ally: str
    host: str
    persons: float
    started_week: int
    until_week: int
    ref: str


class LiptakoModel(mesa.Model):
    """Collective defence and the escalation ladder, week by week.

    Args:
        scenario: a validated scenario.
        seed: the run's seed; the model owns one generator (``self.rng``) that every rule borrows.
    """

    def __init__(self, scenario: Scenario, seed: int, record_timeline: bool = True) -> None:
        super().__init__(rng=np.random.default_rng(seed))
        self.record_timeline = record_timeline
        self.spec = scenario
        self.params = scenario.parameters
        self.seed = seed
        self.week = 0
        self.date = scenario.start
        self.n_weeks = scenario.weeks
        self.log = EventLog()
        self.states: dict[str, StateAgent] = {
            sid: StateAgent(self, sid, s) for sid, s in scenario.states.items()}
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
        self._members: dict[str, list[str]] | None = None
        self._support_static: dict[tuple[object, ...], tuple[list[float], int, int, float]] = {}
        self._recent_coups: tuple[int, float] = (-1, 0.0)
        self.sanctioned: dict[str, float] = {}  # state -> share of neighbours enforcing sanctions (phase 7)
        self._init_security(scenario, seed)
        from sim.metrics import TimelineRecorder  # local: metrics imports this module's types

        self.recorder = TimelineRecorder(self)
        self.phases = [
            self.phase_scheduled_events,
            self.phase_coups,
            self.phase_armed_groups,
            self.phase_triggers,
            self.phase_collective_defence,
            self.phase_deliberation,
            self.phase_wars,
            self.phase_sanctions,
            self.phase_external_presence,
            self.phase_membership,
        ]
        if self.record_timeline:
            self.recorder.collect()

    def _init_security(self, scenario: Scenario, seed: int) -> None:
        """Armed groups, external powers, counter-terrorism bookkeeping and the security generators."""
        def stream(k: int) -> np.random.Generator:
            return np.random.default_rng([k, seed])

        self.rng_insurgency = stream(_STREAM_INSURGENCY)
        self.rng_ct = stream(_STREAM_CT)
        self.rng_presence = stream(_STREAM_PRESENCE)
        self.rng_membership = stream(_STREAM_MEMBERSHIP)
        self.rng_coups = stream(_STREAM_COUPS)
        self.groups: dict[str, ArmedGroupAgent] = {
            gid: ArmedGroupAgent(self, gid, g) for gid, g in scenario.armed_groups.items()}
        self.powers: dict[str, ExternalPowerAgent] = {
            pid: ExternalPowerAgent(self, pid, pw) for pid, pw in scenario.external_powers.items()}
        theatre: set[str] = set()
        for g in self.groups.values():
            theatre.update(g.strength)
        for pw in self.powers.values():
            theatre.update(pw.troops)
            theatre.update(pw.spec.patron_for)
        for ev in scenario.events.values():
            if ev.kind in ("withdrawal", "deploy") and ev.target is not None:
                theatre.add(ev.target)
        if self.groups:  # parties to clauses that insurgent attacks may trigger can be called on
            ct_events = {TriggerEvent.TERRORISM, TriggerEvent.REBELLION}
            for tr in scenario.treaties.values():
                if any(c.trigger is not None and ct_events & set(c.trigger.event)
                       for c in tr.clauses.values()):
                    theatre.update(scenario.blocs[tr.bloc].members)
        self.theatre: list[str] = [s for s in self.states if s in theatre]  # declaration order
        self._cells = [(g, sid) for g in self.groups.values() for sid in g.strength]  # (group, state) cells
        self._cells_kind = [(g, sid, g.terrorist) for g, sid in self._cells]
        self.ct_missions: list[CTMission] = []
        self.ct_owed = 0
        self.ct_given = 0
        self.ct_called_until: dict[str, int] = {}
        self._ct_calls: list[tuple[str, TriggerEvent]] = []
        self.attacks_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.deaths_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.jihadist_deaths_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.rebel_attacks_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.deaths_state_year: dict[tuple[str, int], int] = {}  # jihadist deaths (terrorism), for GTI
        self.pressure: dict[str, float] = self.ci_pressures()
        self.grievance: dict[tuple[str, str], float] = {}
        self.pending_notice: set[tuple[str, str]] = set()
        self.coup_record: list[tuple[int, str, str]] = []  # (week, state, "scheduled" | "endogenous")
        self.withdrawal_events: list[tuple[int, str, str]] = []  # (week, power, host) last troops left
        self._leaving_troops: dict[tuple[str, str], float] = {}
        self._alt_cache: dict[tuple[str, str], str | None] = {}
        self._alternatives_to = {b for spec in scenario.blocs.values() for b in spec.alternative_to}
        self._grieved: set[str] = set()  # blocs some member has a recorded grievance against
        self._alt_members_cache: dict[str, set[str]] = {}
        self._alt_members_version = -1
        self._alt_version = -1

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
        """Current members of each bloc (none for a bloc that does not exist). Cached until a change."""
        if self._members is None:
            self._members = {bid: (list(b.members) if b.exists else []) for bid, b in self.blocs.items()}
        return self._members

    def membership_changed(self) -> None:
        """Call after any change of members or of a bloc's existence."""
        self._members = None
        self.treaties.invalidate()

    def _say(self, kind: str, actor: str, target: str, clause: str, text: str, **details: Any) -> None:
        self.log.add(self.week, self.date, kind, actor, target, clause,
                     f"Week {self.week}, {self.date.isoformat()}: {text}", **details)

    def name(self, sid: str) -> str:
        if sid in self.states:
            return self.states[sid].name
        if sid in self.blocs:
            return self.blocs[sid].name
        if sid in self.groups:
            return self.groups[sid].name
        if sid in self.powers:
            return self.powers[sid].name
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
        st = self.states
        return sum(min(st[s].pledge, st[s].spare()) * st[s].quality for s in pledgers)

    def recent_coups(self) -> float:
        if self._recent_coups[0] != self.week or self._recent_coups[1] < 0:
            w = self.params.support.contagion_window_weeks
            self._recent_coups = (self.week, float(sum(1 for wk, _ in self.coup_weeks if self.week - wk < w)))
        return self._recent_coups[1]

    def ci_pressure(self, sid: str) -> float:
        """Effective counter-insurgency force in ``sid``: home forces (quality-weighted), allied forces on
        counter-terrorism tours there, and external powers' troops times their effect."""
        st = self.states[sid]
        own = st.quality * st.home_fighting_force(self.params.insurgency.reserve_ci_weight)
        allied = sum(m.persons * self.states[m.ally].quality for m in self.ct_missions if m.host == sid)
        ext = sum(pw.troops.get(sid, 0.0) * pw.ci_effect for pw in self.powers.values())
        return own + allied + ext

    def ci_pressures(self) -> dict[str, float]:
        """:meth:`ci_pressure` for every theatre state at once (one pass over missions and powers)."""
        w = self.params.insurgency.reserve_ci_weight
        st = self.states
        out = {sid: st[sid].quality * st[sid].home_fighting_force(w) for sid in self.theatre}
        for m in self.ct_missions:
            if m.host in out:
                out[m.host] += m.persons * self.states[m.ally].quality
        for pw in self.powers.values():
            for host, n in pw.troops.items():
                if n and host in out:
                    out[host] += n * pw.ci_effect
        return out

    def year(self) -> int:
        """Calendar year of the week just simulated (by its middle day)."""
        return (self.date - dt.timedelta(days=3)).year

    # --- the week ---------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one week through the fixed order of phases, then collect data."""
        self.week += 1
        self.date = self.spec.start + dt.timedelta(weeks=self.week)
        for phase in self.phases:
            phase()
        if self.record_timeline:
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
                self._recent_coups = (-1, -1.0)
                if ev.kind == "coup":
                    self.coup_record.append((self.week, a, "scheduled"))
                what = "seize power in a coup" if ev.kind == "coup" else "refuses to hand over power"
                who = "Soldiers" if ev.kind == "coup" else self.name(a)
                self._say(ev.kind, a, "", f"event:{eid}", f"{who} "
                          f"{what}{' in ' + self.name(a) if ev.kind == 'coup' else ''}. {ev.note}".strip())
                self.trigger_democratic_order(a, TriggerEvent(ev.kind))
        elif ev.kind == "declaration":
            for a in actors:
                cm = Commitment(a, target, self.params.assistance.declaration_bindingness,
                                f"declaration:{eid}", Decider.INDIVIDUAL)
                self.treaties.declare(cm)
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
                self.pending_notice.add((a, target))
                self._say("exit_notice", a, target, ref, f"{self.name(a)} gives notice to leave "
                          f"{self.name(target)}; it takes effect in {notice} weeks.", notice_weeks=notice)
        elif ev.kind == "set":
            assert ev.field is not None
            for a in actors:
                old = getattr(self.states[a], ev.field)
                value: Any = Regime(str(ev.value)) if ev.field == "regime" else ev.value
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
                          f"{'suspends' if ev.kind == 'suspend' else 'readmits'} {self.name(a)}. "
                          f"{ev.note}".strip())
        else:
            self.apply_security_event(eid, ev, actors, target)

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

    # 3-4. triggers and collective defence -------------------------------------------------------------
    def phase_triggers(self) -> None:
        """A member whose threat at home passes ``call_threat`` sets off the terrorism (Art. 4) or
        rebellion (Art. 5) clauses and calls its allies under the assistance clause (Art. 6). One call
        at a time per member: it may call again once the allied tours end."""
        if not self.theatre:
            return
        call = self.params.counter_terrorism.call_threat
        for sid in self.theatre:
            st = self.states[sid]
            if st.threat < call or self.ct_called_until.get(sid, -1) > self.week:
                continue
            rebels = self.rebel_attacks_week.get(sid, 0)
            jihadist = self.attacks_week.get(sid, 0) - rebels
            event = TriggerEvent.REBELLION if rebels > jihadist else TriggerEvent.TERRORISM
            members = self.members()
            consult = self.treaties.consulted(event, sid, members)
            commits = self.treaties.commitments_to(sid, members, event, set())
            if not consult and not commits:
                continue
            what = "armed rebellion" if event is TriggerEvent.REBELLION else "terrorist attacks"
            for ac in consult:
                self._say("clause_triggered", ac.bloc, sid, ac.ref, f"{ac.spec.article or ac.ref} of "
                          f"{self.blocs[ac.bloc].name} is set off by {what} in {self.name(sid)} "
                          f"(threat {st.threat:.2f}).", threat=st.threat, event=event.value,
                          attacks=self.attacks_week.get(sid, 0), deaths=self.deaths_week.get(sid, 0))
            self._ct_calls.append((sid, event))
            self.ct_called_until[sid] = self.week + self.params.counter_terrorism.tour_weeks

    def phase_collective_defence(self) -> None:
        """Interstate assistance decisions are taken when an attack starts (see :meth:`launch`); here,
        allied counter-terrorism tours end and this week's counter-terrorism calls are answered."""
        if self.ct_missions:
            ending = [m for m in self.ct_missions if m.until_week <= self.week]
            if ending:
                self.ct_missions = [m for m in self.ct_missions if m.until_week > self.week]
                for m in ending:
                    ally = self.states[m.ally]
                    ally.recall(m.persons)
                    ally.ct_abroad = max(0.0, ally.ct_abroad - m.persons)
                    self._say("ct_return", m.ally, m.host, m.ref, f"{self.name(m.ally)}'s "
                              f"{m.persons:,.0f} troops come home from {self.name(m.host)}.",
                              persons=m.persons)
        calls, self._ct_calls = self._ct_calls, []
        for sid, event in calls:
            self.call_ct_allies(sid, event)

    def call_ct_allies(self, host: str, event: TriggerEvent) -> None:
        """Each ally committed to ``host`` against ``event`` decides to send forces or not, with the same
        assist-or-abandon rule as for an interstate attack (its own threat and spare forces weigh)."""
        pa, pc = self.params.assistance, self.params.counter_terrorism
        commits = self.treaties.commitments_to(host, self.members(), event, set())
        for cm in commits:
            if cm.ally == host:
                continue
            ally = self.states[cm.ally]
            dec = decide_assist(self.assist_inputs(cm), pa, self.rng_ct)
            self.ct_owed += 1
            if dec.assist:
                sent = ally.deploy(pc.contribution_share * ally.spare())
                self.ct_given += 1
                ally.ct_abroad += sent
                ally.reputation = min(1.0, ally.reputation + pa.reputation_gain)
                if sent > 0:
                    self.ct_missions.append(CTMission(cm.ally, host, sent, self.week,
                                                      self.week + pc.tour_weeks, cm.ref))
                verb = (f"honours {cm.ref} against {event.value}: sends {sent:,.0f} troops to "
                        f"{self.name(host)} for {pc.tour_weeks} weeks, leaving "
                        f"{ally.home_fighting_force(self.params.insurgency.reserve_ci_weight):,.0f} at home")
            else:
                sent = 0.0
                ally.reputation = max(0.0, ally.reputation - pa.reputation_gain)
                verb = f"does not honour {cm.ref}: keeps its forces home rather than help {self.name(host)}"
            self._say("ct_assist" if dec.assist else "ct_abandon", cm.ally, host, cm.ref,
                      f"{self.name(cm.ally)} {verb} (chance {dec.probability:.0%}; own threat "
                      f"{ally.threat:.2f}).", probability=dec.probability, terms=dec.terms, sent=sent,
                      event=event.value)

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

    # 5. deliberation -------------------------------------------------------------------------------
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

    def _support(self, voter: str, crisis: Crisis, rung: Rung, pwin: float,
                 holding: bool) -> tuple[float, float]:
        """The member's support for ``rung`` (:func:`support_probability`), reduced by non-aggression
        clauses that bind it to the target on economic and military rungs."""
        s = self.states[voter]
        prob = self._support_prob(rung, s.democratic_norm, self.recent_coups(), s.coup_risk, s.leadership,
                                  pwin, s.domestic_constraint, s.trade_exposure, crisis.fatigue, holding)
        if rung >= Rung.SANCTIONS:
            for _ac in self.treaties.refrains(voter, crisis.target, self.members()):
                prob = prob * (1.0 - _ac.spec.bindingness)
        return prob, s.trade_exposure

    def _support_prob(self, rung: Rung, norm: float, recent: float, coup_risk: float, leadership: float,
                      pwin: float, domestic: float, trade: float, fatigue: float, holding: bool) -> float:
        """:func:`support_probability` of these inputs, with the terms that do not depend on the chance of
        winning or on fatigue computed once per member and rung (they change rarely) and memoised.

        The two weekly-varying terms of :func:`sim.rules.support.support_terms` (expected cost and fatigue)
        are put in their places and summed in the rule's order with its ``sum``;
        ``tests/test_sahel_model.py`` checks that the result equals :func:`support_probability`.
        """
        key = (rung, norm, recent, coup_risk, leadership, domestic, trade, holding)
        hit = self._support_static.get(key)
        sp = self.params.support
        if hit is None:
            x = SupportInputs(rung, norm, recent, coup_risk, leadership, 1.0, domestic, trade, 0.0, holding)
            terms = support_terms(x, sp)
            names = list(terms)
            hit = (list(terms.values()), names.index("expected_cost"), names.index("fatigue"),
                   sp.w_cost * sp.war_risk[int(rung) - 1])
            self._support_static[key] = hit
        values, i_cost, i_fatigue, cost_weight = hit
        vals = values.copy()
        vals[i_cost] = -cost_weight * (1.0 - pwin)
        vals[i_fatigue] = -sp.w_fatigue * fatigue
        return logistic(sum(vals))

    def _support_fast(self, x: SupportInputs) -> float:
        """:meth:`_support_prob` of a :class:`SupportInputs` (for tests)."""
        return self._support_prob(x.rung, x.democratic_norm, x.recent_coups, x.coup_risk, x.leadership,
                                  x.p_win, x.domestic_constraint, x.trade_exposure, x.fatigue, x.holding)

    def deliberate(self, crisis: Crisis) -> None:
        """Voters weigh the next rung; the bloc applies its rule; repeat up to the weekly limit."""
        bloc = self.blocs[crisis.bloc]
        sp, cp = self.params.support, self.params.council
        ceiling = crisis.clause.spec.max_rung
        if crisis.rung >= ceiling:  # nothing to vote on (no draws are skipped: the loop would not run)
            return
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
            draws = self.rng.random(len(voters)).tolist()  # the same stream as one draw per voter
            for v, u in zip(voters, draws, strict=True):
                pr, _ = self._support(v, crisis, nxt, pw, holding=False)
                probs[v] = pr
                votes.append(vote_from_probability(pr, u, sp.abstain_band))
            t = tally(votes, bloc.rule, bloc.qualified_share)
            detail = {"rung": int(nxt), "yes": t.yes, "no": t.no, "abstain": t.abstain, "p_win": pw,
                      "perceived_defence": defence, "pledged_force": attack, "allies_p": ally_p,
                      "support": probs}
            if not t.passed:
                if climbed == 0 and crisis.fail_logged != int(nxt):
                    crisis.fail_logged = int(nxt)
                    self._say("vote_fail", crisis.bloc, crisis.target,
                              f"{crisis.clause.ref}/rule:{bloc.rule.value}",
                              f"{bloc.name} does not agree on {nxt.label} against {self.name(crisis.target)} "
                              f"({t.yes} yes, {t.no} no, {t.abstain} abstain; "
                              f"{bloc.rule.value.replace('_', ' ')}).",
                              **detail)
                if climbed == 0:
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
                                  f"{bloc.name} votes for force against {self.name(crisis.target)} "
                                  f"but holds back: "
                                  f"pledged troops would win with chance {pw:.0%} only "
                                  f"(needs {cp.launch_p_win:.0%}) against the defence it expects.", **detail)
                    crisis.withheld_week = self.week
                    break
                crisis.launch_week = self.week + cp.mobilisation_weeks
            crisis.rung = nxt
            crisis.fail_logged = None
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
        draws = self.rng.random(len(voters)).tolist()
        for v, u in zip(voters, draws, strict=True):
            pr, _ = self._support(v, crisis, crisis.rung, pw, holding=True)
            votes.append(vote_from_probability(pr, u, sp.abstain_band))
        t = tally(votes, bloc.rule, bloc.qualified_share)
        if not t.passed:
            old = crisis.rung
            crisis.rung = Rung(crisis.rung - 1)
            crisis.fail_logged = None
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

    # 6. wars -------------------------------------------------------------------------------------
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
            "defender_won": f"{self.name(war.bloc)}'s force breaks and withdraws from "
                            f"{self.name(war.target)}",
            "settled": f"the war over {self.name(war.target)} ends in a negotiated settlement",
        }[outcome]
        self._say("war_end", war.bloc, war.target, "rule:combat",
                  f"{text} after {self.week - war.started_week} "
                  f"weeks (attacker lost {la:.0%}, defender lost {ld:.0%}).", outcome=outcome,
                  attacker_loss=la, defender_loss=ld)
        crisis = self.crises.get(f"{war.bloc}->{war.target}")
        if outcome == "attacker_won":
            self.states[war.target].regime = Regime.CIVILIAN
        if crisis is not None and crisis.closed_week is None:
            self.close_crisis(crisis, outcome.replace("_", " "))

    # 7. sanctions --------------------------------------------------------------------------------
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
        self.sanctioned = sanctioned

    # 9. membership ---------------------------------------------------------------------------------
    def phase_membership(self) -> None:
        self.membership_rule()
        due = [e for e in self.pending_exits if e[0] <= self.week]
        self.pending_exits = [e for e in self.pending_exits if e[0] > self.week]
        for _w, sid, bid, ref in due:
            bloc = self.blocs[bid]
            if not bloc.is_member(sid):
                continue
            bloc.remove(sid)
            self.pending_notice.discard((sid, bid))
            self.membership_changed()
            self.exits.append((self.week, sid, bid))
            self._say("exit", sid, bid, ref, f"{self.name(sid)} leaves {bloc.name}.")
            if bloc.exists and len(bloc.members) < bloc.spec.min_members:
                bloc.exists = False
                bloc.dissolved_week = self.week
                self.treaties.drop_bloc(bid)
                self.membership_changed()
                self._say("dissolution", bid, "", "rule:min_members", f"{bloc.name} falls below "
                          f"{bloc.spec.min_members} members and dissolves.")

    # 1b. coups (optional hazard) -----------------------------------------------------------------------
    def phase_coups(self) -> None:
        """Endogenous coups: off unless ``parameters.coups.enabled``."""
        cp = self.params.coups
        if not cp.enabled:
            return
        for sid, st in self.states.items():
            near = sum(1 for wk, s in self.coup_weeks if s in st.borders and self.week - wk < cp.window_weeks)
            pr = coup_probability(CoupInputs(st.stability, st.threat, near), cp)
            if self.rng_coups.random() < pr:
                st.regime = Regime.MILITARY
                self.coup_weeks.append((self.week, sid))
                self._recent_coups = (-1, -1.0)
                self.coup_record.append((self.week, sid, "endogenous"))
                self._say("coup", sid, "", "rule:coup_hazard", f"Soldiers seize power in {self.name(sid)} "
                          f"(weekly coup chance was {pr:.1%}: stability {st.stability:.2f}, threat "
                          f"{st.threat:.2f}, {near} coups next door).", probability=pr,
                          stability=st.stability, threat=st.threat, neighbour_coups=near)
                self.trigger_democratic_order(sid, TriggerEvent.COUP)

    # 1c. scheduled security events ------------------------------------------------------------------------
    def apply_security_event(self, eid: str, ev: EventSpec, actors: list[str], target: str) -> None:
        ref = f"event:{eid}"
        if ev.kind == "withdrawal":
            for a in actors:
                pw = self.powers[a]
                weeks = int(ev.value) if isinstance(ev.value, int | float) else pw.spec.withdrawal_weeks
                self.order_out(pw, target, weeks, ref, ev.note)
        elif ev.kind == "deploy":
            for a in actors:
                pw = self.powers[a]
                n = float(ev.value) if isinstance(ev.value, int | float) else 0.0
                pw.troops[target] = pw.troops.get(target, 0.0) + n
                pw.entered.setdefault(target, self.week)
                self._say("deploy", a, target, ref, f"{pw.name} deploys {n:,.0f} troops to "
                          f"{self.name(target)}. {ev.note}".strip(), troops=n)
        elif ev.kind == "rename":
            for a in actors:
                agent: ArmedGroupAgent | ExternalPowerAgent = (
                    self.powers[a] if a in self.powers else self.groups[a])
                old = agent.name
                agent.name = str(ev.value)
                self._say("rename", a, "", ref, f"{old} becomes {agent.name}. {ev.note}".strip(), old=old,
                          new=agent.name)
        elif ev.kind == "offensive":
            g = self.groups[target]
            ap = self.params.accord
            for a in actors:
                before = g.strength.get(a, 0.0)
                g.strength[a] = before * (1.0 - ap.offensive_loss) if a in g.strength else 0.0
                g.offensive_week = self.week
                lost = before - g.strength.get(a, 0.0)
                self._say("offensive", a, target, ref, f"{self.name(a)} launches an offensive against "
                          f"{g.name} ({lost:,.0f} fighters lost). {ev.note}".strip(), losses=lost)
                if g.accord_status is AccordStatus.INTACT and g.accord_state == a:
                    self.set_accord(g, AccordStatus.STRAINED, ref, "the offensive strains the accord")
        elif ev.kind == "accord_end":
            g = self.groups[target]
            for a in actors:
                if g.accord_state == a and g.accord_status is not None \
                        and g.accord_status is not AccordStatus.COLLAPSED:
                    self.set_accord(g, AccordStatus.COLLAPSED, ref,
                                    f"{self.name(a)} ends it. {ev.note}".strip())

    def set_accord(self, g: ArmedGroupAgent, status: AccordStatus, ref: str, why: str) -> None:
        old = g.accord_status
        g.accord_status = status
        if status is AccordStatus.COLLAPSED and g.accord_collapse_week is None:
            g.accord_collapse_week = self.week
        acc = g.spec.accord.name if g.spec.accord is not None else "accord"
        state = g.accord_state or ""
        kind = "accord_collapse" if status is AccordStatus.COLLAPSED else "accord_strained"
        self._say(kind, state, g.gid, ref, f"The {acc} between {self.name(state)} and {g.name} is now "
                  f"{status.name.lower()}: {why}.", old=old.name.lower() if old is not None else "",
                  new=status.name.lower())

    # 2. armed groups ------------------------------------------------------------------------------------
    def phase_armed_groups(self) -> None:
        """Armed groups attack, recruit and take losses; threat and stability follow; accords may break."""
        if not self.groups:
            return
        ip = self.params.insurgency
        rng = self.rng_insurgency
        year = self.year()
        self.attacks_week = dict.fromkeys(self.theatre, 0)
        self.deaths_week = dict.fromkeys(self.theatre, 0)
        self.jihadist_deaths_week = dict.fromkeys(self.theatre, 0)
        self.rebel_attacks_week = dict.fromkeys(self.theatre, 0)
        act_g = {gid: g.activity() for gid, g in self.groups.items()}
        active: dict[str, float] = dict.fromkeys(self.theatre, 0.0)
        for g, sid in self._cells:
            active[sid] += g.strength[sid] * act_g[g.gid]
        pressure = self.pressure = self.ci_pressures()
        ratio = {sid: pressure_ratio(pressure[sid], active[sid], ip) for sid in self.theatre}
        states = self.states
        per_group: dict[str, list[int]] = {gid: [0, 0] for gid in self.groups}
        attacks_week, deaths_week = self.attacks_week, self.deaths_week
        for g, sid, terrorist in self._cells_kind:
            attacks, deaths, strength, _, _ = group_week(
                g.strength[sid], g.capacity[sid], ratio[sid], states[sid].stability, act_g[g.gid],
                g.lethality, ip, rng)
            g.strength[sid] = strength
            g.attacks_week[sid] = attacks
            g.deaths_week[sid] = deaths
            tot = per_group[g.gid]
            tot[0] += attacks
            tot[1] += deaths
            attacks_week[sid] += attacks
            deaths_week[sid] += deaths
            if terrorist:
                self.jihadist_deaths_week[sid] += deaths
                key = (sid, year)
                self.deaths_state_year[key] = self.deaths_state_year.get(key, 0) + deaths
            else:
                self.rebel_attacks_week[sid] += attacks
        for gid, g in self.groups.items():
            a_tot, d_tot = per_group[gid]
            g.attacks_year[year] = g.attacks_year.get(year, 0) + a_tot
            g.deaths_year[year] = g.deaths_year.get(year, 0) + d_tot
        a = ip.threat_smoothing
        for sid in self.theatre:
            st = self.states[sid]
            st.smoothed_deaths += a * (self.deaths_week[sid] - st.smoothed_deaths)
            st.threat = threat_from_deaths(st.smoothed_deaths, ip)
            st.stability = max(0.0, st.stability - ip.stability_cost * st.threat)
        self._accords_week()

    def _accords_week(self) -> None:
        ap = self.params.accord
        for g in self.groups.values():
            if g.accord_status is None or g.accord_status is AccordStatus.COLLAPSED or g.accord_state is None:
                continue
            host = g.accord_state
            initial = sum(pw.initial.get(host, 0.0) for pw in self.powers.values() if pw.peacekeeping)
            now = sum(pw.troops.get(host, 0.0) for pw in self.powers.values() if pw.peacekeeping)
            gone = 1.0 - now / initial if initial > 0 else 0.0
            recent = g.offensive_week is not None and self.week - g.offensive_week < ap.offensive_weeks
            new, h = accord_week(g.accord_status, gone, recent, ap, self.rng_insurgency)
            if new is not g.accord_status:
                why = (f"weekly hazard {h:.1%} with {gone:.0%} of the peacekeepers gone"
                       + (" and a recent offensive" if recent else ""))
                self.set_accord(g, new, "rule:accord", why)

    # 8. external presence -------------------------------------------------------------------------------
    def order_out(self, pw: ExternalPowerAgent, host: str, weeks: int, ref: str, why: str) -> None:
        """``pw`` begins leaving ``host``; another patron may get ready to come in."""
        if not pw.order_out(host, self.week, weeks):
            return
        end = self.week + max(0, weeks)
        self._say("withdrawal_ordered", pw.pid, host, ref, f"{pw.name} is to leave {self.name(host)}: "
                  f"{pw.troops[host]:,.0f} troops out within {weeks} weeks. {why}".strip(),
                  troops=pw.troops[host], weeks=weeks, due_week=end)
        pw.leaving[host] = (self.week, end)
        self._leaving_troops[(pw.pid, host)] = pw.troops[host]
        if self.states[host].regime is not Regime.MILITARY:
            return
        for q in self.powers.values():
            if q is pw or host not in q.spec.patron_for or q.present(host) or host in q.revoked_by \
                    or host in q.entering:
                continue
            arrive = self.week + self.params.presence.entry_weeks
            q.entering[host] = (arrive, float(q.spec.entry_troops))
            self._say("patron_ready", q.pid, host, "rule:presence", f"{q.name} agrees to send "
                      f"{q.spec.entry_troops:,} troops to {self.name(host)}, arriving in "
                      f"{self.params.presence.entry_weeks} weeks.", troops=q.spec.entry_troops,
                      arrive_week=arrive)

    def phase_external_presence(self) -> None:
        """Withdrawals proceed, patrons arrive, hosts weigh revoking consent."""
        if not self.powers:
            return
        pp = self.params.presence
        for pw in self.powers.values():
            for host, (start, end) in list(pw.leaving.items()):
                t0 = self._leaving_troops.get((pw.pid, host), 0.0)
                if self.week >= end:
                    pw.troops[host] = 0.0
                    del pw.leaving[host]
                    pw.withdrawn[host] = self.week
                    self.withdrawal_events.append((self.week, pw.pid, host))
                    self._say("withdrawn", pw.pid, host, "rule:presence", f"The last troops of {pw.name} "
                              f"leave {self.name(host)}.", weeks=self.week - start)
                else:
                    pw.troops[host] = t0 * (end - self.week) / (end - start)
            for host, (arrive, n) in list(pw.entering.items()):
                if self.week >= arrive:
                    del pw.entering[host]
                    pw.troops[host] = pw.troops.get(host, 0.0) + n
                    pw.entered.setdefault(host, self.week)
                    self._say("patron_enters", pw.pid, host, "rule:presence", f"{pw.name} arrives in "
                              f"{self.name(host)} with {n:,.0f} troops.", troops=n)
        for pw in self.powers.values():
            if not pw.revocable:
                continue
            for host in pw.hosts():
                if host in pw.leaving:
                    continue
                st = self.states[host]
                ready = any(q is not pw and host in q.spec.patron_for and host not in q.revoked_by
                            for q in self.powers.values())
                x = ConsentInputs(st.regime is Regime.MILITARY, self.sanctioned.get(host, 0.0), ready)
                revoke, pr = decide_revoke(x, pp, self.rng_presence)
                if revoke:
                    self._say("consent_revoked", host, pw.pid, "rule:presence", f"{self.name(host)} revokes "
                              f"its consent to {pw.name}'s presence (weekly chance {pr:.1%}).",
                              probability=pr, sanctions=x.sanctions, patron_ready=ready)
                    self.order_out(pw, host, pw.spec.withdrawal_weeks, "rule:presence", "")

    # 9. membership: grievance and exit ---------------------------------------------------------------------
    def alternative_bloc(self, sid: str, bid: str) -> str | None:
        """A bloc of ``sid`` declared an alternative to ``bid`` whose collective-defence clause is in force
        (the AES, for ECOWAS and the G5 Sahel, once the charter is signed)."""
        if self._alt_version != self.treaties.version:
            self._alt_cache.clear()
            self._alt_version = self.treaties.version
        key = (sid, bid)
        if key not in self._alt_cache:
            self._alt_cache[key] = self._alternative_bloc(sid, bid)
        return self._alt_cache[key]

    def _alternative_bloc(self, sid: str, bid: str) -> str | None:
        for ac in self.treaties.clauses(ClauseKind.COLLECTIVE_DEFENCE):
            alt = self.blocs[ac.bloc]
            if ac.bloc != bid and ac.spec.obligation is Obligation.ASSIST \
                    and bid in alt.spec.alternative_to and alt.is_member(sid):
                return ac.bloc
        return None

    def _grievance_sources(self, sid: str, bid: str, partners: list[str],
                           crises: list[Crisis]) -> GrievanceSources:
        bloc = self.blocs[bid]
        own_s = own_t = part_s = part_t = 0.0
        susp = 1.0 if sid in bloc.suspended else 0.0
        for c in crises:
            if c.target == sid:
                own_s = max(own_s, float(c.rung >= Rung.SANCTIONS))
                own_t = max(own_t, float(c.rung >= Rung.ULTIMATUM))
                susp = max(susp, float(c.rung >= Rung.SUSPEND))
            elif c.target in partners:
                part_s = max(part_s, float(c.rung >= Rung.SANCTIONS))
                part_t = max(part_t, float(c.rung >= Rung.ULTIMATUM))
        sent_away = float(any(sid in self.powers[p].revoked_by
                              for p in bloc.spec.patrons if p in self.powers))
        return GrievanceSources(own_s, own_t, susp, part_s, part_t, sent_away)

    def _alt_members(self, bid: str) -> set[str]:
        """Members of the blocs that declare themselves an alternative to ``bid`` (cached until a change)."""
        if self._alt_members_version != self.treaties.version:
            self._alt_members_cache.clear()
            self._alt_members_version = self.treaties.version
        hit = self._alt_members_cache.get(bid)
        if hit is None:
            hit = {s for other in self.blocs.values() if bid in other.spec.alternative_to for s in other.members}
            self._alt_members_cache[bid] = hit
        return hit

    def membership_rule(self) -> None:
        """Grievance moves; members with an alternative decide on an exit notice, jointly with the partners
        of their alternative bloc (the AES states announced their exit together)."""
        mp = self.params.membership
        zero = GrievanceSources()
        hosting: dict[str, set[str]] | None = None  # power -> hosts, built once a week if needed
        for bid, bloc in self.blocs.items():
            ec = self.treaties.exit_clause(bid)
            if ec is None or not bloc.exists:
                continue
            crises = [c for c in self.crises.values() if c.bloc == bid and c.closed_week is None]
            if not crises and not bloc.suspended and not bloc.spec.patrons and bid not in self._alternatives_to \
                    and bid not in self._grieved:
                continue  # nobody can resent this bloc or leave it for another (the AES itself)
            targets = {c.target for c in crises}
            patrons = [self.powers[p] for p in bloc.spec.patrons if p in self.powers]
            units: dict[str, list[tuple[str, bool]]] = {}
            # Only members with something to resent or an alternative can change; the rest stay at 0.
            alt_members = self._alt_members(bid)
            revokers = {s for pw in patrons for s in pw.revoked_by}
            outside: set[str] = set()
            if patrons:
                if hosting is None:
                    hosting = {p: set(pw.hosts()) for p, pw in self.powers.items()}
                outside = {h for p, hs in hosting.items() if p not in bloc.spec.patrons for h in hs}
            for sid in bloc.members:
                key = (sid, bid)
                if sid not in targets and sid not in bloc.suspended and sid not in alt_members \
                        and sid not in revokers and sid not in outside and key not in self.grievance:
                    continue
                alt = self.alternative_bloc(sid, bid)
                g0 = self.grievance.get(key, 0.0)
                if alt is None and sid not in targets and sid not in bloc.suspended and g0 == 0.0 \
                        and not any(sid in pw.revoked_by for pw in patrons):
                    src = zero  # nothing to resent: skip the bookkeeping
                else:
                    partners = [m for m in self.blocs[alt].members if m != sid] if alt is not None else []
                    src = self._grievance_sources(sid, bid, partners, crises)
                g = grievance_week(g0, src, mp) if src is not zero else 0.0
                self.grievance[key] = g
                self._grieved.add(bid)
                if (sid, bid) in self.pending_notice:
                    continue
                has_alt = alt is not None or sid in outside
                if not has_alt and g <= 0.0:
                    continue
                units.setdefault(alt or f"self:{sid}", []).append((sid, has_alt))
            for unit, who in units.items():
                g = sum(self.grievance[(s, bid)] for s, _ in who) / len(who)
                has_alt = any(h for _, h in who)
                pr = exit_probability(g, has_alt, mp)
                if self.rng_membership.random() >= pr:
                    continue
                notice = ec.spec.notice_weeks
                names = [s for s, _ in who]
                for s in names:
                    self.pending_exits.append((self.week + notice, s, bid, ec.ref))
                    self.pending_notice.add((s, bid))
                joint = "" if unit.startswith("self:") else \
                    f" together, as members of the {self.name(unit)},"
                who_ = [self.name(s) for s in names]
                who_txt = who_[0] if len(who_) == 1 else ", ".join(who_[:-1]) + " and " + who_[-1]
                verb = "gives" if len(who_) == 1 else "give"
                self._say("exit_notice", ",".join(names), bid, f"{ec.ref}/rule:membership",
                          f"{who_txt}{joint} {verb} notice to leave "
                          f"{bloc.name} (grievance {g:.2f}, weekly chance {pr:.1%}); it takes effect in "
                          f"{notice} weeks.", grievance=g, probability=pr, notice_weeks=notice,
                          alternative=has_alt)

    # --- outcomes -----------------------------------------------------------------------------------
    def focus_crisis(self) -> Crisis | None:
        if self.focus is None or self.focus_bloc is None:
            return None
        return self.crises.get(f"{self.focus_bloc}->{self.focus}")
