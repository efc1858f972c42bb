"""The scenario format: a typed, validated, immutable description of one case.

A scenario names its dates, the states with their figures, the blocs with their members and decision
rules, the treaties with their clauses (as data), the rule parameters, and scheduled events. It is read
from YAML with a safe loader (:func:`load_scenario`), may ``extends:`` another file and override a few
fields, and takes ``--set path=value`` overrides. Any error names the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, field_validator

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
    TriggerEvent,
)
from sim.params import P, Strict

__all__ = [
    "AccordParams",
    "AccordSpec",
    "ArmedGroupSpec",
    "AssistanceParams",
    "BlocSpec",
    "ClauseSpec",
    "CombatParams",
    "CounterTerrorismParams",
    "CoupParams",
    "EventSpec",
    "ExternalPowerSpec",
    "InsurgencyParams",
    "MembershipParams",
    "ModelParams",
    "PresenceParams",
    "Scenario",
    "ScenarioError",
    "StateSpec",
    "SupportParams",
    "TreatySpec",
    "apply_overrides",
    "load_scenario",
    "scenario_from_dict",
    "scenario_hash",
]

# ---------------------------------------------------------------------------------------------------
# Rule parameters
# ---------------------------------------------------------------------------------------------------


class AssistanceParams(Strict):
    """Assist or abandon: an ally's logistic choice when a collective-defence clause is triggered."""

    reference_honour_rate: float = P(
        0.745, "probability", "Chance that an ally at reference values honours its obligation; sets the "
        "intercept, logit(0.745)", "FACTS §5 Leeds, Long & Mitchell 2000 (74.5%)", gt=0, lt=1)
    w_bindingness: float = P(2.0, "logit per unit bindingness", "Weight of the clause's bindingness "
                             "(0 = pure discretion, 1 = automatic obligation)", "assumption", ge=0)
    ref_bindingness: float = P(1.0, "0-1", "Bindingness of the reference alliance (a formal defence pact)",
                               "FACTS §5 ATOP coding of defence obligations", ge=0, le=1)
    w_affinity: float = P(1.0, "logit per unit affinity", "Weight of regime affinity between ally and victim",
                          "assumption", ge=0)
    ref_affinity: float = P(1.0, "0-1", "Affinity of the reference pair (same regime type)", "assumption",
                            ge=0, le=1)
    affinity_same_regime: float = P(1.0, "0-1", "Affinity between two states of the same regime type",
                                    "assumption", ge=0, le=1)
    affinity_other_regime: float = P(0.4, "0-1", "Affinity between states of different regime types",
                                     "assumption", ge=0, le=1)
    w_spare: float = P(2.0, "logit per unit share", "Weight of the share of the ally's forces it can spare "
                       "from its own counter-insurgency", "assumption", ge=0)
    ref_spare: float = P(0.3, "share of personnel", "Spare share of the reference ally", "assumption",
                         ge=0, le=1)
    w_threat: float = P(2.0, "logit per unit threat", "Weight of the ally's own threat at home (insurgent "
                        "pressure); a threatened ally keeps forces home", "assumption", ge=0)
    w_entrapment: float = P(1.5, "logit", "Penalty when the victim provoked the attack (entrapment)",
                            "FACTS §5 Snyder 1984 (abandonment vs entrapment)", ge=0)
    w_reputation: float = P(1.0, "logit per unit reputation", "Weight of the ally's reputation for keeping "
                            "commitments", "FACTS §5 Smith 1995 (reliability is endogenous); weight assumption",
                            ge=0)
    ref_reputation: float = P(0.5, "0-1", "Reputation of the reference ally", "assumption", ge=0, le=1)
    contribution_share: float = P(0.3, "share of spare personnel", "Share of its spare forces an ally sends "
                                  "when it assists", "assumption", ge=0, le=1)
    declaration_bindingness: float = P(0.6, "0-1", "Bindingness of a unilateral declaration of support "
                                       "(e.g. Mali and Burkina Faso, 31 Jul 2023) before any treaty",
                                       "assumption; FACTS §2 (31 Jul 2023 'declaration of war')", ge=0, le=1)
    reputation_gain: float = P(0.05, "0-1 per decision", "Change of an ally's reputation after it honours "
                               "(or, negated, abandons) an obligation", "assumption", ge=0, le=1)


