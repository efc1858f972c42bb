"""Declared reporters: the timeline's variables and the outcomes of a run, each a named function.

Named functions (not lambdas) so that they pickle across processes. The timeline is tidy: one row per
week, variable and entity (``actor`` and, for relations, ``target``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from sim.agents import StateAgent
    from sim.model import Crisis, LiptakoModel

__all__ = ["CRISIS_VARIABLES", "OUTCOMES", "STATE_VARIABLES", "TIMELINE_COLUMNS", "TimelineRecorder",
           "compute_outcomes"]

TIMELINE_COLUMNS = ["week", "date", "variable", "actor", "target", "value"]


def personnel(s: StateAgent) -> float:
    """Active personnel, persons."""
    return s.personnel


def deployed(s: StateAgent) -> float:
    """Personnel deployed abroad (assistance, interventions), persons."""
    return s.deployed


def stability(s: StateAgent) -> float:
    """Regime stability, 0-1."""
    return s.stability


def rung(c: Crisis) -> float:
    """The bloc's current rung against the target (0 = none ... 6 = intervention)."""
    return float(int(c.rung))


STATE_VARIABLES: dict[str, Callable[[StateAgent], float]] = {
    "personnel": personnel,
    "deployed": deployed,
    "stability": stability,
}
CRISIS_VARIABLES: dict[str, Callable[[Crisis], float]] = {"rung": rung}


class TimelineRecorder:
    """Collects the declared variables every week into tidy rows."""

    def __init__(self, model: LiptakoModel) -> None:
        self.model = model
        self.rows: list[tuple[int, str, str, str, str, float]] = []
        self.extra_groups: list[tuple[Callable[[LiptakoModel], list[tuple[str, str, Any]]],
                                      dict[str, Callable[[Any], float]]]] = []

    def add_crisis(self, crisis: Crisis) -> None:
        """A crisis opened this week: its rung is recorded from now on (earlier weeks are rung 0)."""

    def add_group(self, entities: Callable[[LiptakoModel], list[tuple[str, str, Any]]],
                  variables: dict[str, Callable[[Any], float]]) -> None:
        """Declare another kind of entity to record: ``entities(model)`` gives (actor, target, object)."""
        self.extra_groups.append((entities, variables))

    def collect(self) -> None:
        m = self.model
        w, d = m.week, m.date.isoformat()
        rows = self.rows
        for name, fn in STATE_VARIABLES.items():
            rows.extend((w, d, name, sid, "", float(fn(s))) for sid, s in m.states.items())
        for name, cfn in CRISIS_VARIABLES.items():
            rows.extend((w, d, name, c.bloc, c.target, float(cfn(c))) for c in m.crises.values())
        for entities, variables in self.extra_groups:
            ents = entities(m)
            for name, vfn in variables.items():
                rows.extend((w, d, name, a, t, float(vfn(o))) for a, t, o in ents)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=TIMELINE_COLUMNS)


# --- outcomes ---------------------------------------------------------------------------------------


def _focus_wars(m: LiptakoModel) -> list[Any]:
    return [w for w in m.wars if w.target == m.focus and w.bloc == m.focus_bloc]


def intervention(m: LiptakoModel) -> bool:
    """Did the focus bloc use force against the focus target?"""
    return bool(_focus_wars(m))


def intervention_week(m: LiptakoModel) -> int | None:
    """Week the intervention began (null if none)."""
    wars = _focus_wars(m)
    return wars[0].started_week if wars else None


def intervention_outcome(m: LiptakoModel) -> str:
    """attacker_won, defender_won, settled, ongoing, or '' when there was no intervention."""
    wars = _focus_wars(m)
    if not wars:
        return ""
    return wars[0].outcome or "ongoing"


def war(m: LiptakoModel) -> bool:
    """Was there any interstate war in the run?"""
    return bool(m.wars)


def war_weeks(m: LiptakoModel) -> int:
    """Weeks of interstate war, summed over wars."""
    return int(sum((w.ended_week if w.ended_week is not None else m.week) - w.started_week for w in m.wars))


def max_escalation(m: LiptakoModel) -> int:
    """Highest rung the focus bloc reached against the focus target (0-6)."""
    c = m.focus_crisis()
    return int(c.max_rung) if c is not None else 0


def standby_week(m: LiptakoModel) -> int | None:
    """First week the focus bloc activated its standby force (null if never)."""
    for row in m.log.rows:
        if row[2] == "rung_up" and row[3] == m.focus_bloc and row[4] == m.focus and '"rung":5' in row[7]:
            return int(row[0])
    return None


def sanction_weeks(m: LiptakoModel) -> int:
    """Weeks the focus target spent under the focus bloc's sanctions or higher."""
    c = m.focus_crisis()
    return c.sanction_weeks if c is not None else 0


def assistance_owed(m: LiptakoModel) -> int:
    """Collective-defence decisions owed (one per ally per attack)."""
    return m.owed


def assistance_given(m: LiptakoModel) -> int:
    """Of those, how many were honoured."""
    return m.given


def honour_rate(m: LiptakoModel) -> float:
    """Assistance given / assistance owed (NaN when nothing was owed)."""
    return m.given / m.owed if m.owed else math.nan


def exits(m: LiptakoModel) -> int:
    """Number of states that left a bloc."""
    return len(m.exits)


def first_exit_week(m: LiptakoModel) -> int | None:
    """Week of the first exit taking effect (null if none)."""
    return m.exits[0][0] if m.exits else None


def dissolutions(m: LiptakoModel) -> int:
    """Number of blocs that dissolved."""
    return sum(1 for b in m.blocs.values() if b.dissolved_week is not None)


def target_stability(m: LiptakoModel) -> float:
    """The focus target's stability at the end (NaN without a focus)."""
    return m.states[m.focus].stability if m.focus in m.states else math.nan


OUTCOMES: dict[str, Callable[[LiptakoModel], Any]] = {
    "intervention": intervention,
    "intervention_week": intervention_week,
    "intervention_outcome": intervention_outcome,
    "war": war,
    "war_weeks": war_weeks,
    "max_escalation": max_escalation,
    "standby_week": standby_week,
    "sanction_weeks": sanction_weeks,
    "assistance_owed": assistance_owed,
    "assistance_given": assistance_given,
    "honour_rate": honour_rate,
    "exits": exits,
    "first_exit_week": first_exit_week,
    "dissolutions": dissolutions,
    "target_stability": target_stability,
}

# Columns whose null means "did not happen": stored as nullable integers.
NULLABLE_INT_OUTCOMES = {"intervention_week", "standby_week", "first_exit_week"}


def compute_outcomes(m: LiptakoModel) -> dict[str, Any]:
    """Every declared outcome of a finished run."""
    return {name: fn(m) for name, fn in OUTCOMES.items()}
