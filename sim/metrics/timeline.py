"""The timeline: declared reporters, each a named function, and the recorder that collects them weekly.

Named functions (not lambdas) so that they pickle across processes. The timeline is tidy: one row per
week, variable and entity (``actor`` and, for relations, ``target``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.enums import ClauseKind, ScheduledKind
from sim.world import Crisis, World

if TYPE_CHECKING:
    from sim.agents import StateAgent

__all__ = ["CRISIS_VARIABLES", "STATE_VARIABLES", "THEATRE_MODEL_VARIABLES", "THEATRE_STATE_VARIABLES",
           "TIMELINE_COLUMNS", "TimelineRecorder"]

TIMELINE_COLUMNS = ["week", "date", "variable", "actor", "target", "value"]


def _reads(attribute: str) -> Callable[[Callable[..., float]], Callable[..., float]]:
    """Mark a reporter that returns a float attribute unchanged, so the recorder may read it directly."""
    def mark(fn: Callable[..., float]) -> Callable[..., float]:
        fn.attribute = attribute  # type: ignore[attr-defined]
        return fn
    return mark


@_reads("personnel")
def personnel(s: StateAgent) -> float:
    """Active personnel, persons."""
    return s.personnel


@_reads("deployed")
def deployed(s: StateAgent) -> float:
    """Personnel deployed abroad (assistance, interventions), persons."""
    return s.deployed


@_reads("stability")
def stability(s: StateAgent) -> float:
    """Regime stability, 0-1."""
    return s.stability


def rung(c: Crisis) -> float:
    """The bloc's current rung against the target (0 = none ... 6 = intervention)."""
    return float(int(c.rung))


def home_ci_force(s: StateAgent) -> float:
    """Persons fighting insurgents at home: the counter-insurgency share plus part of the reserve."""
    return s.home_fighting_force()


@_reads("ct_abroad")
def ct_abroad(s: StateAgent) -> float:
    """Persons on counter-terrorism tours in allied states (missing at home), persons."""
    return s.ct_abroad


@_reads("threat")
def threat(s: StateAgent) -> float:
    """Insurgent threat at home, 0-1."""
    return s.threat


def ct_received(m: World) -> dict[str, float]:
    """Allied persons on counter-terrorism tours in each state."""
    out: dict[str, float] = {}
    for x in m.ct_missions:
        out[x.host] = out.get(x.host, 0.0) + x.persons
    return out


def external_troops(m: World) -> dict[str, float]:
    """External powers' troops in each state."""
    out: dict[str, float] = {}
    for pw in m.powers.values():
        for host, n in pw.troops.items():
            out[host] = out.get(host, 0.0) + n
    return out


def ci_pressure(m: World) -> dict[str, float]:
    """Effective counter-insurgency force in each theatre state (as this week's attacks met it)."""
    return m.pressure


def insurgent_attacks(m: World) -> dict[str, int]:
    """Attacks by all armed groups in each state this week."""
    return m.attacks_week


def insurgent_deaths(m: World) -> dict[str, int]:
    """Deaths from all armed groups' attacks in each state this week."""
    return m.deaths_week


STATE_VARIABLES: dict[str, Callable[[StateAgent], float]] = {
    "personnel": personnel,
    "deployed": deployed,
    "stability": stability,
}
CRISIS_VARIABLES: dict[str, Callable[[Crisis], float]] = {"rung": rung}
# Recorded for the states where armed groups or external powers are (the model's ``theatre``).
THEATRE_STATE_VARIABLES: dict[str, Callable[[StateAgent], float]] = {
    "home_ci_force": home_ci_force,
    "ct_abroad": ct_abroad,
    "threat": threat,
}
# Reporters over the model that give one value per state at once (a state absent from the dict is 0).
THEATRE_MODEL_VARIABLES: dict[str, Callable[[World], Mapping[str, float]]] = {
    "ct_received": ct_received,
    "external_troops": external_troops,
    "ci_pressure": ci_pressure,
    "insurgent_attacks": insurgent_attacks,
    "insurgent_deaths": insurgent_deaths,
}


def _getter(fn: Callable[[Any], float]) -> Callable[[Any], float]:
    """The fastest equivalent of a reporter: ``attrgetter`` for one marked with :func:`_reads`."""
    attr = getattr(fn, "attribute", None)
    return attrgetter(attr) if attr else fn


