"""An external power's forces in the region: troops per host, consent, withdrawals and entries."""

from __future__ import annotations

import mesa

from sim.scenario.spec import ExternalPowerSpec

__all__ = ["ExternalPowerAgent"]


class ExternalPowerAgent(mesa.Agent):
    """France (Barkhane), MINUSMA, Russia (Wagner, then Africa Corps), the United States.

    Attributes:
        troops: troops per host state (persons).
        leaving: host -> (week the order to leave was given, week the last troops leave).
        revoked_by: hosts that revoked its consent (it will not come back by the patron rule).
        withdrawn: host -> week its last troops left.
        entering: host -> (week it arrives, troops).
    """

    def __init__(self, model: mesa.Model, pid: str, spec: ExternalPowerSpec) -> None:
        super().__init__(model)
        self.pid = pid
        self.spec = spec
        self.name = spec.name
        self.troops: dict[str, float] = {h: float(n) for h, n in spec.troops.items()}
        self.initial: dict[str, float] = dict(self.troops)
        self.ci_effect = spec.ci_effect
        self.peacekeeping = spec.peacekeeping
        self.revocable = spec.revocable
        self.revoked_by: set[str] = set(spec.revoked_by)
        self.leaving: dict[str, tuple[int, int]] = {}
        self.withdrawn: dict[str, int] = {}
        self.entering: dict[str, tuple[int, float]] = {}
        self.entered: dict[str, int] = {}

    def present(self, host: str) -> bool:
        return self.troops.get(host, 0.0) > 0

    def hosts(self) -> list[str]:
        return [h for h, n in self.troops.items() if n > 0]

    def order_out(self, host: str, week: int, weeks: int) -> bool:
        """Begin leaving ``host``; False if it is not there or already leaving."""
        if not self.present(host) or host in self.leaving:
            return False
        self.leaving[host] = (week, week + max(0, weeks))
        self.revoked_by.add(host)
        return True

    def step(self) -> None:
        """External powers act through the external-presence phase (:mod:`sim.phases.presence`)."""