class SupportParams(Strict):
    """Each bloc member's support for moving its bloc one rung up the ladder against a target."""

    rung_cost: list[float] = P(
        [-1.77, -1.44, -1.11, -0.78, -0.45, -0.12], "logit",
        "Reluctance to climb to each rung (condemn, suspend, sanctions, ultimatum, standby, intervention): "
        "higher rungs need more support", "calibrated (docs/calibration.md)")
    w_norm: float = P(3.72, "logit per unit", "Weight of the member's attachment to democratic norms",
                      "FACTS §2 (2001 Protocol Art. 45); weight calibrated (docs/calibration.md)", ge=0)
    w_contagion: float = P(2.93, "logit per coup", "Weight of fear of contagion: coups in the region in the "
                           "last `contagion_window_weeks`, scaled by the member's own regime risk",
                           "FACTS §4 (coups 2020-2023); weight calibrated (docs/calibration.md)", ge=0)
    contagion_window_weeks: int = P(156, "weeks", "How far back coups count toward contagion fear",
                                    "assumption", ge=1)
    contagion_cap: float = P(3.0, "coups", "Coups counted at most toward contagion fear", "assumption", ge=0)
    w_leadership: float = P(2.96, "logit per unit", "Weight of the member's regional leadership role",
                            "calibrated (docs/calibration.md)", ge=0)
    w_cost: float = P(3.56, "logit per unit expected cost", "Weight of the expected cost of war",
                      "FACTS §5 Fearon 1995 (war is costly); weight calibrated (docs/calibration.md)", ge=0)
    war_risk: list[float] = P(
        [0.0, 0.0, 0.0, 0.3, 0.6, 1.0], "probability",
        "Chance, as members see it, that each rung leads to war with the target and its defenders",
        "assumption", )
    w_domestic: float = P(0.27, "logit per unit", "Weight of the member's domestic constraint on war "
                          "(e.g. Nigeria's Senate, 5 Aug 2023), applied on military rungs",
                          "FACTS §2 [DPOST]; weight calibrated (docs/calibration.md)", ge=0)
    w_trade: float = P(1.0, "logit per unit", "Weight of the member's own trade exposure to the target, "
                       "applied on the sanctions rung and above", "assumption", ge=0)
    w_fatigue: float = P(1.0, "logit per unit fatigue", "Weight of accumulated fatigue with a measure",
                         "assumption", ge=0)
    fatigue_rate: float = P(0.02, "per week", "Fatigue added each week a bloc holds the sanctions rung or "
                            "above against a target", "calibrated to the lifting of sanctions on 24 Feb 2024 "
                            "(FACTS §2 [TVC])", ge=0)
    hold_margin: float = P(1.0, "logit", "Extra support a measure already in place enjoys (status-quo bias); "
                           "a rung is dropped when support to keep it fails", "assumption", ge=0)
    csf_exponent: float = P(1.0, "dimensionless", "Decisiveness m of the ratio-form contest success function "
                            "p = F_a^m / (F_a^m + F_d^m)", "FACTS §5 Hirshleifer 1989 (m = 1 is the ratio form)",
                            gt=0)
    abstain_band: float = P(0.02, "probability", "A member abstains when its support probability is within "
                            "this band of 0.5", "calibrated (docs/calibration.md)", ge=0, le=0.5)


class CouncilParams(Strict):
    """The bloc's launch of force (ECOWAS 1999 Protocol: the council authorises intervention)."""

    launch_p_win: float = P(0.43, "probability", "Chance of winning, from the pledged force against the "
                            "perceived defending coalition, below which an authorised intervention is held back",
                            "calibrated (docs/calibration.md)", ge=0, le=1)
    mobilisation_weeks: int = P(4, "weeks", "Delay between the decision to intervene and the launch",
                                "assumption; FACTS §2 (ESF activated 10 Aug, D-Day discussed 17-18 Aug)", ge=0)
    pledge_support_threshold: float = P(0.5, "probability", "A member pledges its troops when its support "
                                        "for the standby rung is at least this", "assumption", ge=0, le=1)
    perception_noise: float = P(0.24, "log-sd", "Error (lognormal, sd of the log) in the bloc's estimate of "
                                "the defending force, drawn once per crisis: the fog of intelligence",
                                "calibrated (docs/calibration.md)", ge=0)
    max_rungs_per_week: int = P(3, "rungs", "Rungs a bloc can climb in one week (a summit decides a package: "
                                "on 30 Jul 2023 sanctions and a 7-day ultimatum came together)",
                                "FACTS §2 [NTEL, BBCP]", ge=1)