class TimelineRecorder:
    """Collects the declared variables every week into tidy rows.

    Rows are kept as one value vector per entity set and week; the key columns (variable, actor, target)
    of an entity set are built once, and :meth:`frame` assembles the table with NumPy repeats and tiles
    instead of one Python tuple per row. Rows come out week by week, in the order of declaration.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.extra_groups: list[tuple[Callable[[World], list[tuple[str, str, Any]]],
                                      dict[str, Callable[[Any], float]]]] = []
        # per key set: the variable, actor and target columns
        self._keys: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._key_index: dict[tuple[Any, ...], int] = {}
        self._strings: list[str] = []
        self._string_index: dict[str, int] = {}
        self._blocks: list[tuple[int, int, list[float]]] = []  # (week, key set, values)
        self._dates: dict[int, str] = {}
        m = world
        self._states = list(m.states.values())
        self._theatre = [m.states[s] for s in m.theatre]
        self._group_cells = [(g, sid) for g in m.groups.values() for sid in g.strength]
        self._accords = [g for g in m.groups.values() if g.accord_status is not None]
        hosts: list[tuple[Any, str]] = []
        for pw in m.powers.values():
            seen = list(pw.troops) + [h for h in pw.spec.patron_for if h not in pw.troops]
            seen += [e.target for e in m.spec.events.values()
                     if e.kind in (ScheduledKind.WITHDRAWAL, ScheduledKind.DEPLOY) and pw.pid in e.actors()
                     and e.target is not None
                     and e.target not in seen]
            hosts.extend((pw, h) for h in seen)
        self._power_cells = hosts
        self._grievance_pairs = [
            (sid, bid) for bid, b in m.blocs.items()
            if any(c.bloc == bid and c.spec.kind is ClauseKind.EXIT for c in m.treaties.all_clauses())
            for sid in b.members if sid in m.theatre]
        self._theatre_model_fns = list(THEATRE_MODEL_VARIABLES.values()) if m.theatre else []
        # per agent reporter: a direct attribute read where the reporter declares one
        self._agent_getters: list[tuple[Callable[[Any], float], list[Any]]] = [
            (_getter(fn), self._states) for fn in STATE_VARIABLES.values()]
        self._agent_getters += [(_getter(fn), self._theatre) for fn in THEATRE_STATE_VARIABLES.values()]
        self._static = self._key_set(("static",), self._static_keys())
        # one row per week (0 .. n_weeks) of the static key set, filled in place
        self._static_rows = np.zeros((m.n_weeks + 1, len(self._keys[self._static][0])))
        self._static_weeks: list[int] = []

    def _key_set(self, ident: tuple[Any, ...], keys: list[tuple[str, str, str]]) -> int:
        idx = self._key_index.get(ident)
        if idx is None:
            idx = len(self._keys)
            self._key_index[ident] = idx
            codes = np.array([[self._code(x) for x in key] for key in keys], dtype=np.int32).reshape(-1, 3)
            self._keys.append((codes[:, 0], codes[:, 1], codes[:, 2]))
        return idx

    def _code(self, text: str) -> int:
        """The index of ``text`` in the recorder's string table (key columns are stored as codes)."""
        c = self._string_index.get(text)
        if c is None:
            c = self._string_index[text] = len(self._strings)
            self._strings.append(text)
        return c

    def _strings_column(self, codes: np.ndarray) -> Any:
        """A pandas string column from codes into the string table, built in Arrow without a Python loop."""
        arr = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()),
                                             pa.array(self._strings, type=pa.string()))
        return pd.array(arr.cast(pa.string()), dtype="str")

    def _static_keys(self) -> list[tuple[str, str, str]]:
        m = self.world
        keys = [(name, s.sid, "") for name in STATE_VARIABLES for s in self._states]
        keys += [(name, s.sid, "") for name in THEATRE_STATE_VARIABLES for s in self._theatre]
        keys += [(name, sid, "") for name in THEATRE_MODEL_VARIABLES for sid in m.theatre]
        for name in ("group_strength", "group_attacks", "group_deaths"):
            keys += [(name, g.gid, sid) for g, sid in self._group_cells]
        keys += [("accord", g.gid, g.accord_state or "") for g in self._accords]
        keys += [("troops", pw.pid, h) for pw, h in self._power_cells]
        keys += [("bloc_members", bid, "") for bid in m.blocs]
        keys += [("grievance", sid, bid) for sid, bid in self._grievance_pairs]
        return keys

    def add_group(self, entities: Callable[[World], list[tuple[str, str, Any]]],
                  variables: dict[str, Callable[[Any], float]]) -> None:
        """Declare another kind of entity to record: ``entities(model)`` gives (actor, target, object)."""
        self.extra_groups.append((entities, variables))

    def collect(self) -> None:
        m = self.world
        w = m.week
        self._dates[w] = m.date.isoformat()
        vals: list[float] = []
        ext = vals.extend
        for getter, agents in self._agent_getters:
            ext(map(getter, agents))
        for mfn in self._theatre_model_fns:
            per_state = mfn(m)
            ext([per_state.get(sid, 0.0) for sid in m.theatre])
        ext([g.strength[sid] for g, sid in self._group_cells])
        ext([float(g.attacks_week[sid]) for g, sid in self._group_cells])
        ext([float(g.deaths_week[sid]) for g, sid in self._group_cells])
        ext([float(int(g.accord_status)) if g.accord_status is not None else 0.0 for g in self._accords])
        ext([pw.troops.get(h, 0.0) for pw, h in self._power_cells])
        ext([float(len(b.members)) if b.exists else 0.0 for b in m.blocs.values()])
        ext([m.grievance.get(pair, 0.0) for pair in self._grievance_pairs])
        if w < len(self._static_rows):
            self._static_rows[w] = vals
            self._static_weeks.append(w)
        else:  # a model run past its scenario's end
            self._blocks.append((w, self._static, vals))
        if m.crises:
            crises = list(m.crises.values())
            ident: tuple[Any, ...] = ("crises", *(c.key for c in crises))
            keys = [(name, c.bloc, c.target) for name in CRISIS_VARIABLES for c in crises]
            k = self._key_set(ident, keys)
            self._blocks.append((w, k, [float(cfn(c)) for cfn in CRISIS_VARIABLES.values() for c in crises]))
        for gi, (entities, variables) in enumerate(self.extra_groups):
            ents = entities(m)
            ident = ("extra", gi, *((a, t) for a, t, _ in ents))
            keys = [(name, a, t) for name in variables for a, t, _ in ents]
            k = self._key_set(ident, keys)
            self._blocks.append((w, k, [float(vfn(o)) for vfn in variables.values() for _, _, o in ents]))

    @property
    def rows(self) -> list[tuple[int, str, str, str, str, float]]:
        """The rows as tuples (for small inspections; :meth:`frame` is the fast path)."""
        df = self.frame()
        return list(df.itertuples(index=False, name=None))

    def frame(self) -> pd.DataFrame:
        """The timeline as a tidy table (columns :data:`TIMELINE_COLUMNS`), week by week."""
        if not self._blocks and not self._static_weeks:
            return pd.DataFrame({c: [] for c in TIMELINE_COLUMNS})
        weeks_l, var_l, act_l, tgt_l, val_l = [], [], [], [], []
        if self._static_weeks:
            var, act, tgt = self._keys[self._static]
            sw = np.asarray(self._static_weeks, dtype=np.int64)
            n = len(var)
            weeks_l.append(np.repeat(sw, n))
            var_l.append(np.tile(var, len(sw)))
            act_l.append(np.tile(act, len(sw)))
            tgt_l.append(np.tile(tgt, len(sw)))
            val_l.append(self._static_rows[sw].reshape(-1))
        # Group consecutive-week blocks by key set; keep week-major order with a stable sort at the end.
        by_key: dict[int, tuple[list[int], list[list[float]]]] = {}
        for w, k, v in self._blocks:
            if not v:
                continue
            ws, vs = by_key.setdefault(k, ([], []))
            ws.append(w)
            vs.append(v)
        for k, (ws, vs) in by_key.items():
            var, act, tgt = self._keys[k]
            n = len(var)
            weeks_l.append(np.repeat(np.asarray(ws, dtype=np.int64), n))
            var_l.append(np.tile(var, len(ws)))
            act_l.append(np.tile(act, len(ws)))
            tgt_l.append(np.tile(tgt, len(ws)))
            val_l.append(np.asarray(vs, dtype=float).reshape(-1))
        week = np.concatenate(weeks_l)
        order = np.argsort(week, kind="stable")
        week = week[order]
        date_codes = np.array([self._code(self._dates[x]) for x in range(int(week.max()) + 1)],
                              dtype=np.int32)
        return pd.DataFrame({
            "week": week,
            "date": self._strings_column(date_codes[week]),
            "variable": self._strings_column(np.concatenate(var_l)[order]),
            "actor": self._strings_column(np.concatenate(act_l)[order]),
            "target": self._strings_column(np.concatenate(tgt_l)[order]),
            "value": np.concatenate(val_l)[order],
        })
