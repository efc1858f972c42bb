"""State replay: each run's memberships, regimes, alliance links and rungs at a date, rebuilt from the
scenario's starting state and the stored event log and timeline (never from a live model).

The maps and networks draw from these tables; :func:`modal` summarises them across runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from sim.enums import LogKind, Rung
from sim.figures.tables import records

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = ["MEMBERSHIP_KINDS", "STATUS_ORDER", "links_at", "membership_at", "modal", "regimes_at", "run_ids", "rung_at"]

STATUS_ORDER = ("member", "suspended", "leaving", "left")  # of a state in a bloc, strongest tie first
# The log kinds that change a membership: a state gives notice and leaves, is suspended and readmitted,
# or its bloc dissolves. (Nothing in the model makes a state join a bloc during a run.)
MEMBERSHIP_KINDS = (LogKind.EXIT_NOTICE, LogKind.EXIT, LogKind.SUSPEND, LogKind.READMIT, LogKind.DISSOLUTION)


def _by_run(ev: pd.DataFrame) -> dict[int, pd.DataFrame]:
    if ev.empty:
        return {}
    return {int(k): g for k, g in ev.groupby("run_id")}  # type: ignore[arg-type, call-overload]


def run_ids(*tables: pd.DataFrame) -> list[int]:
    """The run ids in any of the tables (``[0]`` when none has any: a single unnamed run)."""
    ids: set[int] = set()
    for t in tables:
        if not t.empty and "run_id" in t.columns:
            ids.update(int(r) for r in t["run_id"].unique())
    return sorted(ids) or [0]


def _events_until(events: pd.DataFrame, date: str, kinds: Iterable[str]) -> pd.DataFrame:
    if events.empty:
        return pd.DataFrame(columns=["run_id", "date", "kind", "actor", "target", "details"])
    e = events[events["kind"].isin([str(k) for k in kinds]) & (events["date"].astype(str) <= date)]
    if "run_id" not in e.columns:
        e = e.assign(run_id=0)
    return e.sort_values(["run_id", "week", "date"], kind="stable")


def rung_at(timeline: pd.DataFrame, date: str) -> pd.DataFrame:
    """run_id, actor (bloc), target, value: each crisis's rung in the last week on or before ``date``."""
    if timeline.empty:
        return pd.DataFrame(columns=["run_id", "actor", "target", "value"])
    r = timeline[(timeline["variable"] == "rung") & (timeline["date"].astype(str) <= date)]
    if r.empty:
        return pd.DataFrame(columns=["run_id", "actor", "target", "value"])
    last = r["week"].max()
    return r[r["week"] == last][["run_id", "actor", "target", "value"]]


def membership_at(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame, date: str | dt.date,
                  ) -> pd.DataFrame:
    """Every run's bloc memberships at ``date``: columns run_id, bloc, state, status.

    ``status`` is ``member``, ``suspended`` (by a scheduled suspension, or because the bloc's response
    to the state stands at the suspension rung or higher), ``leaving`` (notice given) or ``left``
    (exit taken effect, or the bloc dissolved). Built from the scenario's starting memberships and the
    stored events and timeline; never from a live model.
    """
    day = str(date)
    ev = _events_until(events, day, MEMBERSHIP_KINDS)
    rungs = rung_at(timeline, day)
    susp_rung = {(int(r["run_id"]), str(r["actor"]), str(r["target"]))
                 for r in records(rungs) if float(r["value"]) >= int(Rung.SUSPEND)}
    rows = []
    by_run = _by_run(ev)
    for run_id in run_ids(events, timeline):
        status: dict[tuple[str, str], str] = {}
        for bid, b in scenario.blocs.items():
            if not b.exists:
                continue
            for m in b.members:
                status[(bid, m)] = "suspended" if m in b.suspended else "member"
        g = by_run.get(run_id)
        if g is not None:
            for e in records(g):
                kind, actor, target = str(e["kind"]), str(e["actor"]), str(e["target"])
                states = [a for a in actor.split(",") if a]  # a joint notice names several states
                if kind in (LogKind.EXIT_NOTICE, LogKind.EXIT):
                    new = "leaving" if kind == LogKind.EXIT_NOTICE else "left"
                    for a in states:
                        status[(target, a)] = new
                elif kind == LogKind.SUSPEND:
                    status[(actor, target)] = "suspended"
                elif kind == LogKind.READMIT and status.get((actor, target)) == "suspended":
                    status[(actor, target)] = "member"
                elif kind == LogKind.DISSOLUTION:
                    for key in status:
                        if key[0] == actor:
                            status[key] = "left"
        for (bid, sid), st in sorted(status.items()):
            if st == "member" and (run_id, bid, sid) in susp_rung:
                st = "suspended"
            rows.append((run_id, bid, sid, st))
    return pd.DataFrame(rows, columns=["run_id", "bloc", "state", "status"])


