"""The run boundary: one run is a pure function of (scenario, seed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.metrics import compute_outcomes
from sim.model import LiptakoModel
from sim.scenario.spec import Scenario

__all__ = ["RunRecord", "outcome_names", "run"]


@dataclass
class RunRecord:
    """What one run reports: one outcomes row, a tidy timeline, the event log."""

    seed: int
    outcomes: dict[str, Any]
    timeline: pd.DataFrame
    events: pd.DataFrame


def run(scenario: Scenario, seed: int, timeline: bool = True, events: bool = True) -> RunRecord:
    """Run ``scenario`` from start to end with ``seed``.

    The same (scenario, seed) gives the same record in any process, on any executor.

    Args:
        scenario: a validated scenario.
        seed: a non-negative integer; the model's only source of randomness.
        timeline, events: whether to build those tables (outcomes are always computed).
    """
    model = LiptakoModel(scenario, seed, record_timeline=timeline)
    model.run()
    return RunRecord(
        seed=seed,
        outcomes=compute_outcomes(model.world),
        timeline=model.recorder.frame() if timeline else pd.DataFrame(),
        events=model.world.log.frame() if events else pd.DataFrame(),
    )


def outcome_names(scenario: Scenario) -> list[str]:
    """The outcome columns a scenario's runs produce (fixed ones and those named after its entities)."""
    return list(compute_outcomes(LiptakoModel(scenario, 0).world))
