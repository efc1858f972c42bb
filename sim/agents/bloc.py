"""A bloc: members, suspensions and how it decides."""

from __future__ import annotations

import mesa

from sim.scenario.spec import BlocSpec

__all__ = ["BlocAgent"]


class BlocAgent(mesa.Agent):
    """A bloc as a Mesa agent (AES, ECOWAS, G5 Sahel, AU)."""

    def __init__(self, model: mesa.Model, bid: str, spec: BlocSpec) -> None:
        super().__init__(model)
        self.bid = bid
        self.spec = spec
        self.name = spec.name
        self.members: list[str] = list(spec.members)
        self.suspended: set[str] = set(spec.suspended)
        self.council: list[str] | None = list(spec.council) if spec.council is not None else None
        self.rule = spec.decision_rule
        self.qualified_share = spec.qualified_share
        self.exists = spec.exists  # a bloc founded after the start is brought into being on its date
        self.dissolved_week: int | None = None

    def is_member(self, sid: str) -> bool:
        return self.exists and sid in self.members

    def active_members(self) -> list[str]:
        """Members not suspended, in declaration order."""
        return [m for m in self.members if m not in self.suspended]

    def voters(self, exclude: str | None = None) -> list[str]:
        """Who votes: the council if there is one, else all active members; never the target."""
        pool = self.council if self.council is not None else self.members
        return [m for m in pool if m in self.members and m not in self.suspended and m != exclude]

    def remove(self, sid: str) -> None:
        if sid in self.members:
            self.members.remove(sid)
        self.suspended.discard(sid)
        if self.council is not None and sid in self.council:
            self.council.remove(sid)

    def step(self) -> None:
        """Blocs act through the deliberation phase (:mod:`sim.phases.deliberation`)."""
