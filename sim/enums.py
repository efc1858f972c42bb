"""Enumerations shared by the schema, the rules and the outputs."""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "AccordStatus",
    "ClauseKind",
    "CoupOrigin",
    "Decider",
    "DecisionRule",
    "GroupKind",
    "LogKind",
    "Means",
    "Obligation",
    "Regime",
    "Rung",
    "ScheduledKind",
    "TriggerEvent",
    "WarOutcome",
]


class Regime(StrEnum):
    """Who governs a state."""

    CIVILIAN = "civilian"
    MILITARY = "military"
    TRANSITIONAL = "transitional"


class Rung(IntEnum):
    """The democratic-order escalation ladder (ECOWAS 2001 Supplementary Protocol Art. 45, 1999 Protocol).

    0 means no response; the highest rung is the use of force.
    """

    NONE = 0
    CONDEMN = 1
    SUSPEND = 2
    SANCTIONS = 3
    ULTIMATUM = 4
    STANDBY = 5
    INTERVENTION = 6

    @property
    def label(self) -> str:
        return _RUNG_LABELS[self]


_RUNG_LABELS = {
    Rung.NONE: "no response",
    Rung.CONDEMN: "condemnation",
    Rung.SUSPEND: "suspension",
    Rung.SANCTIONS: "sanctions",
    Rung.ULTIMATUM: "ultimatum",
    Rung.STANDBY: "standby force activated",
    Rung.INTERVENTION: "military intervention",
}


class DecisionRule(StrEnum):
    """How a bloc turns its members' votes into a decision."""

    UNANIMITY = "unanimity"  # every voter says yes
    CONSENSUS = "consensus"  # nobody says no (abstentions allowed)
    MAJORITY = "majority"  # more than half of the voters
    QUALIFIED_MAJORITY = "qualified_majority"  # at least `qualified_share` of the voters


class ClauseKind(StrEnum):
    """What a treaty clause is about."""

    COLLECTIVE_DEFENCE = "collective_defence"  # charter Art. 6, ECOWAS 1981 Art. 2, NATO-like clauses
    DEMOCRATIC_ORDER = "democratic_order"  # ECOWAS 2001 Art. 45 and the 1999 council: the ladder
    NON_AGGRESSION = "non_aggression"  # charter Art. 8: no aggression, no blockade between parties
    EXIT = "exit"  # denunciation with notice


class TriggerEvent(StrEnum):
    """Kinds of event that can trigger a clause."""

    ATTACK = "attack"  # armed attack by a state or a coalition (an intervention)
    COUP = "coup"  # unconstitutional seizure of power
    REFUSAL_TO_CEDE = "refusal_to_cede_power"  # an incumbent refuses to hand over after losing a vote
    REBELLION = "rebellion"  # armed rebellion against a party's territorial integrity
    TERRORISM = "terrorism"  # jihadist attacks on a party


class Decider(StrEnum):
    """Who decides whether an obligation is carried out."""

    INDIVIDUAL = "individual"  # each party on its own (charter Art. 6 "individuelle ou collective")
    BLOC = "bloc"  # the bloc by its decision rule


class Obligation(StrEnum):
    """What a clause asks of the parties once triggered."""

    ASSIST = "assist"
    CONSULT = "consult"
    LADDER = "ladder"
    REFRAIN = "refrain"
    LEAVE = "leave"


class Means(StrEnum):
    """Means a clause allows."""

    DIPLOMATIC = "diplomatic"
    ECONOMIC = "economic"
    LOGISTICS = "logistics"
    ARMED_FORCE = "armed_force"


class GroupKind(StrEnum):
    """What an armed group fights for."""

    JIHADIST = "jihadist"  # JNIM, Islamic State Sahel: its attacks are terrorism (charter Art. 4)
    SEPARATIST = "separatist"  # CSP-DPA, later FLA: its attacks are armed rebellion (charter Art. 5)


class AccordStatus(IntEnum):
    """A separatist group's peace accord with its state (the 2015 Algiers accord)."""

    INTACT = 0
    STRAINED = 1
    COLLAPSED = 2


