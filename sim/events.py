"""The event log: what happened, which clause or rule fired, and the numbers behind the decision."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from sim.enums import LogKind

__all__ = ["EVENT_COLUMNS", "EventLog", "LogRecord"]

EVENT_COLUMNS = ["week", "date", "kind", "actor", "target", "clause", "text", "details"]


def _round(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, dict):
        return {k: _round(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_round(x) for x in v]
    return v


class LogRecord(NamedTuple):
    """One row of the event log (the columns of :data:`EVENT_COLUMNS`; ``details`` not yet encoded)."""

    week: int
    date: str  # ISO date
    kind: LogKind
    actor: str
    target: str
    clause: str
    text: str
    details: dict[str, Any]


@dataclass
class EventLog:
    """Append-only list of events of one run."""

    rows: list[LogRecord] = field(default_factory=list)

    def add(
        self,
        week: int,
        date: dt.date,
        kind: LogKind,
        actor: str,
        target: str,
        clause: str,
        text: str,
        **details: Any,
    ) -> None:
        """Record one event.

        Args:
            kind: what happened (:class:`~sim.enums.LogKind`: ``coup``, ``rung_up``, ``assist`` ...).
            actor, target: ids of who acted and on whom ("" if none).
            clause: the clause or rule that fired, e.g. ``liptako_gourma.art6`` or ``rule:support``.
            text: one plain-language sentence for the instructor's feed.
            details: the numbers behind the decision; copied (rounded) now, written as JSON by
                :meth:`frame` (so a run that keeps no event table never pays for the encoding).
        """
        self.rows.append(LogRecord(week, date.isoformat(), kind, actor, target, clause, text, _round(details)))

    def frame(self) -> pd.DataFrame:
        """The events as a table; ``details`` as canonical JSON text."""
        rows = [(r.week, r.date, str(r.kind), r.actor, r.target, r.clause, r.text,
                 json.dumps(r.details, sort_keys=True, separators=(",", ":"))) for r in self.rows]
        return pd.DataFrame(rows, columns=EVENT_COLUMNS)

    def __len__(self) -> int:
        return len(self.rows)