class CombatParams(Strict):
    """War: Lanchester square-law attrition, breakpoints and settlement."""

    attrition_rate: float = P(0.02, "per week", "Lanchester coefficient: share of the enemy's effective force "
                              "each unit of effective force disables in a week", "assumption", gt=0, le=1)
    defence_mobilisation: float = P(0.24, "share of personnel", "Share of a target's own personnel that "
                                    "defends its territory against an intervention",
                                    "calibrated (docs/calibration.md)", ge=0, le=1)
    breakpoint: float = P(0.6, "share of initial force", "A side whose force falls below this share of its "
                          "initial strength breaks", "assumption", gt=0, lt=1)
    settle_base: float = P(-4.0, "logit", "Weekly log-odds of a negotiated settlement when costs are nil",
                           "assumption; FACTS §5 Fearon 1995", le=0)
    w_settle_cost: float = P(3.0, "logit per unit", "Rise of the weekly settlement log-odds with the share "
                             "of force lost", "assumption", ge=0)
    max_weeks: int = P(104, "weeks", "A war still running after this many weeks ends in a settlement",
                       "assumption; FACTS §2 (ECOMOG Liberia 1990-98 was longer)", ge=1)
    war_cost_scale: float = P(1.0, "share of personnel", "Scale of the expected cost of war for a member: "
                              "cost = (1 - p_win) x war_risk", "assumption", gt=0)


class SanctionsParams(Strict):
    """Sanctions' bite on the target and their cost to those who impose them."""

    bite: float = P(0.01, "stability per week", "Weekly loss of the target's stability under full sanctions "
                    "with full trade exposure", "assumption", ge=0)
    recovery: float = P(0.002, "stability per week", "Weekly recovery of stability without sanctions",
                        "assumption", ge=0)


class InsurgencyParams(Strict):
    """Armed groups: attacks, deaths, recruitment and losses, and the threat they pose to a state."""

    base_attack_rate: float = P(
        8.5, "attacks per week per 1,000 fighters", "Weekly attack rate of 1,000 fighters facing no "
        "counter-insurgency pressure; the rate is divided by (1 + pressure ratio)",
        "assumption; calibrated so yearly deaths are of the GTI order (FACTS §3)", ge=0)
    deaths_per_attack: float = P(3.0, "deaths per attack", "Mean deaths per attack (Poisson)",
                                 "assumption; with base_attack_rate, GTI deaths 2022-2024 (FACTS §3)", ge=0)
    pressure_half: float = P(
        1.0, "effective counter-insurgents per fighter", "Counter-insurgency force per active fighter at "
        "which the pressure ratio is 1: attacks are halved and losses reach half their maximum",
        "assumption", gt=0)
    max_loss_rate: float = P(0.006, "share of strength per week", "Weekly losses of a group under "
                             "overwhelming pressure (killed, captured, deserting)", "assumption", ge=0, le=1)
    recruitment_rate: float = P(0.012, "share of strength per week", "Weekly recruitment of a group in a "
                                "state of stability 0 with room to grow; scaled by (1 - stability)",
                                "assumption", ge=0, le=1)
    capacity_multiple: float = P(4.0, "multiple of initial strength", "Most fighters a group can field in a "
                                 "state, as a multiple of its initial strength there, when the scenario "
                                 "gives no capacity", "assumption", gt=0)
    reserve_ci_weight: float = P(
        0.5, "0-1", "Share of a state's spare forces at home (its reserve) that adds to counter-insurgency "
        "pressure; forces deployed abroad are missing from it", "assumption", ge=0, le=1)
    threat_scale: float = P(20.0, "deaths per week", "Smoothed weekly insurgent deaths at which a state's "
                            "threat is 1 - 1/e (threat = 1 - exp(-deaths / scale))",
                            "assumption; GTI 2023: Burkina Faso ~37 a week, Niger ~9 (FACTS §3)", gt=0)
    threat_smoothing: float = P(0.1, "per week", "Weight of the latest week in the smoothed deaths "
                                "(exponential smoothing)", "assumption", gt=0, le=1)
    stability_cost: float = P(0.002, "stability per week", "Weekly loss of a state's stability at threat 1",
                              "assumption", ge=0)


