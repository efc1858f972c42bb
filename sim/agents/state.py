"""A state: its forces, regime and posture."""

from __future__ import annotations

import mesa

from sim.enums import Regime
from sim.scenario.spec import StateSpec

__all__ = ["StateAgent"]


class StateAgent(mesa.Agent):
    """A state as a Mesa agent. Forces are in persons; effective force is persons x quality."""

    def __init__(self, model: mesa.Model, sid: str, spec: StateSpec, reserve_ci_weight: float) -> None:
        super().__init__(model)
        self.reserve_ci_weight = reserve_ci_weight  # share of spare forces at home that fight insurgents
        self.sid = sid
        self.spec = spec
        self.name = spec.name
        self.regime: Regime = spec.regime
        self.personnel: float = float(spec.personnel)
        self.quality = spec.quality
        self.ci_share = spec.ci_share
        self.stability = spec.stability
        self.democratic_norm = spec.democratic_norm
        self.coup_risk = spec.coup_risk
        self.domestic_constraint = spec.domestic_constraint
        self.trade_exposure = spec.trade_exposure
        self.leadership = spec.leadership
        self.reputation = spec.reputation
        self.pledge = float(spec.pledge)
        self.stationed: dict[str, float] = {k: float(v) for k, v in spec.stationed.items()}  # troops abroad already
        self.borders = list(spec.borders)
        self.deployed: float = 0.0  # persons sent abroad (assistance, interventions)
        self.threat: float = 0.0  # insurgent pressure at home, 0-1 (set by the insurgency system)
        self.ct_abroad: float = 0.0  # of `deployed`, persons sent to allies' counter-terrorism
        self.smoothed_deaths: float = 0.0  # insurgent deaths a week, exponentially smoothed

    # --- derived quantities -------------------------------------------------------------------------
    def home_ci_force(self) -> float:
        """Persons tied down by counter-insurgency at home."""
        return self.personnel * self.ci_share

    def home_fighting_force(self) -> float:
        """Persons fighting insurgents at home: the counter-insurgency share plus ``reserve_ci_weight`` of
        the reserve (spare forces at home). Forces deployed abroad are not part of it."""
        return self.personnel * self.ci_share + self.reserve_ci_weight * self.spare()

    def spare(self) -> float:
        """Persons neither tied down at home nor already deployed."""
        return max(0.0, self.personnel * (1.0 - self.ci_share) - self.deployed)

    def spare_share(self) -> float:
        return self.spare() / self.personnel if self.personnel > 0 else 0.0

    def deploy(self, persons: float) -> float:
        """Send up to ``persons`` abroad; returns what was actually sent (never more than is spare)."""
        sent = min(max(0.0, persons), self.spare())
        self.deployed += sent
        return sent

    def recall(self, persons: float) -> None:
        """Bring ``persons`` home (losses already subtracted from personnel)."""
        self.deployed = max(0.0, self.deployed - persons)

    def lose(self, persons: float) -> None:
        """Combat losses: from personnel, and from those deployed first."""
        persons = min(max(0.0, persons), self.personnel)
        self.personnel -= persons
        self.deployed = max(0.0, min(self.deployed - persons, self.personnel))

    def step(self) -> None:
        """States have no weekly routine of their own: the phases (:mod:`sim.phases`) act on them in order."""
