"""The world a scenario describes: states, blocs, treaties and their clauses, armed groups, external
powers, scheduled events, and (for episodes and lessons) what was observed and the lesson's text.

:class:`Scenario` is the root: start there to read the format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, NonNegativeInt, field_validator

from sim.enums import (
    AccordStatus,
    ClauseKind,
    Decider,
    DecisionRule,
    GroupKind,
    Means,
    Obligation,
    Regime,
    Rung,
    ScheduledKind,
    TriggerEvent,
)
from sim.scenario.fields import P, Strict
from sim.scenario.parameters import ModelParams

__all__ = [
    "AccordSpec",
    "ArmedGroupSpec",
    "BlocSpec",
    "ClauseSpec",
    "EventSpec",
    "ExternalPowerSpec",
    "Lesson",
    "Observed",
    "Scenario",
    "StateSpec",
    "TreatySpec",
    "TriggerSpec",
]


class StateSpec(Strict):
    """A state: its figures, its posture and where it is. Per-state sources are given in the YAML."""

    name: str = Field(description="Display name")
    regime: Regime = Field(Regime.CIVILIAN, description="Who governs at the start")
    personnel: int = P(10_000, "persons", "Active military personnel", "FACTS §3 (CIA World Factbook)", ge=0)
    quality: float = P(1.0, "multiplier", "Combat effectiveness per soldier relative to a regional average",
                       "assumption", gt=0, le=3)
    ci_share: float = P(0.3, "share of personnel", "Share of personnel tied down by home counter-insurgency",
                        "assumption; FACTS §3 (GTI deaths) for who is most affected", ge=0, le=1)
    stability: float = P(0.7, "0-1", "Regime stability", "assumption", ge=0, le=1)
    democratic_norm: float = P(0.5, "0-1", "Attachment to democratic norms", "assumption", ge=0, le=1)
    coup_risk: float = P(0.3, "0-1", "How exposed the leadership feels to a coup at home (drives contagion "
                         "fear)", "assumption; FACTS §4 (coups 2020-2023)", ge=0, le=1)
    domestic_constraint: float = P(0.2, "0-1", "Domestic constraint on going to war (parliament, opinion)",
                                   "assumption; FACTS §2 [DPOST] for Nigeria", ge=0, le=1)
    trade_exposure: float = P(0.2, "0-1", "Dependence of its economy on trade with/through the target "
                              "region; for a target, its dependence on sanctioners' ports", "assumption",
                              ge=0, le=1)
    leadership: float = P(0.0, "0-1", "Regional leadership role (chair, hegemon)", "assumption", ge=0, le=1)
    reputation: float = P(0.5, "0-1", "Reputation for keeping commitments", "assumption", ge=0, le=1)
    pledge: int = P(0, "persons", "Troops it would commit to a bloc's standby force", "FACTS §2 [CKN, WADR]",
                    ge=0)
    stationed: dict[str, int] = Field(default_factory=dict, description="Troops already in other states, by "
                                      "state id (ECOMOG in Sierra Leone, 1997): a bloc force with a pledger's "
                                      "troops already in the target launches without mobilisation weeks")
    landlocked: bool = Field(False, description="No sea coast: imports come through neighbours' ports")
    borders: list[str] = Field(default_factory=list, description="Ids of neighbouring states in the scenario")
    lon: float = Field(0.0, ge=-180, le=180, description="Longitude of the capital (degrees), for maps")
    lat: float = Field(0.0, ge=-90, le=90, description="Latitude of the capital (degrees), for maps")
    source: str = Field("", description="Where this state's figures come from")


class BlocSpec(Strict):
    """A bloc: who belongs, who is suspended, how it decides."""

    name: str
    members: list[str] = Field(description="Member state ids")
    suspended: list[str] = Field(default_factory=list, description="Members suspended from decision-making")
    decision_rule: DecisionRule = DecisionRule.CONSENSUS
    qualified_share: float = P(2 / 3, "share of voters", "Threshold of a qualified majority",
                               "FACTS §2 (1999 Protocol; two-thirds is the reading often cited, unconfirmed)",
                               gt=0.5, le=1)
    council: list[str] | None = Field(None, description="Voting members (e.g. ECOWAS's Mediation and Security "
                                      "Council); all non-suspended members when absent")
    min_members: int = P(2, "states", "The bloc dissolves below this many members", "assumption", ge=0)
    exists: bool = Field(True, description="False for a bloc that is created later by an event")
    founded: dt.date | None = Field(None, description="Date the bloc is founded (the AES: 16 Sep 2023, the "
                                    "Liptako-Gourma Charter); before it the bloc does not exist")
    patrons: list[str] = Field(default_factory=list, description="External powers that back the bloc "
                               "(the G5 Sahel and France); a member that sent them away resents the bloc")
    alternative_to: list[str] = Field(default_factory=list, description="Blocs this one offers its members "
                                      "an alternative to (the AES to ECOWAS and the G5 Sahel), once its "
                                      "collective-defence clause is in force")


class TriggerSpec(Strict):
    """What sets a clause off."""

    event: list[TriggerEvent] = Field(description="Event kind(s) that trigger the clause")
    victim: str = Field("member", pattern="^(member|any)$", description="Whom the event must hit")
    author: str = Field("any", pattern="^(any|non_member)$", description="Who must be the author")

    @field_validator("event", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class ClauseSpec(Strict):
    """One treaty clause as data."""

    kind: ClauseKind
    article: str = Field("", description="Article reference, e.g. 'Art. 6'")
    trigger: TriggerSpec | None = None
    decides: Decider = Decider.INDIVIDUAL
    obligation: Obligation = Obligation.ASSIST
    means: list[Means] = Field(default_factory=lambda: [Means.DIPLOMATIC])
    bindingness: float = P(1.0, "0-1", "How strictly the clause obliges (1 = automatic, 0.3 = 'as it deems "
                           "necessary')", "FACTS §1 (Art. 6 'engagera un devoir'); §5 ATOP", ge=0, le=1)
    notice_weeks: int = P(0, "weeks", "Notice before an exit takes effect",
                          "FACTS §1 (AES: 6 months), §1 (ECOWAS Art. 91: one year)", ge=0)
    max_rung: Rung = Field(Rung.INTERVENTION, description="Highest rung this clause allows")
    text: str = Field("", description="The clause's wording or a summary")


class TreatySpec(Strict):
    """A treaty: which bloc it binds, from when, and its clauses."""

    name: str
    bloc: str = Field(description="Id of the bloc whose members are the parties")
    in_force: dt.date | None = Field(None, description="Date of entry into force; null = from the start, "
                                     "'never' is expressed by removing the treaty")
    clauses: dict[str, ClauseSpec]


class AccordSpec(Strict):
    """A separatist group's peace accord with one state."""

    name: str = Field(description="e.g. the 2015 Algiers accord")
    state: str = Field(description="The state party to the accord")
    status: AccordStatus = Field(AccordStatus.INTACT, description="intact | strained | collapsed")

    @field_validator("status", mode="before")
    @classmethod
    def _by_name(cls, v: Any) -> Any:
        return AccordStatus[v.upper()] if isinstance(v, str) and v.upper() in AccordStatus.__members__ else v


