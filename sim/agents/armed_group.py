"""A non-state armed group: fighters per state, its yearly toll and, for a separatist group, its accord."""

from __future__ import annotations

from collections.abc import Sequence

import mesa

from sim.enums import AccordStatus, GroupKind
from sim.scenario.spec import ArmedGroupSpec

__all__ = ["ArmedGroupAgent"]


class ArmedGroupAgent(mesa.Agent):
    """JNIM, Islamic State Sahel, or the separatist coalition (CSP-DPA, later FLA).

    Attributes:
        strength: fighters per state (persons).
        capacity: most fighters it can field per state.
        accord_status: for a separatist group with an accord, its status; else None.
        attacks_week, deaths_week: this week's toll per state.
        attacks_year, deaths_year: totals per calendar year (all states).
    """

    def __init__(self, model: mesa.Model, gid: str, spec: ArmedGroupSpec, capacity_multiple: float,
                 accord_activity: Sequence[float]) -> None:
        super().__init__(model)
        self.gid = gid
        self.spec = spec
        self.name = spec.name
        self.kind = spec.kind
        self.strength: dict[str, float] = {s: float(v) for s, v in spec.strength.items()}
        self.capacity: dict[str, float] = {s: float(spec.capacity.get(s, v * capacity_multiple))
                                           for s, v in spec.strength.items()}
        self.lethality = spec.lethality
        self.accord_state: str | None = spec.accord.state if spec.accord is not None else None
        self.accord_status: AccordStatus | None = spec.accord.status if spec.accord is not None else None
        self.accord_collapse_week: int | None = None
        self.offensive_week: int | None = None
        self.attacks_week: dict[str, int] = dict.fromkeys(self.strength, 0)
        self.deaths_week: dict[str, int] = dict.fromkeys(self.strength, 0)
        self.attacks_year: dict[int, int] = {}
        self.deaths_year: dict[int, int] = {}
        self.accord_activity = accord_activity  # activity multiplier by accord status (intact, ...)

    @property
    def terrorist(self) -> bool:
        """True for a jihadist group: its attacks are terrorism (charter Art. 4), else rebellion (Art. 5)."""
        return self.kind is GroupKind.JIHADIST

    def activity(self) -> float:
        """1 for a jihadist group; for a separatist group, the multiplier of its accord's status."""
        if self.accord_status is None:
            return 1.0
        return self.accord_activity[int(self.accord_status)]

    def total_strength(self) -> float:
        return sum(self.strength.values())

    def step(self) -> None:
        """Armed groups act through the armed-groups phase (:mod:`sim.phases.armed_groups`)."""
