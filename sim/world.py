"""The simulation's state: the entities, crises, wars, missions and counters of one run, and read-only
queries over them.

The weekly phases (:mod:`sim.phases`) read and change a :class:`World`; the state changes several phases
share live in :mod:`sim.actions`. The Mesa model (:mod:`sim.model`) builds the agents and the World and
runs the phases in order; the recorder and the outcomes (:mod:`sim.metrics`) read the World.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.agents import ArmedGroupAgent, BlocAgent, ExternalPowerAgent, StateAgent
from sim.enums import ClauseKind, CoupOrigin, LogKind, Obligation, Rung, ScheduledKind, TriggerEvent, WarOutcome
from sim.events import EventLog
from sim.rules.assistance import AssistInputs, assist_probability
from sim.rules.contest import expected_win
from sim.rules.support import SupportCache
from sim.scenario.parameters import ModelParams
from sim.scenario.spec import EventSpec, Scenario
from sim.treaties import ActiveClause, Commitment, TreatyRegistry

__all__ = ["CTMission", "Crisis", "War", "World"]


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
    fail_logged: Rung | None = None  # the rung whose failed vote was last logged (logged once per rung)
    # decisions with memory (docs/ODD.md 7.6): the ladder stops where a vote fails and holds there until the
    # world changes (World.epoch); the bloc reviews it at summits
    settled: bool = False  # the ladder has stopped: no climbing vote until something changes
    epoch: int = -1  # World.epoch at the bloc's last summit on this crisis
    next_summit: int = 0  # week of the next ordinary review
    asked: set[str] = field(default_factory=set)  # pledgers whose legislature has decided
    withheld: list[str] = field(default_factory=list)  # pledgers whose legislature refused
    ceiling: Rung | None = None  # a rung the bloc will not pass (suspension once the target conceded)
    # the target's side
    sanction_years: float = 0.0  # full sanctions borne: sum of exposure x enforcement over weeks, / 52
    concession: str | None = None  # "timetable" or "yielded"
    concession_week: int | None = None

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
    outcome: WarOutcome | None = None  # None while it is fought


@dataclass
class CTMission:
    """Allied forces sent to a member's counter-terrorism under a collective-defence clause."""

    ally: str
    host: str
    persons: float
    started_week: int
    until_week: int
    ref: str


def _theatre(scenario: Scenario, groups: dict[str, ArmedGroupAgent],
             powers: dict[str, ExternalPowerAgent]) -> set[str]:
    """States where armed groups or external powers are, or that clauses insurgent attacks trigger bind."""
    theatre: set[str] = set()
    for g in groups.values():
        theatre.update(g.strength)
    for pw in powers.values():
        theatre.update(pw.troops)
        theatre.update(pw.spec.patron_for)
    for ev in scenario.events.values():
        if ev.kind in (ScheduledKind.WITHDRAWAL, ScheduledKind.DEPLOY) and ev.target is not None:
            theatre.add(ev.target)
    if groups:  # parties to clauses that insurgent attacks may trigger can be called on
        ct_events = {TriggerEvent.TERRORISM, TriggerEvent.REBELLION}
        for tr in scenario.treaties.values():
            if any(c.trigger is not None and ct_events & set(c.trigger.event) for c in tr.clauses.values()):
                theatre.update(scenario.blocs[tr.bloc].members)
    return theatre


def _focus(s: Scenario) -> tuple[str | None, str | None]:
    """The scenario's focus target and bloc (the first coup's state and its democratic-order bloc)."""
    focus = s.focus
    if focus is None:
        for _eid, ev in sorted(s.events.items(), key=lambda kv: (kv[1].date, kv[0])):
            if ev.kind in (ScheduledKind.COUP, ScheduledKind.REFUSAL_TO_CEDE):
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


