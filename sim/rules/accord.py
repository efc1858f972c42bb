"""A separatist group's accord with its state: intact -> strained -> collapsed (the 2015 Algiers accord).

Each week an intact accord may become strained and a strained one may collapse. Both hazards rise with
the share of the peacekeepers that have left the state (MINUSMA, out by 31 Dec 2023) and in the weeks
after a state offensive against the group (Kidal, 14 Nov 2023). A state may also end the accord outright
(Mali, 25 Jan 2024), which is a scheduled event, not this rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.enums import AccordStatus
from sim.scenario.parameters import AccordParams

__all__ = ["AccordInputs", "accord_hazard", "accord_week"]


@dataclass(frozen=True, slots=True)
class AccordInputs:
    """What weighs on an accord this week."""

    status: AccordStatus
    peacekeepers_gone: float  # share of the peacekeepers in the state at the start that have left, 0-1
    offensive_recent: bool  # the state launched an offensive against the group within ``offensive_weeks``


def accord_hazard(x: AccordInputs, p: AccordParams) -> float:
    """Weekly chance that the accord moves one step toward collapse (0 once collapsed)."""
    status, peacekeepers_gone, offensive_recent = x.status, x.peacekeepers_gone, x.offensive_recent
    if status is AccordStatus.COLLAPSED:
        return 0.0
    base = p.strain_hazard if status is AccordStatus.INTACT else p.collapse_hazard
    h = base * (1.0 + p.w_peacekeepers_gone * min(1.0, max(0.0, peacekeepers_gone)))
    if offensive_recent:
        h *= 1.0 + p.w_offensive
    return min(1.0, h)


def accord_week(x: AccordInputs, p: AccordParams, rng: np.random.Generator) -> tuple[AccordStatus, float]:
    """The accord's status after one week, and the hazard that applied."""
    h = accord_hazard(x, p)
    if h > 0 and rng.random() < h:
        return AccordStatus(int(x.status) + 1), h
    return x.status, h