class ArmedGroupSpec(Strict):
    """A non-state armed group: where it fights and with how many fighters."""

    name: str
    kind: GroupKind
    strength: dict[str, NonNegativeInt] = Field(description="Fighters per state at the start (persons)")
    capacity: dict[str, NonNegativeInt] = Field(default_factory=dict, description="Most fighters it can field per "
                                     "state; default capacity_multiple x initial strength")
    lethality: float = P(1.0, "multiplier", "Deaths per attack relative to deaths_per_attack", "assumption",
                         gt=0)
    accord: AccordSpec | None = Field(None, description="Its peace accord, for a separatist group")
    source: str = Field("", description="Where the figures come from")


class ExternalPowerSpec(Strict):
    """An external power's forces in the region (France, MINUSMA, Russia, the United States)."""

    name: str
    troops: dict[str, NonNegativeInt] = Field(default_factory=dict, description="Troops per host state at the start")
    ci_effect: float = P(1.0, "effective counter-insurgents per troop", "Counter-insurgency effect of one of "
                         "its troops relative to a host soldier of quality 1", "assumption", ge=0)
    peacekeeping: bool = Field(False, description="A peacekeeping mission: its departure strains accords")
    revocable: bool = Field(True, description="Hosts may revoke its consent by the presence rule")
    withdrawal_weeks: int = P(12, "weeks", "Weeks from the order to leave to the last troops' departure",
                              "assumption", ge=0)
    patron_for: list[str] = Field(default_factory=list, description="Hosts it is ready to enter when they "
                                  "send another power away (military-ruled hosts only)")
    entry_troops: int = P(100, "persons", "Troops it sends when it comes in as a patron",
                          "FACTS §3 [KRONE] (about 100 Africa Corps in Niamey, 2024)", ge=0)
    revoked_by: list[str] = Field(default_factory=list, description="States that revoked its consent before "
                                  "the start")
    source: str = Field("", description="Where the figures come from")