class World:
    """Everything one run knows, and what can be asked of it without changing it.

    Args:
        scenario: the validated scenario.
        states, blocs, groups, powers: the Mesa agents, by id.
        rng: the model's generator (the interstate draws; the shared actions draw a new crisis's
            perception from it, whichever phase opens it).
    """

    def __init__(self, scenario: Scenario, states: dict[str, StateAgent], blocs: dict[str, BlocAgent],
                 groups: dict[str, ArmedGroupAgent], powers: dict[str, ExternalPowerAgent],
                 rng: np.random.Generator) -> None:
        self.spec = scenario
        self.params: ModelParams = scenario.parameters
        self.rng = rng
        self.week = 0
        self.date = scenario.start
        self.n_weeks = scenario.weeks
        self.log = EventLog()
        self.log_date: dt.date | None = None  # set while a dated event is applied: logged on its own date
        self.states, self.blocs, self.groups, self.powers = states, blocs, groups, powers
        for b in blocs.values():  # a bloc founded later does not exist yet (the AES before 16 Sep 2023)
            if b.spec.founded is not None and b.spec.founded > scenario.start:
                b.exists = False
        self.treaties = TreatyRegistry(scenario)
        # interstate part
        self.crises: dict[str, Crisis] = {}
        self.wars: list[War] = []
        self.coup_weeks: list[tuple[int, str]] = []
        self.pending_exits: list[tuple[int, str, str, str]] = []  # (due week, state, bloc, clause ref)
        self.exits: list[tuple[int, str, str]] = []
        self.owed = 0
        self.given = 0
        self.epoch = 0  # bumped when something a bloc's decision depends on changes (see changed())
        self.events_by_week: dict[int, list[tuple[str, EventSpec]]] = {}
        for eid, ev in sorted(scenario.events.items(), key=lambda kv: (kv[1].date, kv[0])):
            w = (ev.date - scenario.start).days // 7
            self.events_by_week.setdefault(w, []).append((eid, ev))
        self.focus, self.focus_bloc = _focus(scenario)
        self.support_cache = SupportCache()
        self.sanctioned: dict[str, float] = {}  # state -> share of neighbours enforcing sanctions
        self._win_cache: dict[tuple[float, float, tuple[tuple[float, float], ...]], float] = {}
        self._members: dict[str, list[str]] | None = None
        self._recent_coups: tuple[int, float] = (-1, 0.0)
        # security part
        theatre = _theatre(scenario, groups, powers)
        self.theatre: list[str] = [s for s in states if s in theatre]  # declaration order
        self.cells = [(g, sid, g.terrorist) for g in groups.values() for sid in g.strength]  # group x state
        self.ct_missions: list[CTMission] = []
        self.ct_owed = 0
        self.ct_given = 0
        self.ct_called_until: dict[str, int] = {}
        self.ct_calls: list[tuple[str, TriggerEvent]] = []  # this week's calls, answered by collective defence
        self.attacks_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.deaths_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.jihadist_deaths_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.rebel_attacks_week: dict[str, int] = dict.fromkeys(self.theatre, 0)
        self.deaths_state_year: dict[tuple[str, int], int] = {}  # jihadist deaths (terrorism), for GTI
        self.pressure: dict[str, float] = self.ci_pressures()
        self.grievance: dict[tuple[str, str], float] = {}
        self.pending_notice: set[tuple[str, str]] = set()
        self.coup_record: list[tuple[int, str, CoupOrigin]] = []  # (week, state, origin)
        self.withdrawal_events: list[tuple[int, str, str]] = []  # (week, power, host) last troops left
        self.leaving_troops: dict[tuple[str, str], float] = {}  # troops when the order to leave was given
        self.alternatives_to = {b for spec in scenario.blocs.values() for b in spec.alternative_to}
        self.grieved: set[str] = set()  # blocs some member has a recorded grievance against
        self._alt_cache: dict[tuple[str, str], str | None] = {}
        self._alt_members_cache: dict[str, set[str]] = {}
        self._alt_members_version = -1
        self._alt_version = -1

    # --- the log --------------------------------------------------------------------------------------
    def say(self, kind: LogKind, actor: str, target: str, clause: str, text: str, **details: Any) -> None:
        """Log one event of this week (see :class:`sim.events.EventLog`)."""
        date = self.log_date or self.date
        self.log.add(self.week, date, kind, actor, target, clause,
                     f"Week {self.week}, {date.isoformat()}: {text}", **details)

    def changed(self) -> None:
        """Something a bloc's decision depends on changed (a declaration, a pact in force, a member's
        constraint, a coup, a withheld pledge, a concession): crises held by memory are decided afresh."""
        self.epoch += 1

    # --- membership -----------------------------------------------------------------------------------
    def members(self) -> dict[str, list[str]]:
        """Current members of each bloc (none for a bloc that does not exist). Cached until a change."""
        if self._members is None:
            self._members = {bid: (list(b.members) if b.exists else []) for bid, b in self.blocs.items()}
        return self._members

    def membership_changed(self) -> None:
        """Call after any change of members or of a bloc's existence."""
        self._members = None
        self.treaties.invalidate()
        self.changed()

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

    def alt_members(self, bid: str) -> set[str]:
        """Members of the blocs that declare themselves an alternative to ``bid`` (cached until a change)."""
        if self._alt_members_version != self.treaties.version:
            self._alt_members_cache.clear()
            self._alt_members_version = self.treaties.version
        hit = self._alt_members_cache.get(bid)
        if hit is None:
            hit = {s for other in self.blocs.values() if bid in other.spec.alternative_to for s in other.members}
            self._alt_members_cache[bid] = hit
        return hit

    # --- names and dates ------------------------------------------------------------------------------
    def name(self, sid: str) -> str:
        """The display name of a state, bloc, armed group or external power (the id if none)."""
        for agents in (self.states, self.blocs, self.groups, self.powers):
            if sid in agents:
                return agents[sid].name  # type: ignore[attr-defined, no-any-return]
        return sid

    def year(self) -> int:
        """Calendar year of the week just simulated (by its middle day)."""
        return (self.date - dt.timedelta(days=3)).year

    def focus_crisis(self) -> Crisis | None:
        """The focus bloc's crisis over the focus target, if one opened."""
        if self.focus is None or self.focus_bloc is None:
            return None
        return self.crises.get(f"{self.focus_bloc}->{self.focus}")

    def recent_coups(self) -> float:
        """Coups in the region within the contagion window (cached for the week)."""
        if self._recent_coups[0] != self.week or self._recent_coups[1] < 0:
            w = self.params.support.contagion_window_weeks
            self._recent_coups = (self.week, float(sum(1 for wk, _ in self.coup_weeks if self.week - wk < w)))
        return self._recent_coups[1]

    def forget_recent_coups(self) -> None:
        """A coup happened: :meth:`recent_coups` is counted afresh."""
        self._recent_coups = (-1, -1.0)

    # --- forces ---------------------------------------------------------------------------------------
    def affinity(self, a: str, b: str) -> float:
        p = self.params.assistance
        same = self.states[a].regime == self.states[b].regime
        return p.affinity_same_regime if same else p.affinity_other_regime

    def assist_inputs(self, cm: Commitment, victim_provoked: bool = False) -> AssistInputs:
        """What the ally of a commitment weighs when called."""
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
        total = self.effective_defence(target)
        probs = self.ally_chances(bloc, target)
        for ally, pr in probs.items():
            total += pr * self.ally_force(ally) * self.states[ally].quality
        return total, probs

    def ally_chances(self, bloc: str, target: str) -> dict[str, float]:
        """Each ally committed to defend ``target`` against ``bloc`` (not itself one of the bloc's active
        members) and its chance of assisting, in the order of its commitment."""
        attackers = set(self.blocs[bloc].active_members())
        commits = self.treaties.commitments_to(target, self.members(), TriggerEvent.ATTACK, attackers)
        probs: dict[str, float] = {}
        for cm in commits:
            if cm.ally not in attackers:
                probs[cm.ally] = assist_probability(self.assist_inputs(cm), self.params.assistance)
        return probs

    def expected_win(self, bloc: str, target: str, attack: float, perception: float) -> tuple[
            float, float, dict[str, float]]:
        """What the bloc's members expect of a war on ``target`` with ``attack`` (effective force): the
        chance of winning by the war model, averaged over which committed allies come and the members'
        uncertainty about the defence (:func:`sim.rules.contest.expected_win`, with ``perception_noise``);
        the defence they expect (allies by their chance of assisting) and each ally's chance. ``perception``
        is the crisis's error factor on the defence (results memoised by their inputs)."""
        own = self.effective_defence(target) * perception
        probs = self.ally_chances(bloc, target)
        allies = [(pr, self.ally_force(ally) * self.states[ally].quality * perception)
                  for ally, pr in probs.items()]
        key = (attack, own, tuple(allies))
        pw = self._win_cache.get(key)
        if pw is None:
            if len(self._win_cache) > 4096:
                self._win_cache.clear()
            pw = self._win_cache[key] = expected_win(attack, own, allies, self.params.council.perception_noise,
                                                     self.params.combat)
        return pw, own + sum(pr * f for pr, f in allies), probs

    def pledged_force(self, pledgers: list[str]) -> float:
        """Effective force the pledging members can send (each its pledge, at most what it can spare)."""
        st = self.states
        return sum(min(st[s].pledge, st[s].spare()) * st[s].quality for s in pledgers)

    def ci_pressures(self) -> dict[str, float]:
        """Effective counter-insurgency force in each theatre state: home forces (quality-weighted), allied
        forces on counter-terrorism tours there, and external powers' troops times their effect."""
        st = self.states
        out = {sid: st[sid].quality * st[sid].home_fighting_force() for sid in self.theatre}
        for m in self.ct_missions:
            if m.host in out:
                out[m.host] += m.persons * self.states[m.ally].quality
        for pw in self.powers.values():
            for host, n in pw.troops.items():
                if n and host in out:
                    out[host] += n * pw.ci_effect
        return out
