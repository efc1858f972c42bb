"""The census of episodes: which events are episodes, their horizon, and each member's state at the start.

The rules are written in docs/history.md ("The rules") and applied here to every event alike:

* :func:`classify` applies C1-C4 to rows of the Cline Center Coup d'Etat Project (v2.1.2) and says, for
  each, whether it is an episode and by which rule it was kept or excluded;
* :func:`horizon_end` is rule H: 52 weeks from the trigger, or the day before the next census trigger in
  the same state;
* :func:`regime_at` and :func:`suspended_at` read the companion tables ``regimes.csv`` and
  ``suspensions.csv`` of ``scenarios/history`` (rules E1, E2).

``scenarios/history/census.csv`` keeps every candidate row with its decision, so the census can be
re-derived (:func:`classify` of its own Cline columns) and checked against the episode files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = [
    "COW_ISO3",
    "HORIZON_DAYS",
    "MEMBERSHIP",
    "classify",
    "horizon_end",
    "is_member",
    "load_census",
    "load_regimes",
    "load_suspensions",
    "regime_at",
    "suspended_at",
]

HORIZON_DAYS = 364  # rule H: 52 weeks

# Correlates-of-War codes of the ECOWAS states (the Cline file's ``cowcode``)
COW_ISO3 = {434: "BEN", 439: "BFA", 402: "CPV", 437: "CIV", 420: "GMB", 452: "GHA", 438: "GIN", 404: "GNB",
            450: "LBR", 432: "MLI", 435: "MRT", 436: "NER", 475: "NGA", 433: "SEN", 451: "SLE", 461: "TGO"}

_FAR = dt.date(2100, 1, 1)
# ECOWAS membership windows within 1991-2025 (rule C2): Mauritania left in 2000 (the date is the end of the
# year of its withdrawal: an approximation, the exact day unsourced); the AES states' exit took effect on
# 29 Jan 2025 (FACTS §1 [PUNCH2, ALLA]).
MEMBERSHIP: dict[str, tuple[dt.date, dt.date]] = {
    **{s: (dt.date(1975, 5, 28), _FAR) for s in COW_ISO3.values()},
    "MRT": (dt.date(1975, 5, 28), dt.date(2000, 12, 31)),
    "MLI": (dt.date(1975, 5, 28), dt.date(2025, 1, 29)),
    "BFA": (dt.date(1975, 5, 28), dt.date(2025, 1, 29)),
    "NER": (dt.date(1975, 5, 28), dt.date(2025, 1, 29)),
}
CENSUS_FROM = dt.date(1991, 1, 1)
CENSUS_TO = dt.date(2025, 12, 31)


def is_member(state: str, day: dt.date) -> bool:
    """Whether ``state`` was an ECOWAS member on ``day`` (rule C2)."""
    lo, hi = MEMBERSHIP.get(state, (_FAR, _FAR))
    return lo <= day < hi


def _date(row: pd.Series) -> dt.date:
    return dt.date(int(row["year"]), int(row["month"]), int(row["day"]))


def classify(cline: pd.DataFrame) -> pd.DataFrame:
    """Rules C1-C4 over rows of the Cline file (its own column names).

    Returns one row per input row with ``state`` (ISO3), ``date``, ``included`` (bool), ``rule`` (the rule
    that excluded it, or "C1-C4" when kept) and ``reason``. Rows of countries outside ``COW_ISO3`` or
    outside 1991-2025 are dropped.
    """
    rows = []
    d = cline[cline["cowcode"].isin(COW_ISO3)].copy()
    d["date"] = [_date(r) for _, r in d.iterrows()]
    d = d[(d["date"] >= CENSUS_FROM) & (d["date"] <= CENSUS_TO)].sort_values(["date", "cowcode"])
    kept: list[tuple[str, dt.date]] = []
    for _, r in d.iterrows():
        state, day = COW_ISO3[int(r["cowcode"])], r["date"]
        armed = any(int(r[c]) == 1 for c in ("military", "rebel", "dissident"))
        if int(r["realized"]) != 1:
            rule, reason = "C1", f"not realised (Cline: {r['event_type']})"
        elif not is_member(state, day):
            rule, reason = "C2", "not an ECOWAS member on that date"
        elif not armed:
            flags = [c for c in ("palace", "foreign", "resign", "popular", "counter", "other") if int(r[c]) == 1]
            rule, reason = "C3", "no military, rebel or dissident perpetrator (Cline: " + ", ".join(flags) + ")"
        elif int(r["counter"]) == 1 and any(s == state and (day - k).days <= HORIZON_DAYS for s, k in kept):
            rule, reason = "C4", "counter-coup restoring the government deposed by an open census episode"
        else:
            rule, reason = "C1-C4", "realised coup by armed men in a member"
            kept.append((state, day))
        rows.append({"coup_id": str(r["coup_id"]), "state": state, "date": day,
                     "included": rule == "C1-C4", "rule": rule, "reason": reason})
    return pd.DataFrame(rows)


def horizon_end(state: str, start: dt.date, triggers: Iterable[tuple[str, dt.date]]) -> dt.date:
    """Rule H: the last day of an episode that starts on ``start`` in ``state``.

    52 weeks (364 days) after the trigger, or the day before the next census trigger in the same state
    when that comes first. ``triggers`` are the (state, date) of every census episode.
    """
    end = start + dt.timedelta(days=HORIZON_DAYS)
    later = [d for s, d in triggers if s == state and start < d <= end]
    return min(later) - dt.timedelta(days=1) if later else end


def _read(path: Path) -> pd.DataFrame:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in ("from", "to", "date", "start", "end"):
        if c in t.columns:
            t[c] = [dt.date.fromisoformat(v) if v else None for v in t[c]]
    return t


def load_census(directory: str | Path) -> pd.DataFrame:
    """``census.csv`` of an episode directory: one row per candidate event, with its decision."""
    t = _read(Path(directory) / "census.csv")
    t["included"] = t["included"].map({"True": True, "False": False})
    return t


def load_regimes(directory: str | Path) -> pd.DataFrame:
    """``regimes.csv``: spells of military or transitional rule (state, regime, from, to, source)."""
    return _read(Path(directory) / "regimes.csv")


def load_suspensions(directory: str | Path) -> pd.DataFrame:
    """``suspensions.csv``: spells of suspension by a bloc (bloc, state, from, to, source)."""
    return _read(Path(directory) / "suspensions.csv")


def regime_at(regimes: pd.DataFrame, state: str, start: dt.date) -> str:
    """The regime of ``state`` on the eve of a trigger on ``start`` (rule E1).

    A spell covers [from, to); a state in no spell is civilian.
    """
    eve = start - dt.timedelta(days=1)
    for r in regimes[regimes["state"] == state].itertuples(index=False):
        if r[2] <= eve < r[3]:  # from, to
            return str(r.regime)
    return "civilian"


def suspended_at(suspensions: pd.DataFrame, bloc: str, start: dt.date) -> list[str]:
    """The members ``bloc`` had suspended on the eve of a trigger on ``start`` (rule E2), sorted."""
    eve = start - dt.timedelta(days=1)
    t = suspensions[suspensions["bloc"] == bloc]
    return sorted({str(r.state) for r in t.itertuples(index=False) if r[2] <= eve < r[3]})