class CounterTerrorismParams(Strict):
    """Counter-terrorism use of collective defence: a member under attack calls its allies."""

    call_threat: float = P(0.5, "0-1", "Threat at home above which a member's insurgency triggers the "
                           "terrorism (Art. 4) and rebellion (Art. 5) clauses and calls its allies (Art. 6)",
                           "assumption", ge=0, le=1)
    contribution_share: float = P(0.15, "share of spare personnel", "Share of its spare forces an ally "
                                  "sends when it answers a counter-terrorism call", "assumption", ge=0, le=1)
    tour_weeks: int = P(26, "weeks", "How long allied counter-terrorism forces stay before going home (a "
                        "member may call again)", "assumption", ge=1)


class AccordParams(Strict):
    """A separatist group's accord with its state: intact -> strained -> collapsed."""

    strain_hazard: float = P(0.004, "per week", "Weekly chance an intact accord becomes strained, with "
                             "peacekeepers in place and no offensive", "assumption", ge=0, le=1)
    collapse_hazard: float = P(0.01, "per week", "Weekly chance a strained accord collapses, same conditions",
                               "assumption", ge=0, le=1)
    w_peacekeepers_gone: float = P(
        6.0, "hazard multiple per share", "Rise of both hazards with the share of the initial peacekeepers "
        "that have left the group's state (x (1 + w * share))",
        "assumption; FACTS §4 (MINUSMA out by 31 Dec 2023, fighting resumed)", ge=0)
    w_offensive: float = P(10.0, "hazard multiple", "Rise of both hazards in the weeks after a state "
                           "offensive against the group (x (1 + w))",
                           "assumption; FACTS §4 (Kidal taken 14 Nov 2023)", ge=0)
    offensive_weeks: int = P(12, "weeks", "How long an offensive raises the hazards", "assumption", ge=0)
    offensive_loss: float = P(0.1, "share of strength", "Share of the group's fighters in the state lost "
                              "in a state offensive", "assumption", ge=0, le=1)
    activity: list[float] = P(
        [0.05, 0.3, 1.0], "multiplier", "Separatist activity (attacks, recruitment, losses) when the accord "
        "is intact, strained, collapsed", "assumption")


class PresenceParams(Strict):
    """External powers' presence: host consent, withdrawal and a patron coming in."""

    consent_intercept: float = P(-8.0, "logit per week", "Weekly log-odds that a host revokes a revocable "
                                 "power's consent, before the terms below", "assumption", le=0)
    w_military: float = P(3.0, "logit", "Added when the host is ruled by its military",
                          "assumption; FACTS §4 (the juntas ended French and UN presence)", ge=0)
    w_sanctions: float = P(1.5, "logit per unit", "Weight of the share of the host's neighbours enforcing "
                           "sanctions on it", "assumption", ge=0)
    w_patron: float = P(1.5, "logit", "Added when another patron is ready to come in", "assumption; FACTS §3 "
                        "(Africa Corps in Niamey in 2024)", ge=0)
    entry_weeks: int = P(16, "weeks", "Delay before a ready patron's troops arrive once a host has "
                         "revoked another power's consent", "assumption", ge=0)