class EventSpec(Strict):
    """A scheduled event."""

    date: dt.date
    kind: ScheduledKind = Field(description="coup | refusal_to_cede_power | declaration | exit_notice | set | "
                                "suspend | readmit | withdrawal (actor: external power, target: host; value: "
                                "weeks to leave) | deploy (actor: power, target: host, value: troops) | rename "
                                "(actor: power or armed group, value: new name) | offensive (actor: state, "
                                "target: armed group) | accord_end (actor: state, target: armed group)")
    actor: list[str] | str = Field(description="State id(s) (or a bloc id for suspend/readmit, an external "
                                   "power for withdrawal/deploy/rename, an armed group for rename)")
    target: str | None = Field(None, description="State or bloc the event is about")
    field: str | None = Field(None, description="For 'set': the state field to change")
    value: float | str | None = Field(None, description="For 'set': the new value")
    note: str = Field("", description="What happened and the source")

    def actors(self) -> list[str]:
        """The actor(s) as a list."""
        return self.actor if isinstance(self.actor, list) else [self.actor]


class Observed(Strict):
    """What happened, for historical episodes (see `run.py history`)."""

    max_rung: Rung = Field(description="Highest rung the bloc reached")
    force_used: bool
    within_weeks: int | None = Field(None, ge=0, description="Weeks from the trigger to the use of force")
    target: str = Field(description="The state the bloc responded to")
    bloc: str = Field("ecowas", description="The responding bloc (any bloc of the scenario)")
    source: str = Field("", description="Where the record comes from")
    trigger: str = Field("coup", description="What opened the episode: coup or refusal (docs/history.md, rules C, R)")
    census: str = Field("", description="The census row (scenarios/history/census.csv coup_id) of the trigger")
    unsourced: list[str] = Field(default_factory=list, description="Observed fields no source states "
                                 "(max_rung, force_used, within_weeks): left out of that score (rule O2)")
    figures: str = Field("", description="Which era the states' figures are from, or that none was found")

    @field_validator("unsourced")
    @classmethod
    def _known_fields(cls, v: list[str]) -> list[str]:
        bad = sorted(set(v) - {"max_rung", "force_used", "within_weeks"})
        if bad:
            raise ValueError(f"unknown observed field(s) {bad}: use max_rung, force_used or within_weeks")
        return v

    @field_validator("trigger")
    @classmethod
    def _trigger_kind(cls, v: str) -> str:
        if v not in ("coup", "refusal"):
            raise ValueError(f"'{v}' is not coup or refusal")
        return v


class Lesson(Strict):
    """Text for the instructor's page."""

    title: str
    text: str = ""
    questions: list[str] = Field(default_factory=list)


class Scenario(Strict):
    """One validated case: start here to read the format."""

    name: str
    description: str = ""
    start: dt.date
    end: dt.date
    focus: str | None = Field(None, description="State whose crisis the outcomes are about (defaults to the "
                              "target of the first coup or refusal event)")
    focus_bloc: str | None = Field(None, description="Bloc whose response the outcomes are about")
    parameters: ModelParams = Field(default_factory=ModelParams)
    states: dict[str, StateSpec]
    blocs: dict[str, BlocSpec] = Field(default_factory=dict)
    treaties: dict[str, TreatySpec] = Field(default_factory=dict)
    events: dict[str, EventSpec] = Field(default_factory=dict)
    armed_groups: dict[str, ArmedGroupSpec] = Field(default_factory=dict)
    external_powers: dict[str, ExternalPowerSpec] = Field(default_factory=dict)
    observed: Observed | None = None
    lesson: Lesson | None = None

    @property
    def weeks(self) -> int:
        """Number of weekly steps from start to end."""
        return max(0, (self.end - self.start).days // 7)
