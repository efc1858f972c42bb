"""The rule parameters of a scenario, one section per rule (``parameters:`` in the YAML).

Each rule in :mod:`sim.rules` takes its section (e.g. :class:`SupportParams`); :class:`ModelParams`
groups them. Every number is declared with :func:`~sim.scenario.fields.P`: a unit, a default and a
source. This module imports nothing of the loader, so a rule can import its section cheaply.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.fields import P, Strict

__all__ = [
    "AccordParams",
    "AssistanceParams",
    "CombatParams",
    "CouncilParams",
    "CounterTerrorismParams",
    "CoupParams",
    "InsurgencyParams",
    "MembershipParams",
    "ModelParams",
    "PresenceParams",
    "SanctionsParams",
    "SupportParams",
    "TargetParams",
]

# The source texts of the weights the census calibration dealt with (docs/calibration.md).
CALIBRATED = "calibrated by history matching on the census, identified (docs/calibration.md)"
NOT_IDENTIFIED = ("not identified by the census (docs/calibration.md): the calibration's chosen value, "
                  "an assumption")
EARLIER_CALIBRATION = ("fixed at the earlier model's calibrated value, not identified by the census "
                       "(docs/calibration.md); assumption")


class AssistanceParams(Strict):
    """Assist or abandon: an ally's logistic choice when a collective-defence clause is triggered."""

    reference_honour_rate: float = P(
        0.745, "probability", "Chance that an ally at reference values honours its obligation; sets the "
        "intercept, logit(0.745)", "FACTS §5 Leeds, Long & Mitchell 2000 (74.5%) [ECON]; bounds: about "
        "two-thirds over 200 years [CHIBA] to about 75% (Leeds 2003) [LEEDS03]", ge=0.66, le=0.75)
    w_bindingness: float = P(2.0, "logit per unit bindingness", "Weight of the clause's bindingness "
                             "(0 = pure discretion, 1 = automatic obligation): the gap in log-odds between an "
                             "ally without a specific obligation and one with it",
                             "FACTS §5 Leeds, Long & Mitchell 2000 [ECON]: 25% (older coding) vs 74.5% (specific "
                             "obligations), logit gap 2.17; two-thirds [CHIBA] vs Sabrosky's 27% gives 1.69: the "
                             "sources' range is the bounds", ge=1.69, le=2.17)
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
        [-1.19, -1.07, -0.95, -0.83, -0.71, -0.59], "logit",
        "Reluctance to climb to each rung (condemn, suspend, sanctions, ultimatum, standby, intervention): "
        "higher rungs need more support; a level (sanctions, -0.95) and a step per rung (0.12)",
        CALIBRATED)
    w_norm: float = P(1.5, "logit per unit", "Weight of the member's attachment to democratic norms",
                      "FACTS §2 (2001 Protocol Art. 45); weight " + NOT_IDENTIFIED, ge=0)
    w_contagion: float = P(2.93, "logit per coup", "Weight of fear of contagion: coups in the region in the "
                           "last `contagion_window_weeks`, scaled by the member's own regime risk",
                           "FACTS §4 (coups 2020-2023); weight " + EARLIER_CALIBRATION, ge=0)
    contagion_window_weeks: int = P(156, "weeks", "How far back coups count toward contagion fear",
                                    "assumption", ge=1)
    contagion_cap: float = P(3.0, "coups", "Coups counted at most toward contagion fear", "assumption", ge=0)
    w_leadership: float = P(2.96, "logit per unit", "Weight of the member's regional leadership role",
                            EARLIER_CALIBRATION, ge=0)
    w_cost: float = P(4.67, "logit per unit expected cost", "Weight of the expected cost of war",
                      "FACTS §5 Fearon 1995 (war is costly); weight " + CALIBRATED, ge=0)
    war_risk: list[float] = P(
        [0.0, 0.0, 0.0, 0.3, 0.6, 1.0], "probability",
        "Chance, as members see it, that each rung leads to war with the target and its defenders",
        "assumption", )
    w_domestic: float = P(0.27, "logit per unit", "Weight of the member's domestic constraint on war "
                          "(e.g. Nigeria's Senate, 5 Aug 2023), applied on military rungs",
                          "FACTS §2 [DPOST]; weight " + EARLIER_CALIBRATION, ge=0)
    w_trade: float = P(1.0, "logit per unit", "Weight of the member's own trade exposure to the target, "
                       "applied on the sanctions rung and above", "assumption", ge=0)
    w_fatigue: float = P(1.0, "logit per unit fatigue", "Weight of accumulated fatigue with a measure",
                         "assumption", ge=0)
    fatigue_rate: float = P(0.02, "per week", "Fatigue added each week a bloc holds the sanctions rung or "
                            "above against a target", "calibrated to the lifting of sanctions on 24 Feb 2024 "
                            "(FACTS §2 [TVC])", ge=0)
    hold_margin: float = P(1.0, "logit", "Extra support a measure already in place enjoys (status-quo bias); "
                           "a rung is dropped when support to keep it fails", "assumption", ge=0)
    abstain_band: float = P(0.02, "probability", "A member abstains when its support probability is within "
                            "this band of 0.5", EARLIER_CALIBRATION, ge=0, le=0.5)