class MembershipParams(Strict):
    """Grievance against a bloc and the exit notice it may lead to."""

    w_sanctions: float = P(0.4, "0-1", "Grievance from the bloc's sanctions on the state", "assumption", ge=0)
    w_threat: float = P(0.3, "0-1", "Grievance from the bloc's threat of force (ultimatum or above)",
                        "assumption", ge=0)
    w_suspension: float = P(0.5, "0-1", "Grievance from being suspended", "assumption", ge=0)
    w_patron: float = P(0.7, "0-1", "Grievance from a bloc whose patron the state has sent away",
                        "assumption; FACTS §4 (G5 Sahel exits after French withdrawals)", ge=0)
    partner_weight: float = P(0.5, "0-1", "Share of the grievance felt for measures against a partner in "
                              "the alternative bloc", "assumption", ge=0, le=1)
    adjust_rate: float = P(0.1, "per week", "Speed at which grievance moves toward its current sources",
                           "assumption", gt=0, le=1)
    exit_intercept: float = P(-10.0, "logit per week", "Weekly log-odds of an exit notice with no grievance "
                              "and no alternative", "assumption", le=0)
    w_grievance: float = P(5.0, "logit per unit grievance", "Weight of grievance", "assumption", ge=0)
    w_alternative: float = P(4.0, "logit", "Added when the state has an alternative: a bloc declared an "
                             "alternative to this one with its collective-defence clause in force, or a "
                             "patron outside the bloc's own",
                             "assumption; FACTS §1 (AES exit from ECOWAS after the charter)", ge=0)


class CoupParams(Strict):
    """Optional endogenous coup hazard (scheduled coups happen regardless)."""

    enabled: bool = Field(default=False, description="Turn the endogenous coup hazard on")
    intercept: float = P(-8.0, "logit per week", "Weekly log-odds of a coup in a stable state with no "
                         "threat and no coups around", "assumption", le=0)
    w_instability: float = P(3.0, "logit per unit", "Weight of instability (1 - stability)",
                             "assumption; FACTS §4 (coups 2020-2023)", ge=0)
    w_threat: float = P(2.0, "logit per unit", "Weight of insurgent threat at home", "assumption", ge=0)
    w_neighbours: float = P(0.7, "logit per coup", "Weight of each coup in a neighbouring state within "
                            "the window", "assumption; FACTS §4 (coups in Mali, Guinea, Burkina Faso, Niger)",
                            ge=0)
    window_weeks: int = P(104, "weeks", "How far back neighbours' coups count", "assumption", ge=1)


class ModelParams(Strict):
    """All rule parameters of one scenario, grouped by rule."""

    assistance: AssistanceParams = Field(default_factory=AssistanceParams)
    support: SupportParams = Field(default_factory=SupportParams)
    council: CouncilParams = Field(default_factory=CouncilParams)
    combat: CombatParams = Field(default_factory=CombatParams)
    sanctions: SanctionsParams = Field(default_factory=SanctionsParams)
    insurgency: InsurgencyParams = Field(default_factory=InsurgencyParams)
    counter_terrorism: CounterTerrorismParams = Field(default_factory=CounterTerrorismParams)
    accord: AccordParams = Field(default_factory=AccordParams)
    presence: PresenceParams = Field(default_factory=PresenceParams)
    membership: MembershipParams = Field(default_factory=MembershipParams)
    coups: CoupParams = Field(default_factory=CoupParams)


# ---------------------------------------------------------------------------------------------------
# Actors, treaties, events
# ---------------------------------------------------------------------------------------------------


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
    strength: dict[str, int] = Field(description="Fighters per state at the start (persons)")
    capacity: dict[str, int] = Field(default_factory=dict, description="Most fighters it can field per "
                                     "state; default capacity_multiple x initial strength")
    lethality: float = P(1.0, "multiplier", "Deaths per attack relative to deaths_per_attack", "assumption",
                         gt=0)
    accord: AccordSpec | None = Field(None, description="Its peace accord, for a separatist group")
    source: str = Field("", description="Where the figures come from")


class ExternalPowerSpec(Strict):
    """An external power's forces in the region (France, MINUSMA, Russia, the United States)."""

    name: str
    troops: dict[str, int] = Field(default_factory=dict, description="Troops per host state at the start")
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
    kind: str = Field(pattern="^(coup|refusal_to_cede_power|declaration|exit_notice|set|suspend|readmit|"
                      "withdrawal|deploy|rename|offensive|accord_end)$",
                      description="coup | refusal_to_cede_power | declaration | exit_notice | set | "
                      "suspend | readmit | withdrawal (actor: external power, target: host; value: weeks "
                      "to leave) | deploy (actor: power, target: host, value: troops) | rename (actor: power "
                      "or armed group, value: new name) | offensive (actor: state, target: armed group) | "
                      "accord_end "
                      "(actor: state, target: armed group)")
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
    bloc: str = Field("ecowas", description="The responding bloc")
    source: str = Field("", description="Where the record comes from")


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


