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

from sim.enums import ClauseKind, Decider, DecisionRule, Means, Obligation, Regime, Rung, TriggerEvent
from sim.params import P, Strict

__all__ = [
    "AssistanceParams",
    "BlocSpec",
    "ClauseSpec",
    "CombatParams",
    "EventSpec",
    "ModelParams",
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
        [-1.5, -0.5, 0.0, 0.5, 1.2, 2.2], "logit",
        "Reluctance to climb to each rung (condemn, suspend, sanctions, ultimatum, standby, intervention): "
        "higher rungs need more support", "calibrated (docs/calibration.md)")
    w_norm: float = P(2.0, "logit per unit", "Weight of the member's attachment to democratic norms",
                      "FACTS §2 (2001 Protocol Art. 45); weight calibrated", ge=0)
    w_contagion: float = P(1.5, "logit per coup", "Weight of fear of contagion: coups in the region in the "
                           "last `contagion_window_weeks`, scaled by the member's own regime risk",
                           "FACTS §4 (coups 2020-2023); weight calibrated", ge=0)
    contagion_window_weeks: int = P(156, "weeks", "How far back coups count toward contagion fear",
                                    "assumption", ge=1)
    contagion_cap: float = P(3.0, "coups", "Coups counted at most toward contagion fear", "assumption", ge=0)
    w_leadership: float = P(1.0, "logit per unit", "Weight of the member's regional leadership role",
                            "assumption", ge=0)
    w_cost: float = P(3.0, "logit per unit expected cost", "Weight of the expected cost of war",
                      "FACTS §5 Fearon 1995 (war is costly); weight calibrated", ge=0)
    war_risk: list[float] = P(
        [0.0, 0.0, 0.0, 0.3, 0.6, 1.0], "probability",
        "Chance, as members see it, that each rung leads to war with the target and its defenders",
        "assumption", )
    w_domestic: float = P(2.0, "logit per unit", "Weight of the member's domestic constraint on war "
                          "(e.g. Nigeria's Senate, 5 Aug 2023), applied on military rungs",
                          "FACTS §2 [DPOST]; weight assumption", ge=0)
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
    abstain_band: float = P(0.1, "probability", "A member abstains when its support probability is within "
                            "this band of 0.5", "assumption", ge=0, le=0.5)


class CouncilParams(Strict):
    """The bloc's launch of force (ECOWAS 1999 Protocol: the council authorises intervention)."""

    launch_p_win: float = P(0.6, "probability", "Chance of winning, from the pledged force against the "
                            "perceived defending coalition, below which an authorised intervention is held back",
                            "assumption", ge=0, le=1)
    mobilisation_weeks: int = P(4, "weeks", "Delay between the decision to intervene and the launch",
                                "assumption; FACTS §2 (ESF activated 10 Aug, D-Day discussed 17-18 Aug)", ge=0)
    pledge_support_threshold: float = P(0.5, "probability", "A member pledges its troops when its support "
                                        "for the standby rung is at least this", "assumption", ge=0, le=1)
    perception_noise: float = P(0.3, "log-sd", "Error (lognormal, sd of the log) in the bloc's estimate of "
                                "the defending force, drawn once per crisis: the fog of intelligence",
                                "assumption", ge=0)
    max_rungs_per_week: int = P(3, "rungs", "Rungs a bloc can climb in one week (a summit decides a package: "
                                "on 30 Jul 2023 sanctions and a 7-day ultimatum came together)",
                                "FACTS §2 [NTEL, BBCP]", ge=1)


class CombatParams(Strict):
    """War: Lanchester square-law attrition, breakpoints and settlement."""

    attrition_rate: float = P(0.02, "per week", "Lanchester coefficient: share of the enemy's effective force "
                              "each unit of effective force disables in a week", "assumption", gt=0, le=1)
    defence_mobilisation: float = P(0.5, "share of personnel", "Share of a target's own personnel that "
                                    "defends its territory against an intervention", "assumption", ge=0, le=1)
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


class ModelParams(Strict):
    """All rule parameters of one scenario, grouped by rule."""

    assistance: AssistanceParams = Field(default_factory=AssistanceParams)
    support: SupportParams = Field(default_factory=SupportParams)
    council: CouncilParams = Field(default_factory=CouncilParams)
    combat: CombatParams = Field(default_factory=CombatParams)
    sanctions: SanctionsParams = Field(default_factory=SanctionsParams)


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


class EventSpec(Strict):
    """A scheduled event."""

    date: dt.date
    kind: str = Field(pattern="^(coup|refusal_to_cede_power|declaration|exit_notice|set|suspend|readmit)$",
                      description="coup | refusal_to_cede_power | declaration | exit_notice | set | suspend | "
                      "readmit")
    actor: list[str] | str = Field(description="State id(s) (or a bloc id for suspend/readmit)")
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
    """Apply ``path.to.field=value`` overrides (values parsed as YAML scalars) to raw scenario data."""
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
            if not isinstance(node, dict) or k not in node:
                where = ".".join(keys[: i + 1])
                raise ScenarioError([f"--set {dotted}: no field '{where}' in the scenario"])
            node = node[k]
        if isinstance(node, list) and keys[-1].isdigit():
            node[int(keys[-1])] = _parse_value(raw)
        elif isinstance(node, dict):
            node[keys[-1]] = _parse_value(raw)
        else:
            raise ScenarioError([f"--set {dotted}: '{'.'.join(keys[:-1])}' is not a section"])
        pos[tuple(keys)] = ("--set", 0)
    return out


def _where(pos: Pos, loc: tuple[Any, ...], default_file: str) -> str:
    for n in range(len(loc), -1, -1):
        if loc[:n] in pos:
            f, line = pos[loc[:n]]
            return f if f == "--set" else f"{f}:{line}"
    return default_file


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc) or "(top level)"


def _cross_references(s: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    errs: list[tuple[tuple[Any, ...], str]] = []
    states, blocs = set(s.states), set(s.blocs)
    for sid, st in s.states.items():
        for i, b in enumerate(st.borders):
            if b not in states:
                errs.append((("states", sid, "borders", i), f"'{b}' is not a state of this scenario"))
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
    for eid, e in s.events.items():
        actors = e.actor if isinstance(e.actor, list) else [e.actor]
        ok = states | blocs
        for a in actors:
            if a not in ok:
                errs.append((("events", eid, "actor"), f"'{a}' is not a state or bloc of this scenario"))
        if e.target is not None and e.target not in ok:
            errs.append((("events", eid, "target"), f"'{e.target}' is not a state or bloc of this scenario"))
        if e.kind in ("exit_notice", "suspend", "readmit") and e.target is None:
            errs.append((("events", eid, "target"), f"a '{e.kind}' event needs a target bloc"))
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
    sp = s.parameters.support
    for field in ("rung_cost", "war_risk"):
        if len(getattr(sp, field)) != len(Rung) - 1:
            errs.append((("parameters", "support", field), f"needs {len(Rung) - 1} values, one per rung above 0"))
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
