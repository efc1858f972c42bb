"""The public Python API (re-exported by :mod:`sim`): load a scenario, run one seed, run an ensemble,
write it to a directory, read results back as DataFrames."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.ensemble import EnsembleResult, default_jobs, run_ensemble
from sim.runner import RunRecord, run
from sim.scenario import Scenario, load_scenario, scenario_hash
from sim.scenario.fields import parameter_table

__all__ = [
    "EnsembleResult",
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


def load_results(directory: str | Path) -> EnsembleResult:
    """Read the tables written by ``run.py run`` (or :func:`run_ensemble_to_dir`) as DataFrames."""
    d = Path(directory)
    frames = {t: (pd.read_parquet(d / f"{t}.parquet") if (d / f"{t}.parquet").exists() else pd.DataFrame())
              for t in TABLES}
    return EnsembleResult(frames["outcomes"], frames["timeline"], frames["events"])


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="run", disable=not enabled, dynamic_ncols=True, mininterval=0.5,
                desc="runs", smoothing=0.1)


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
) -> EnsembleResult:
    """Run an ensemble and write its tables, manifest and figures to ``out``.

    Everything is written into a temporary sibling directory first and moved into place at the end,
    so an interrupted run leaves the previous results (if any) untouched and no half-written files.
    """
    from sim.store import file_sha256, provenance, publish_dir, write_json, write_table

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.perf_counter()
    bar = _progress_bar(replicates, progress)
    try:
        res = run_ensemble(scenario, replicates, seed=seed, jobs=jobs, progress=bar.update)
    finally:
        bar.close()
    wall = time.perf_counter() - t0
    try:
        tmp.mkdir()
        hashes = {}
        for name in TABLES:
            df = getattr(res, name)
            write_table(df, tmp / f"{name}.parquet")
            hashes[name] = file_sha256(tmp / f"{name}.parquet")  # the bytes written, pinned versions
        fig_files: list[str] = []
        if figures:
            from sim.report import ensemble_figures

            fig_files = [str(p.relative_to(tmp)) for p in ensemble_figures(res, scenario, replicates, seed,
                                                                            tmp / "figures")]
        manifest = {
            "kind": "ensemble",
            "scenario": {"name": scenario.name, "file": scenario_file, "sha256": scenario_hash(scenario),
                         "overrides": list(overrides)},
            "root_seed": seed,
            "replicates": replicates,
            "seeds": [int(s) for s in res.outcomes["seed"]],
            "jobs": jobs or default_jobs(),
            "wall_seconds": round(wall, 3),
            "rows": {name: len(getattr(res, name)) for name in TABLES},
            "file_sha256": hashes,
            "figures": fig_files,
            **provenance(),
        }
        write_json(manifest, tmp / "manifest.json")
        publish_dir(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res