# ---------------------------------------------------------------------------------------------------
# Loading with positions
# ---------------------------------------------------------------------------------------------------


class ScenarioError(Exception):
    """A scenario (or experiment) that cannot be used; each message names file, line and field."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


Pos = dict[tuple[Any, ...], tuple[str, int]]


def _positions(node: yaml.Node, file: str, path: tuple[Any, ...], out: Pos) -> None:
    out[path] = (file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[(*path, key)] = (file, k.start_mark.line + 1)
            _positions(v, file, (*path, key), out)
            out[(*path, key)] = (file, k.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _positions(v, file, (*path, i), out)


def read_yaml(path: Path) -> tuple[dict[str, Any], Pos]:
    """Read a YAML mapping safely; return it and the line of every field."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError([f"{name}: cannot read: {e.strerror}"]) from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ScenarioError([f"{name}:{line}: not valid YAML: {getattr(e, 'problem', e)}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError([f"{name}:1: the top level must be a mapping of fields"])
    pos: Pos = {}
    if node is not None:
        _positions(node, name, (), pos)
    return data, pos


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge, anything else replaces; ``null`` over a section removes it.

    Removing a section is how a counterfactual drops a treaty, a clause or an event
    (``treaties: {liptako_gourma: null}``).
    """
    out = dict(base)
    for k, v in over.items():
        if v is None and isinstance(out.get(k), dict):
            out.pop(k)
        elif isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def load_raw(path: str | Path, _seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Pos]:
    """Read a YAML file and resolve its ``extends:`` chain (relative to the file). No validation."""
    p = Path(path)
    if p.resolve() in _seen:
        raise ScenarioError([f"{p}:1: extends: circular chain {' -> '.join(map(str, _seen))}"])
    data, pos = read_yaml(p)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data, pos
    if not isinstance(base_name, str):
        f, line = pos.get(("extends",), (str(p), 1))
        raise ScenarioError([f"{f}:{line}: extends: must be a file name"])
    base_path = (p.parent / base_name)
    if not base_path.exists():
        f, line = pos.get(("extends",), (str(p), 1))
        raise ScenarioError([f"{f}:{line}: extends: no such file {base_path}"])
    base, base_pos = load_raw(base_path, (*_seen, p.resolve()))
    merged = _merge(base, data)
    merged_pos = dict(base_pos)
    merged_pos.update(pos)
    return merged, merged_pos


def _parse_value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def apply_overrides(data: dict[str, Any], pos: Pos, overrides: Iterable[str]) -> dict[str, Any]:
    """Apply ``path.to.field=value`` overrides (values parsed as YAML scalars) to raw scenario data.

    ``path.to.section=null`` removes a section (a treaty, a clause, an event), as ``null`` does in a file
    that ``extends:`` another.
    """
    out = json.loads(json.dumps(data, default=str))  # a deep copy with plain types
    for item in overrides:
        if "=" not in item:
            raise ScenarioError([f"--set {item}: expected PATH=VALUE"])
        dotted, _, raw = item.partition("=")
        keys = dotted.strip().split(".")
        node: Any = out
        for i, k in enumerate(keys[:-1]):
            if isinstance(node, list) and k.isdigit():
                node = node[int(k)]
                continue
            if not isinstance(node, dict):
                where = ".".join(keys[: i + 1])
                raise ScenarioError([f"--set {dotted}: '{where}' is not a section"])
            if k not in node:  # a section the file leaves to defaults; validation checks the name
                node[k] = {}
                pos[tuple(keys[: i + 1])] = (f"--set {dotted}", 0)
            node = node[k]
        value = _parse_value(raw)
        if isinstance(node, list) and keys[-1].isdigit():
            node[int(keys[-1])] = value
        elif isinstance(node, dict) and value is None and isinstance(node.get(keys[-1]), dict):
            node.pop(keys[-1])  # PATH=null removes a section, as in an extends: file
        elif isinstance(node, dict):
            node[keys[-1]] = value
        else:
            raise ScenarioError([f"--set {dotted}: '{'.'.join(keys[:-1])}' is not a section"])
        pos[tuple(keys)] = (f"--set {dotted}", 0)
    return out


def _where(pos: Pos, loc: tuple[Any, ...], default_file: str) -> str:
    for n in range(len(loc), -1, -1):
        if loc[:n] in pos:
            f, line = pos[loc[:n]]
            return f if f.startswith("--set") else f"{f}:{line}"
    return default_file


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc) or "(top level)"


def _cross_references(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    errs: list[tuple[tuple[Any, ...], str]] = []
    states, blocs = set(s.states), set(s.blocs)
    for sid, st in s.states.items():
        for i, nb in enumerate(st.borders):
            if nb not in states:
                errs.append((("states", sid, "borders", i), f"'{nb}' is not a state of this scenario"))
    for bid, b in s.blocs.items():
        for field in ("members", "suspended"):
            for i, m in enumerate(getattr(b, field)):
                if m not in states:
                    errs.append((("blocs", bid, field, i), f"'{m}' is not a state of this scenario"))
        for i, m in enumerate(b.suspended):
            if m not in b.members:
                errs.append((("blocs", bid, "suspended", i), f"'{m}' is suspended but not a member"))
        for i, m in enumerate(b.council or []):
            if m not in b.members:
                errs.append((("blocs", bid, "council", i), f"'{m}' sits on the council but is not a member"))
    for tid, t in s.treaties.items():
        if t.bloc not in blocs:
            errs.append((("treaties", tid, "bloc"), f"'{t.bloc}' is not a bloc of this scenario"))
    state_fields = set(StateSpec.model_fields)
    groups, powers = set(s.armed_groups), set(s.external_powers)
    errs.extend(_security_references(s))
    for eid, e in s.events.items():
        actors = e.actor if isinstance(e.actor, list) else [e.actor]
        ok = states | blocs | groups | powers
        for a in actors:
            if a not in ok:
                errs.append((("events", eid, "actor"), f"'{a}' is not a state or bloc of this scenario"))
        if e.target is not None and e.target not in ok:
            errs.append((("events", eid, "target"), f"'{e.target}' is not a state or bloc of this scenario"))
        if e.kind in ("exit_notice", "suspend", "readmit") and e.target is None:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs a target bloc"))
        errs.extend(_security_event_references(eid, e, states, groups, powers))
        if e.kind == "set":
            if e.field not in state_fields:
                errs.append((("events", eid, "field"), f"'{e.field}' is not a state field"))
        if not (s.start <= e.date <= s.end):
            errs.append((("events", eid, "date"), f"{e.date} is outside the scenario ({s.start} to {s.end})"))
    if s.end <= s.start:
        errs.append((("end",), "must be after start"))
    for field in ("focus",):
        v = getattr(s, field)
        if v is not None and v not in states:
            errs.append(((field,), f"'{v}' is not a state of this scenario"))
    if s.focus_bloc is not None and s.focus_bloc not in blocs:
        errs.append((("focus_bloc",), f"'{s.focus_bloc}' is not a bloc of this scenario"))
    if len(s.parameters.accord.activity) != len(AccordStatus):
        errs.append((("parameters", "accord", "activity"),
                     f"needs {len(AccordStatus)} values, one per status"))
    sp = s.parameters.support
    for field in ("rung_cost", "war_risk"):
        if len(getattr(sp, field)) != len(Rung) - 1:
            errs.append((("parameters", "support", field), f"needs {len(Rung) - 1} values, one per rung above 0"))
    return errs


_POWER_EVENTS = {"withdrawal": "state", "deploy": "state"}
_GROUP_EVENTS = {"offensive", "accord_end"}


def _security_references(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Armed groups, external powers and bloc patrons must name states and powers of the scenario."""
    errs: list[tuple[tuple[Any, ...], str]] = []
    states, powers = set(s.states), set(s.external_powers)
    for gid, g in s.armed_groups.items():
        for field in ("strength", "capacity"):
            for sid in getattr(g, field):
                if sid not in states:
                    errs.append((("armed_groups", gid, field, sid), f"'{sid}' is not a state"))
        if g.accord is not None and g.accord.state not in states:
            errs.append((("armed_groups", gid, "accord", "state"), f"'{g.accord.state}' is not a state"))
        if g.accord is not None and g.kind is not GroupKind.SEPARATIST:
            errs.append((("armed_groups", gid, "accord"), "only a separatist group has an accord"))
    for pid, pw in s.external_powers.items():
        for field in ("troops",):
            for sid in getattr(pw, field):
                if sid not in states:
                    errs.append((("external_powers", pid, field, sid), f"'{sid}' is not a state"))
        for field in ("patron_for", "revoked_by"):
            for i, sid in enumerate(getattr(pw, field)):
                if sid not in states:
                    errs.append((("external_powers", pid, field, i), f"'{sid}' is not a state"))
    for bid, b in s.blocs.items():
        for i, other in enumerate(b.alternative_to):
            if other not in s.blocs or other == bid:
                errs.append((("blocs", bid, "alternative_to", i), f"'{other}' is not another bloc"))
        for i, pid in enumerate(b.patrons):
            if pid not in powers:
                errs.append((("blocs", bid, "patrons", i), f"'{pid}' is not an external power"))
    ids = [("states", states), ("blocs", set(s.blocs)), ("armed_groups", set(s.armed_groups)),
           ("external_powers", powers)]
    seen: dict[str, str] = {}
    for section, names in ids:
        for n in sorted(names):
            if n in seen:
                errs.append(((section, n), f"id '{n}' is also used in {seen[n]}"))
            seen[n] = section
    return errs


