"""The standard figures of an ensemble directory (``run.py run``), drawn from its tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.figures import ladder_timeline, outcome_probabilities, save
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.ensemble import EnsembleResult
    from sim.sweep.store import Results

__all__ = ["ensemble_figures"]

OUTCOME_LABELS = {
    "max_escalation>=3": "sanctions imposed",
    "max_escalation>=5": "standby force activated",
    "intervention": "force used (intervention)",
    "war": "any interstate war",
}


def ensemble_figures(res: Results | EnsembleResult, scenario: Scenario, replicates: int, seed: int,
                     directory: Path) -> list[Path]:
    """The ladder over time for the focus crisis and the outcome probabilities; returns the files."""
    cap = f"scenario {scenario.name}; {replicates} runs; root seed {seed}"
    files: list[Path] = []
    bloc, target = scenario.focus_bloc, scenario.focus
    if bloc and target and not res.timeline.empty:
        fig = ladder_timeline(res.timeline, bloc, target,
                              f"{scenario.blocs[bloc].name} response to {scenario.states[target].name}: "
                              f"escalation rung over time", cap)
        files += save(fig, directory / "ladder")
    fig = outcome_probabilities(res.outcomes, OUTCOME_LABELS, f"Outcomes of {scenario.name}", cap)
    files += save(fig, directory / "outcomes")
    return files
