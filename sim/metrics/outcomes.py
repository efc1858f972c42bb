"""The outcomes of a finished run, each a named function of the :class:`~sim.world.World`: fixed ones
(:data:`OUTCOMES`) and those named after the scenario's entities (:data:`DYNAMIC_OUTCOMES`). Outcomes
read the World's records and its typed event log (:class:`~sim.events.LogRecord`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from sim.enums import CoupOrigin, LogKind, Rung
from sim.world import World

__all__ = ["DYNAMIC_OUTCOMES", "NULLABLE_INT_OUTCOMES", "OUTCOMES", "compute_outcomes"]


def _focus_wars(m: World) -> list[Any]:
    return [w for w in m.wars if w.target == m.focus and w.bloc == m.focus_bloc]


def intervention(m: World) -> bool:
    """Did the focus bloc use force against the focus target?"""
    return bool(_focus_wars(m))


def intervention_week(m: World) -> int | None:
    """Week the intervention began (null if none)."""
    wars = _focus_wars(m)
    return wars[0].started_week if wars else None


def intervention_outcome(m: World) -> str:
    """attacker_won, defender_won, settled, ongoing, or '' when there was no intervention."""
    wars = _focus_wars(m)
    if not wars:
        return ""
    return wars[0].outcome.value if wars[0].outcome is not None else "ongoing"


def war(m: World) -> bool:
    """Was there any interstate war in the run?"""
    return bool(m.wars)


def war_weeks(m: World) -> int:
    """Weeks of interstate war, summed over wars."""
    return int(sum((w.ended_week if w.ended_week is not None else m.week) - w.started_week for w in m.wars))


def max_escalation(m: World) -> int:
    """Highest rung the focus bloc reached against the focus target (0-6)."""
    c = m.focus_crisis()
    return int(c.max_rung) if c is not None else 0


def standby_week(m: World) -> int | None:
    """First week the focus bloc activated its standby force (null if never)."""
    for r in m.log.rows:
        if r.kind is LogKind.RUNG_UP and r.actor == m.focus_bloc and r.target == m.focus \
                and r.details.get("rung") == Rung.STANDBY:
            return r.week
    return None


def sanction_weeks(m: World) -> int:
    """Weeks the focus target spent under the focus bloc's sanctions or higher."""
    c = m.focus_crisis()
    return c.sanction_weeks if c is not None else 0


def assistance_owed(m: World) -> int:
    """Collective-defence decisions owed (one per ally per attack)."""
    return m.owed


def assistance_given(m: World) -> int:
    """Of those, how many were honoured."""
    return m.given


def honour_rate(m: World) -> float:
    """Assistance given / assistance owed (NaN when nothing was owed)."""
    return m.given / m.owed if m.owed else math.nan


def exits(m: World) -> int:
    """Number of states that left a bloc."""
    return len(m.exits)


def first_exit_week(m: World) -> int | None:
    """Week of the first exit taking effect (null if none)."""
    return m.exits[0][0] if m.exits else None


def dissolutions(m: World) -> int:
    """Number of blocs that dissolved."""
    return sum(1 for b in m.blocs.values() if b.dissolved_week is not None)


def target_stability(m: World) -> float:
    """The focus target's stability at the end (NaN without a focus)."""
    return m.states[m.focus].stability if m.focus in m.states else math.nan


def ct_owed(m: World) -> int:
    """Counter-terrorism assistance decisions owed (one per ally per call under Art. 6 and its kin)."""
    return m.ct_owed


def ct_given(m: World) -> int:
    """Of those, how many were honoured (forces sent)."""
    return m.ct_given


def ct_honour_rate(m: World) -> float:
    """Counter-terrorism assistance given / owed (NaN when nothing was owed)."""
    return m.ct_given / m.ct_owed if m.ct_owed else math.nan


def coups(m: World) -> int:
    """Coups in the run, scheduled and endogenous."""
    return len(m.coup_record)


def endogenous_coups(m: World) -> int:
    """Coups from the optional coup hazard."""
    return sum(1 for _, _, how in m.coup_record if how is CoupOrigin.ENDOGENOUS)


def first_endogenous_coup_week(m: World) -> int | None:
    """Week of the first coup from the hazard (null if none)."""
    weeks = [w for w, _, how in m.coup_record if how is CoupOrigin.ENDOGENOUS]
    return weeks[0] if weeks else None


def target_outcome(m: World) -> str:
    """What the focus target did under pressure: "yielded", "timetable" or "dug_in"."""
    c = m.focus_crisis()
    return c.concession if c is not None and c.concession is not None else "dug_in"


def concession_week(m: World) -> int | None:
    """Week the focus target conceded (null if it dug in)."""
    c = m.focus_crisis()
    return c.concession_week if c is not None else None


def pledges_withheld(m: World) -> int:
    """Pledges the focus bloc's members' legislatures withheld from force against the focus target."""
    c = m.focus_crisis()
    return len(c.withheld) if c is not None else 0