def _security_event_references(eid: str, e: EventSpec, states: set[str], groups: set[str],
                               powers: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    errs: list[tuple[tuple[Any, ...], str]] = []
    actors = e.actors()
    if e.kind in _POWER_EVENTS:
        for a in actors:
            if a not in powers:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs an external power"))
        if e.target not in states:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs a host state as target"))
        if e.kind == "deploy" and not isinstance(e.value, int | float):
            errs.append((("events", eid, "value"), "a 'deploy' event needs the number of troops as value"))
        if e.kind == "withdrawal" and e.value is not None and not isinstance(e.value, int | float):
            errs.append((("events", eid, "value"), "a 'withdrawal' event's value is the weeks it takes"))
    elif e.kind == "rename":
        for a in actors:
            if a not in powers | groups:
                errs.append((("events", eid, "actor"), "a 'rename' event needs a power or armed group"))
        if not isinstance(e.value, str):
            errs.append((("events", eid, "value"), "a 'rename' event needs the new name as value"))
    elif e.kind in _GROUP_EVENTS:
        for a in actors:
            if a not in states:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs a state as actor"))
        if e.target not in groups:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs an armed group as target"))
    elif e.kind in ("coup", "refusal_to_cede_power", "set", "declaration", "exit_notice"):
        for a in actors:
            if a not in states:
                errs.append((("events", eid, "actor"), f"a '{e.kind}' event needs a state as actor"))
    return errs


def scenario_from_dict(data: dict[str, Any], pos: Pos | None = None, file: str = "<scenario>") -> Scenario:
    """Validate raw data into a :class:`Scenario`, or raise :class:`ScenarioError` naming file, line, field."""
    pos = pos or {}
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        msgs = []
        for err in e.errors():
            loc = tuple(err["loc"])
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "missing":
                msg = "required field is missing"
            msgs.append(f"{_where(pos, loc, file)}: {_format_loc(loc)}: {msg}")
        raise ScenarioError(msgs) from None
    errs = _cross_references(s)
    if errs:
        raise ScenarioError([f"{_where(pos, loc, file)}: {_format_loc(loc)}: {msg}" for loc, msg in errs])
    return s


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Load, resolve ``extends:``, apply ``--set`` overrides and validate a scenario file.

    Raises:
        ScenarioError: with one line per problem, each naming the file, the line and the field.
    """
    data, pos = load_raw(path)
    overrides = list(overrides)
    if overrides:
        data = apply_overrides(data, pos, overrides)
    return scenario_from_dict(data, pos, str(path))


def scenario_hash(s: Scenario) -> str:
    """A stable hash of the validated scenario (sha256 of its canonical JSON)."""
    text = json.dumps(s.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
