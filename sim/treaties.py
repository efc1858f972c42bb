"""Treaty clauses as data: which clauses are in force, who they bind, and who they protect.

Every clause kind uses the same machinery; a country never has a code path of its own. A unilateral
declaration of support (Mali and Burkina Faso for Niger, 31 Jul 2023) is recorded as a temporary
collective-defence commitment with the declaration's bindingness.

Queries are memoised: the registry's answers change only when a clause enters into force or lapses, a
declaration is made, or a bloc's membership changes (the model calls :meth:`TreatyRegistry.invalidate`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.enums import ClauseKind, Decider, Obligation, TriggerEvent
from sim.scenario.spec import ClauseSpec, Scenario

__all__ = ["ActiveClause", "Commitment", "TreatyRegistry"]


@dataclass(frozen=True, slots=True)
class ActiveClause:
    """A clause of a treaty, with the ids that name it in events."""

    treaty: str
    cid: str
    bloc: str
    spec: ClauseSpec

    @property
    def ref(self) -> str:
        return f"{self.treaty}.{self.cid}"


@dataclass(frozen=True, slots=True)
class Commitment:
    """An ally's commitment to defend a protected state, from a clause or a declaration."""

    ally: str
    protected: str
    bindingness: float
    ref: str  # clause reference or "declaration:<event id>"
    decides: Decider


class TreatyRegistry:
    """Clauses in force and the declarations made, queried by the model's phases."""

    def __init__(self, scenario: Scenario) -> None:
        self._all: list[tuple[dt.date | None, ActiveClause]] = []
        for tid, t in scenario.treaties.items():
            for cid, c in t.clauses.items():
                self._all.append((t.in_force, ActiveClause(tid, cid, t.bloc, c)))
        self.active: list[ActiveClause] = []
        self.declarations: list[Commitment] = []
        self.start = scenario.start
        self._memo: dict[tuple[object, ...], object] = {}
        self._pending: list[tuple[dt.date | None, ActiveClause]] = list(self._all)  # not yet in force
        self.version = 0  # bumped whenever the answers may change

    def all_clauses(self) -> list[ActiveClause]:
        """Every clause of the scenario, in force or not yet."""
        return [ac for _, ac in self._all]

    def invalidate(self) -> None:
        """Forget memoised answers (after a change of clauses, declarations or membership)."""
        self._memo.clear()
        self.version += 1

    def declare(self, cm: Commitment) -> None:
        """Record a unilateral declaration of support."""
        self.declarations.append(cm)
        self.invalidate()

    def update(self, today: dt.date, until: dt.date) -> list[ActiveClause]:
        """Bring into force the clauses whose date falls before ``until``; return those newly in force.

        A clause enters into force once; a clause that lapsed with its bloc does not come back."""
        if not self._pending:
            return []
        new = [ac for when, ac in self._pending if when is None or when < until]
        if new:
            self._pending = [(when, ac) for when, ac in self._pending if not (when is None or when < until)]
            self.active.extend(new)
            self.invalidate()
        return new

    def drop_bloc(self, bloc: str) -> None:
        """A dissolved bloc's clauses lapse (and pending ones never enter into force)."""
        self.active = [c for c in self.active if c.bloc != bloc]
        self._pending = [(w, c) for w, c in self._pending if c.bloc != bloc]
        self.invalidate()

    def clauses(self, kind: ClauseKind, bloc: str | None = None) -> list[ActiveClause]:
        key = ("clauses", kind, bloc)
        hit = self._memo.get(key)
        if hit is None:
            hit = [c for c in self.active if c.spec.kind is kind and (bloc is None or c.bloc == bloc)]
            self._memo[key] = hit
        return hit  # type: ignore[return-value]

    def triggered(self, kind: ClauseKind, event: TriggerEvent) -> list[ActiveClause]:
        """Clauses of ``kind`` whose trigger is ``event``."""
        key = ("triggered", kind, event)
        hit = self._memo.get(key)
        if hit is None:
            hit = [c for c in self.clauses(kind)
                   if c.spec.trigger is not None and event in c.spec.trigger.event]
            self._memo[key] = hit
        return hit  # type: ignore[return-value]

    def commitments_to(self, protected: str, members: dict[str, list[str]], event: TriggerEvent,
                       author_members: set[str]) -> list[Commitment]:
        """Every commitment to defend ``protected`` against ``event`` by authors ``author_members``.

        Args:
            members: the current members of each bloc.
            author_members: ids of the states carrying out the attack (for ``by: non_member`` triggers).
        """
        key = ("commit", protected, event, frozenset(author_members))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._commitments_to(protected, members, event, author_members)
            self._memo[key] = hit
        return hit  # type: ignore[return-value]

    def _commitments_to(self, protected: str, members: dict[str, list[str]], event: TriggerEvent,
                        author_members: set[str]) -> list[Commitment]:
        out: list[Commitment] = []
        seen: set[tuple[str, str]] = set()
        for c in self.triggered(ClauseKind.COLLECTIVE_DEFENCE, event):
            if c.spec.obligation is not Obligation.ASSIST:
                continue
            parties = members.get(c.bloc, [])
            if protected not in parties:
                continue
            trig = c.spec.trigger
            if trig is not None and trig.author == "non_member" and author_members & set(parties):
                continue
            for ally in parties:
                if ally != protected and (ally, c.ref) not in seen:
                    seen.add((ally, c.ref))
                    out.append(Commitment(ally, protected, c.spec.bindingness, c.ref, c.spec.decides))
        if event is TriggerEvent.ATTACK:
            out.extend(d for d in self.declarations if d.protected == protected)
        # One commitment per ally: the most binding one counts.
        best: dict[str, Commitment] = {}
        for cm in out:
            if cm.ally not in best or cm.bindingness > best[cm.ally].bindingness:
                best[cm.ally] = cm
        return [best[a] for a in sorted(best)]

    def refrains(self, voter: str, target: str, members: dict[str, list[str]]) -> list[ActiveClause]:
        """Non-aggression clauses binding ``voter`` not to act against ``target`` (charter Art. 8)."""
        key = ("refrains", voter, target)
        hit = self._memo.get(key)
        if hit is None:
            hit = [c for c in self.clauses(ClauseKind.NON_AGGRESSION)
                   if voter in members.get(c.bloc, []) and target in members.get(c.bloc, [])]
            self._memo[key] = hit
        return hit  # type: ignore[return-value]

    def consulted(self, event: TriggerEvent, victim: str,
                  members: dict[str, list[str]]) -> list[ActiveClause]:
        """Consultation clauses a ``event`` against ``victim`` sets off (charter Art. 4 terrorism, Art. 5
        rebellion): the parties concert their response; assistance itself goes through Art. 6."""
        return [c for c in self.triggered(ClauseKind.COLLECTIVE_DEFENCE, event)
                if c.spec.obligation is Obligation.CONSULT and victim in members.get(c.bloc, [])]

    def exit_clause(self, bloc: str) -> ActiveClause | None:
        found = self.clauses(ClauseKind.EXIT, bloc)
        return found[0] if found else None