OUTCOMES: dict[str, Callable[[World], Any]] = {
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
    "ct_owed": ct_owed,
    "ct_given": ct_given,
    "ct_honour_rate": ct_honour_rate,
    "coups": coups,
    "endogenous_coups": endogenous_coups,
    "first_endogenous_coup_week": first_endogenous_coup_week,
    "target_outcome": target_outcome,
    "concession_week": concession_week,
    "pledges_withheld": pledges_withheld,
}


# --- outcomes named after the scenario's entities ---------------------------------------------------

def scenario_years(m: World) -> list[int]:
    """Calendar years the run's weeks fall in (by each week's middle day)."""
    first = (m.spec.start + dt.timedelta(days=4)).year
    last = (m.spec.start + dt.timedelta(weeks=m.n_weeks, days=-3)).year
    return list(range(first, last + 1))


def armed_group_outcomes(m: World) -> dict[str, Any]:
    """Per armed group: ``<group>_strength_end`` (fighters), ``<group>_attacks_<year>`` and
    ``<group>_deaths_<year>``; per state where jihadists fight: ``terror_deaths_<state>_<year>`` (the
    Global Terrorism Index's measure, FACTS §3); per accord: ``accord_collapse_week_<group>``."""
    out: dict[str, Any] = {}
    years = scenario_years(m)
    for gid, g in m.groups.items():
        out[f"{gid}_strength_end"] = round(g.total_strength(), 1)
        for y in years:
            out[f"{gid}_attacks_{y}"] = g.attacks_year.get(y, 0)
            out[f"{gid}_deaths_{y}"] = g.deaths_year.get(y, 0)
        if g.spec.accord is not None:
            out[f"accord_collapse_week_{gid}"] = g.accord_collapse_week
    terror_states = [s for s in m.theatre if any(g.terrorist and s in g.strength for g in m.groups.values())]
    for sid in terror_states:
        for y in years:
            out[f"terror_deaths_{sid}_{y}"] = m.deaths_state_year.get((sid, y), 0)
    return out


def presence_outcomes(m: World) -> dict[str, Any]:
    """Per external power and host: ``withdrawal_week_<power>_<host>`` (last troops out) for every host
    it starts in, ``entry_week_<power>_<host>`` for every host it may enter as a patron (null if not)."""
    out: dict[str, Any] = {}
    for pid, pw in m.powers.items():
        for host in pw.initial:
            out[f"withdrawal_week_{pid}_{host}"] = pw.withdrawn.get(host)
        for host in pw.spec.patron_for:
            if host not in pw.initial:
                out[f"entry_week_{pid}_{host}"] = pw.entered.get(host)
    return out


def bloc_outcomes(m: World) -> dict[str, Any]:
    """Per bloc: ``exits_<bloc>`` (count), ``first_exit_week_<bloc>``, ``first_notice_week_<bloc>``
    (first exit notice) and ``dissolution_week_<bloc>`` (null when it did not happen)."""
    out: dict[str, Any] = {}
    notices: dict[str, int] = {}
    for r in m.log.rows:
        if r.kind is LogKind.EXIT_NOTICE and r.target not in notices:
            notices[r.target] = r.week
    for bid, b in m.blocs.items():
        ex = [w for w, _, x in m.exits if x == bid]
        out[f"exits_{bid}"] = len(ex)
        out[f"first_exit_week_{bid}"] = ex[0] if ex else None
        out[f"first_notice_week_{bid}"] = notices.get(bid)
        out[f"dissolution_week_{bid}"] = b.dissolved_week
    return out


DYNAMIC_OUTCOMES: list[Callable[[World], dict[str, Any]]] = [
    armed_group_outcomes,
    presence_outcomes,
    bloc_outcomes,
]


class _NullableIntNames(frozenset[str]):
    """The outcome columns stored as nullable integers: the fixed names, and every ``*_week`` or
    ``*_week_*`` column named after a scenario's entities. ``names & columns`` gives those present."""

    def __and__(self, other: Any) -> frozenset[str]:  # type: ignore[override]
        return frozenset(c for c in other if c in set(self) or c.endswith("_week") or "_week_" in c)

    __rand__ = __and__


# Columns whose null means "did not happen": stored as nullable integers.
NULLABLE_INT_OUTCOMES = _NullableIntNames({"intervention_week", "standby_week", "first_exit_week",
                                            "first_endogenous_coup_week", "concession_week"})


def compute_outcomes(m: World) -> dict[str, Any]:
    """Every declared outcome of a finished run: :data:`OUTCOMES`, then :data:`DYNAMIC_OUTCOMES`."""
    out = {name: fn(m) for name, fn in OUTCOMES.items()}
    for fn in DYNAMIC_OUTCOMES:
        out.update(fn(m))
    return out