class CouncilParams(Strict):
    """The bloc's launch of force (ECOWAS 1999 Protocol: the council authorises intervention)."""

    launch_p_win: float = P(0.73, "probability", "Chance of winning, from the pledged force against the "
                            "perceived defending coalition, below which an authorised intervention is held back",
                            NOT_IDENTIFIED, ge=0, le=1)
    mobilisation_weeks: int = P(4, "weeks", "Delay between the decision to intervene and the launch",
                                "assumption; FACTS §2 (ESF activated 10 Aug, D-Day discussed 17-18 Aug)", ge=0)
    pledge_support_threshold: float = P(0.5, "probability", "A member pledges its troops when its support "
                                        "for the standby rung is at least this", "assumption", ge=0, le=1)
    perception_noise: float = P(0.24, "log-sd", "Error (lognormal, sd of the log) in the bloc's estimate of "
                                "the defending force, drawn once per crisis: the fog of intelligence; members know its "
                                "spread and average the war model over it when they judge their chance of winning",
                                EARLIER_CALIBRATION, ge=0)
    max_rungs_per_week: int = P(3, "rungs", "Rungs a bloc can climb in one week (a summit decides a package: "
                                "on 30 Jul 2023 sanctions and a 7-day ultimatum came together)",
                                "FACTS §2 [NTEL, BBCP]", ge=1)
    summit_interval_weeks: int = P(8, "weeks", "Weeks between a bloc's ordinary reviews of a crisis whose ladder "
                                   "has stopped: it re-votes a climb only when something changed (a declaration, "
                                   "a pact in force, a member's constraint, a withheld pledge, a coup, the "
                                   "target's concession), and at each review checks whether it still holds its "
                                   "measures (fatigue)",
                                   "assumption; FACTS §2 (summits of 30 Jul and 10 Aug 2023, sanctions lifted "
                                   "24 Feb 2024 [TVC])", ge=1)
    legislature_veto: float = P(1.0, "probability per unit constraint", "Chance, per unit of a pledging "
                                "member's domestic constraint, that its legislature refuses to send the troops "
                                "when force is decided: the pledge is then withheld and the launch must pass "
                                "the can-win test without it",
                                "assumption; FACTS §2 [DPOST] (Nigeria's Senate, 5 Aug 2023)", ge=0, le=1)


class CombatParams(Strict):
    """War: Lanchester square-law attrition, breakpoints and settlement."""

    attrition_rate: float = P(0.02, "per week", "Lanchester coefficient: share of the enemy's effective force "
                              "each unit of effective force disables in a week", "assumption", gt=0, le=1)
    defence_mobilisation: float = P(0.24, "share of personnel", "Share of a target's own personnel that "
                                    "defends its territory against an intervention",
                                    EARLIER_CALIBRATION, ge=0, le=1)
    breakpoint: float = P(0.6, "share of initial force", "A side whose force falls below this share of its "
                          "initial strength breaks", "assumption", gt=0, lt=1)
    settle_base: float = P(-4.0, "logit", "Weekly log-odds of a negotiated settlement when costs are nil",
                           "assumption; FACTS §5 Fearon 1995", le=0)
    w_settle_cost: float = P(3.0, "logit per unit", "Rise of the weekly settlement log-odds with the share "
                             "of force lost", "assumption", ge=0)
    max_weeks: int = P(104, "weeks", "A war still running after this many weeks ends in a settlement",
                       "assumption; FACTS §2 (ECOMOG Liberia 1990-98 was longer)", ge=1)


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


class TargetParams(Strict):
    """The target's side: the junta (or incumbent) concedes under pressure, each week with a logistic
    chance; a concession is a transition timetable or, with ``yield_share``, handing power back at once."""

    intercept: float = P(-8.53, "logit per week", "Weekly log-odds that a junta under no pressure concedes "
                         "(about 1% a year)", NOT_IDENTIFIED, le=0)
    w_sanctions: float = P(2.2, "logit per year of full sanctions", "Weight of the sanctions the target has "
                           "borne: weeks under sanctions x its trade exposure x the share of neighbours "
                           "enforcing, in years",
                           "FACTS §2 (30 Jul 2023 measures [NTEL]); weight " + NOT_IDENTIFIED, ge=0)
    w_threat: float = P(1.88, "logit per unit", "Weight of the threat's credibility: the pledged force's chance of "
                        "winning against the defence the bloc expects, times the chance its rung leads to war "
                        "(support.war_risk); 0 below the ultimatum", "FACTS §2 (Gambia 2017: Jammeh left when "
                        "ECOWAS forces entered); weight " + NOT_IDENTIFIED, ge=0)
    w_allies: float = P(1.5, "logit per unit", "Confidence from allies: the sum, at most 1, of the chances that "
                        "committed allies would defend the target", "FACTS §5 Smith 1998 [NYU2] (alliances "
                        "embolden targets); weight assumption", ge=0)
    w_patron: float = P(1.0, "logit", "Confidence from an external patron present in the target or coming in",
                        "assumption; FACTS §4 (Russia in Mali, Burkina Faso, Niger)", ge=0)
    yield_share: float = P(0.3, "probability", "Share of concessions that hand power back at once; the rest "
                           "agree a transition timetable (the bloc then lifts sanctions and holds suspension)",
                           "assumption; FACTS §4 (Mali, Guinea, Burkina Faso agreed timetables)", ge=0, le=1)


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
    target: TargetParams = Field(default_factory=TargetParams)
