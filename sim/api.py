"""The public Python API (re-exported by :mod:`sim`): load a scenario, run one seed, run an ensemble,
write it to a directory, read any results directory back as DataFrames."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.ensemble import EnsembleResult, ensemble_keep, run_ensemble
from sim.runner import RunRecord, run
from sim.scenario import Scenario, load_scenario, scenario_hash
from sim.scenario.fields import parameter_table
from sim.store import provenance
from sim.sweep.engine import run_to_dir
from sim.sweep.plan import ensemble_plan
from sim.sweep.store import Results, load_results

__all__ = [
    "EnsembleResult",
    "Results",
    "RunRecord",
    "Scenario",
    "load_results",
    "load_scenario",
    "parameter_rows",
    "run",
    "run_ensemble",
    "run_ensemble_to_dir",
]

TABLES = ("outcomes", "timeline", "events")


def parameter_rows() -> list[dict[str, Any]]:
    """Every documented parameter of the format (rules, states, blocs, clauses) with unit and source."""
    from sim.scenario import ArmedGroupSpec, BlocSpec, ClauseSpec, ExternalPowerSpec, ModelParams, StateSpec

    rows = parameter_table(ModelParams, "parameters.")
    rows += parameter_table(StateSpec, "states.<id>.")
    rows += parameter_table(BlocSpec, "blocs.<id>.")
    rows += parameter_table(ClauseSpec, "treaties.<id>.clauses.<id>.")
    rows += parameter_table(ArmedGroupSpec, "armed_groups.<id>.")
    rows += parameter_table(ExternalPowerSpec, "external_powers.<id>.")
    return rows


def run_ensemble_to_dir(
    scenario: Scenario,
    out: str | Path,
    replicates: int = 200,
    seed: int = 0,
    jobs: int | None = None,
    figures: bool = True,
    progress: bool = False,
    scenario_file: str | None = None,
    overrides: Sequence[str] = (),
    resume: bool = False,
    force: bool = False,
) -> Results:
    """Run an ensemble (a one-point plan) into the results store at ``out``, with its figures.

    Runs reach ``out`` chunk by chunk as they finish; ``resume`` continues an interrupted ensemble there
    (only the missing runs run; the tables equal an uninterrupted run's). ``out`` must be new, empty or
    hold Liptako's results (``force``: a directory of other files, which are kept); see
    :func:`sim.sweep.engine.run_to_dir`.

    Returns:
        The results as :func:`load_results` reads them from ``out``.
    """
    bar: list[Any] = []

    def on_start(planned: int) -> None:  # after the workers started: tqdm's thread would stop a fork
        from tqdm import tqdm

        bar.append(tqdm(total=planned, unit="run", disable=not progress, dynamic_ncols=True, mininterval=0.5,
                        desc="runs", smoothing=0.1))

    def update(n: int) -> None:
        if bar:
            bar[0].update(n)

    def finish(tmp: Path, res: Results) -> dict[str, Any]:
        fig_files: list[str] = []
        if figures:
            from sim.report import ensemble_figures

            fig_files = [str(p.relative_to(tmp)) for p in ensemble_figures(res, scenario, replicates, seed,
                                                                            tmp / "figures")]
        return {"figures": fig_files, "rows": {t: len(getattr(res, t)) for t in TABLES}}

    plan = ensemble_plan([scenario], replicates, [seed])
    manifest = {
        "kind": "ensemble",
        "scenario": {"name": scenario.name, "file": scenario_file, "sha256": scenario_hash(scenario),
                     "overrides": list(overrides)},
        "root_seed": seed,
        "replicates": replicates,
        **provenance(),
    }
    try:
        return run_to_dir(plan, ensemble_keep(), out, manifest, jobs=jobs, progress=update, on_start=on_start,
                          finish=finish, resume=resume, force=force)
    finally:
        if bar:
            bar[0].close()