class ScheduledKind(StrEnum):
    """Kinds of scheduled event a scenario lists under ``events:`` (applied in the scheduled-events phase)."""

    COUP = "coup"  # actor(s): state(s); soldiers seize power
    REFUSAL_TO_CEDE = "refusal_to_cede_power"  # actor(s): state(s); an incumbent refuses to hand over
    DECLARATION = "declaration"  # actors declare that an attack on the target is an attack on them
    EXIT_NOTICE = "exit_notice"  # actor(s) give notice to leave the target bloc
    SET = "set"  # a state's field changes (``field``, ``value``)
    SUSPEND = "suspend"  # the target bloc suspends the actor(s)
    READMIT = "readmit"  # the target bloc readmits the actor(s)
    WITHDRAWAL = "withdrawal"  # an external power is ordered out of its host (value: weeks to leave)
    DEPLOY = "deploy"  # an external power deploys troops to a host (value: troops)
    RENAME = "rename"  # an external power or armed group takes a new name (value)
    OFFENSIVE = "offensive"  # a state launches an offensive against an armed group
    ACCORD_END = "accord_end"  # a state ends its accord with a separatist group


class LogKind(StrEnum):
    """Kinds of row in a run's event log (the ``kind`` column of the event table)."""

    # scheduled events and the coup hazard
    IN_FORCE = "in_force"  # a treaty's clause enters into force
    COUP = "coup"
    REFUSAL_TO_CEDE = "refusal_to_cede_power"
    DECLARATION = "declaration"
    SET = "set"
    SUSPEND = "suspend"
    READMIT = "readmit"
    DEPLOY = "deploy"
    RENAME = "rename"
    OFFENSIVE = "offensive"
    BLOC_FOUNDED = "bloc_founded"  # a bloc founded after the scenario's start comes into being
    # armed groups and accords
    ACCORD_STRAINED = "accord_strained"
    ACCORD_COLLAPSE = "accord_collapse"
    # triggers
    CRISIS = "crisis"  # a democratic-order clause opens a crisis
    CLAUSE_TRIGGERED = "clause_triggered"  # terrorism or rebellion sets off a consultation clause
    # collective defence
    ASSIST = "assist"
    ABANDON = "abandon"
    CT_ASSIST = "ct_assist"
    CT_ABANDON = "ct_abandon"
    CT_RETURN = "ct_return"
    # deliberation
    RUNG_UP = "rung_up"
    RUNG_DOWN = "rung_down"
    VOTE_FAIL = "vote_fail"
    LAUNCH_WITHHELD = "launch_withheld"
    PLEDGE_WITHHELD = "pledge_withheld"  # a pledger's legislature refuses to send its troops
    LAUNCH_RECONSIDERED = "launch_reconsidered"  # a decided launch is called off: the defence it expects grew
    # the target's side
    CONCESSION = "concession"  # the junta agrees a transition timetable
    YIELD = "yield"  # the junta hands power back
    INTERVENTION = "intervention"
    CRISIS_END = "crisis_end"
    # wars
    WAR_END = "war_end"
    # external presence
    WITHDRAWAL_ORDERED = "withdrawal_ordered"
    WITHDRAWN = "withdrawn"
    PATRON_READY = "patron_ready"
    PATRON_ENTERS = "patron_enters"
    CONSENT_REVOKED = "consent_revoked"
    # membership
    EXIT_NOTICE = "exit_notice"
    EXIT = "exit"
    DISSOLUTION = "dissolution"


class WarOutcome(StrEnum):
    """How a war ended (the ``intervention_outcome`` column; "ongoing" there while it has not)."""

    ATTACKER_WON = "attacker_won"  # the defence broke: constitutional order restored
    DEFENDER_WON = "defender_won"  # the intervening force broke
    SETTLED = "settled"  # a negotiated end, or the longest war allowed


class CoupOrigin(StrEnum):
    """Where a coup came from."""

    SCHEDULED = "scheduled"  # a scenario's event
    ENDOGENOUS = "endogenous"  # the optional coup hazard