def regimes_at(scenario: Scenario, events: pd.DataFrame, date: str | dt.date) -> pd.DataFrame:
    """Every run's regimes at ``date``: columns run_id, state, regime (a coup makes a state military)."""
    day = str(date)
    ev = _events_until(events, day, (LogKind.COUP, LogKind.SET))
    by_run = _by_run(ev)
    rows = []
    for run_id in run_ids(events):
        regime = {sid: str(s.regime) for sid, s in scenario.states.items()}
        g = by_run.get(run_id)
        if g is not None:
            for e in records(g):
                actor = str(e["actor"])
                if e["kind"] == LogKind.COUP and actor in regime:
                    regime[actor] = "military"
                elif e["kind"] == LogKind.SET:
                    d = json.loads(str(e["details"]) or "{}")
                    if d.get("field") == "regime" and actor in regime:
                        regime[actor] = str(d.get("new"))
        rows += [(run_id, sid, r) for sid, r in sorted(regime.items())]
    return pd.DataFrame(rows, columns=["run_id", "state", "regime"])


def links_at(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame, date: str | dt.date,
             membership: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every run's alliance links at ``date``: columns run_id, kind, a, b, ref.

    ``mutual_defence``: both states are parties (member, suspended or leaving) of a bloc whose treaty
    has a collective-defence clause in force (a, b sorted). ``declaration``: a declared it would defend
    b. ``war``: a is fighting b (an intervention not yet ended).
    """
    day = str(date)
    mem = membership if membership is not None else membership_at(scenario, events, timeline, day)
    parties = mem[mem["status"] != "left"]
    clauses = []
    for tid, t in scenario.treaties.items():
        if t.in_force is not None and str(t.in_force) > day:
            continue
        for cid, c in t.clauses.items():
            if str(c.kind) == "collective_defence":
                clauses.append((t.bloc, f"{tid}.{cid}"))
    rows: list[tuple[int, str, str, str, str]] = []
    parts: dict[tuple[int, str], list[str]] = {}
    for r in records(parties):
        parts.setdefault((int(r["run_id"]), str(r["bloc"])), []).append(str(r["state"]))
    for (run_id, bid), states in sorted(parts.items()):
        for bloc, ref in clauses:
            if bloc != bid:
                continue
            members = sorted(states)
            rows += [(run_id, "mutual_defence", a, b, ref)
                     for i, a in enumerate(members) for b in members[i + 1:]]
    ev = _events_until(events, day, (LogKind.DECLARATION, LogKind.INTERVENTION, LogKind.WAR_END))
    for run_id, g in sorted(_by_run(ev).items()):
        wars: dict[tuple[str, str], list[str]] = {}
        for e in records(g):
            actor, target = str(e["actor"]), str(e["target"])
            if e["kind"] == LogKind.DECLARATION:
                rows += [(run_id, "declaration", a, target, str(e["clause"])) for a in actor.split(",") if a]
            elif e["kind"] == LogKind.INTERVENTION:
                d = json.loads(str(e["details"]) or "{}")
                wars[(actor, target)] = sorted(d.get("attackers", {}))
            elif e["kind"] == LogKind.WAR_END:
                wars.pop((actor, target), None)
        for (_, tgt), attackers in sorted(wars.items()):
            rows += [(run_id, "war", a, tgt, "intervention") for a in attackers]
    return pd.DataFrame(rows, columns=["run_id", "kind", "a", "b", "ref"])


def modal(df: pd.DataFrame, keys: list[str], col: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """The most common value of ``col`` per key across runs, with its share of runs."""
    n_runs = df["run_id"].nunique() if not df.empty else 1
    counts = df.groupby([*keys, col]).size().rename("n").reset_index()
    rank = {v: i for i, v in enumerate(order or [])}
    counts["rank"] = counts[col].map(lambda v: rank.get(v, len(rank)))
    counts = counts.sort_values([*keys, "n", "rank"], ascending=[True] * len(keys) + [False, True],
                                kind="stable")
    top = counts.drop_duplicates(keys).copy()
    top["share"] = top["n"] / n_runs
    return top[[*keys, col, "share"]].reset_index(drop=True)


