"""The run plan: points x replicates, each run with a seed fixed in advance (every run of the engine).

A *point* is one scenario: a design point of a sweep (the base scenario with some paths set), the one
scenario of an ensemble (a one-point plan, :func:`ensemble_plan`), or one historical episode.

Points are numbered in design order (a grid varies its last parameter fastest; sampled designs keep the
sampler's row order, which SALib's analysis relies on). Runs are numbered ``run_id = point * replicates
+ replicate``, and run ``i`` gets the ``i``-th seed spawned from ``SeedSequence(root)`` (with
``seeds: common``, replicate ``r`` gets the ``r``-th seed at every point). The plan is made once, in the
main process, before any work goes out, so no seed depends on chunking, worker count or executor.

Sampled designs draw points in the unit cube (SALib for Sobol' and Morris, SciPy's Latin hypercube),
then map each coordinate to its parameter through the inverse of the declared distribution. The unit
coordinates are kept with the plan: the sensitivity analysis works on them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiment import LoadedExperiment, ParamSpec
from sim.scenario.spec import Scenario

__all__ = ["UNIT_PREFIX", "Plan", "PointJob", "design_seed", "ensemble_plan", "make_plan", "spawn_seeds",
           "unit_problem"]

SEED_MASK = (1 << 63) - 1

UNIT_PREFIX = "unit:"
# spawn_key of the design sampler's stream: far above any run index, so it never meets a run seed.
DESIGN_STREAM = 2**32 - 1


def spawn_seeds(root: int, n: int, offset: int = 0) -> list[int]:
    """The seeds of runs ``offset .. offset+n-1`` spawned from ``root`` (63-bit integers).

    Run ``i`` always gets the same seed for the same root, whatever ``n`` and ``offset``.
    """
    ss = np.random.SeedSequence(root)
    children = ss.spawn(offset + n)[offset:]
    out = []
    for c in children:
        hi, lo = c.generate_state(2, dtype=np.uint32)
        out.append(((int(hi) << 32) | int(lo)) & SEED_MASK)
    return out


# How a worker makes one point's scenario: a validated scenario (used as it is), or scenario data with
# (dotted path, value) assignments (validated in the worker); and (column, value) pairs that every
# outcomes row of the point carries.
PointJob = tuple[Scenario | dict[str, Any], tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]


@dataclass
class Plan:
    """What the engine will run.

    Attributes:
        points: one row per point: ``point``, then a column per varied path (named by the dotted path)
            and for sampled designs the unit-cube coordinates (``unit:<path>``); or the point's labels.
        runs: one row per run: ``run_id``, ``point``, ``replicate``, ``seed``, in run order.
        paths: the varied dotted paths, in declared order (set on ``bases`` data in the worker).
        bases: the scenario each point starts from: one for all points, or one per point.
        labels: columns of ``points`` copied into every outcomes row (default: the varied paths).
    """

    points: pd.DataFrame
    runs: pd.DataFrame
    paths: list[str]
    bases: list[Scenario | dict[str, Any]]
    labels: list[str] | None = None

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    def values(self, point: int) -> list[tuple[str, Any]]:
        """The (path, value) assignments of one design point, as plain Python values."""
        row = self.points.iloc[point]
        return [(p, _plain(row[p])) for p in self.paths]

    def point_jobs(self) -> list[PointJob]:
        """What a worker needs to make each point's scenario and label its rows, in point order."""
        labels = self.paths if self.labels is None else self.labels
        out: list[PointJob] = []
        for i in range(len(self.points)):
            row = self.points.iloc[i]
            base = self.bases[i] if len(self.bases) > 1 else self.bases[0]
            out.append((base, tuple(self.values(i)), tuple((c, _plain(row[c])) for c in labels)))
        return out

    def run_tuples(self) -> list[tuple[int, int, int, int]]:
        """``(run_id, point, replicate, seed)`` of every run, in run order."""
        return [tuple(int(x) for x in r) for r in  # type: ignore[misc]
                self.runs[["run_id", "point", "replicate", "seed"]].itertuples(index=False, name=None)]


def ensemble_plan(scenarios: list[Scenario], replicates: int, roots: list[int],
                  points: pd.DataFrame | None = None, labels: list[str] | None = None) -> Plan:
    """One point per scenario, ``replicates`` runs each; replicate ``r`` of point ``p`` gets the
    ``r``-th seed spawned from ``roots[p]``. An ensemble is the one-point plan ``([s], n, [seed])``.

    Args:
        points: the points table (``point`` and any label columns; default ``point`` only).
        labels: columns of ``points`` every outcomes row carries (e.g. ``episode``).
    """
    n = len(scenarios)
    if points is None:
        points = pd.DataFrame({"point": np.arange(n, dtype="int64")})
    seeds = [s for root in roots for s in spawn_seeds(root, replicates)]
    runs = pd.DataFrame({"run_id": np.arange(n * replicates, dtype="int64"),
                         "point": np.repeat(np.arange(n, dtype="int64"), replicates),
                         "replicate": np.tile(np.arange(replicates, dtype="int64"), n),
                         "seed": np.array(seeds, dtype="int64")})
    return Plan(points, runs, [], list(scenarios), labels or [])


def _plain(v: Any) -> Any:
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def design_seed(exp: LoadedExperiment) -> int:
    """The seed of the design's sampler: ``design.seed``, or a stream of the root seed no run uses."""
    if exp.spec.design.seed is not None:
        return exp.spec.design.seed
    ss = np.random.SeedSequence(exp.spec.seed, spawn_key=(DESIGN_STREAM,))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def unit_problem(paths: list[str]) -> dict[str, Any]:
    """SALib's problem definition over the unit cube (distributions are applied afterwards)."""
    return {"num_vars": len(paths), "names": list(paths), "bounds": [[0.0, 1.0]] * len(paths)}


def _from_unit(spec: ParamSpec, u: np.ndarray) -> list[Any]:
    """Map unit-cube coordinates to a parameter's values through its inverse distribution."""
    from scipy import stats

    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    if spec.values is not None:  # categories, equally likely
        k = len(spec.values)
        idx = np.minimum((u * k).astype(int), k - 1)
        return [spec.values[i] for i in idx]
    lo, hi = float(spec.low), float(spec.high)  # type: ignore[arg-type]
    if spec.integer and spec.dist == "uniform":
        a, b = math.ceil(lo), math.floor(hi)
        return [int(x) for x in np.minimum(a + (u * (b - a + 1)).astype(int), b)]
    if spec.dist == "uniform":
        x = lo + u * (hi - lo)
    elif spec.dist == "loguniform":
        x = np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
    elif spec.dist == "triangular":
        c = (float(spec.mode) - lo) / (hi - lo)  # type: ignore[arg-type]
        x = stats.triang.ppf(u, c, loc=lo, scale=hi - lo)
    else:  # normal, truncated to [low, high]
        m, s = float(spec.mean), float(spec.sd)  # type: ignore[arg-type]
        x = stats.truncnorm.ppf(u, (lo - m) / s, (hi - m) / s, loc=m, scale=s)
    x = np.clip(x, lo, hi)
    if spec.integer:
        return [round(float(v)) for v in x]
    return [float(v) for v in x]


def _column(values: list[Any]) -> pd.Series:
    """One design column with one dtype for all its values (ints and floats mixed become floats)."""
    if all(isinstance(v, bool) for v in values):
        return pd.Series(values, dtype=bool)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pd.Series(values, dtype="int64")
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return pd.Series([float(v) for v in values], dtype="float64")
    return pd.Series([str(v) for v in values], dtype=object)


def _unit_sample(exp: LoadedExperiment) -> np.ndarray:
    d = exp.spec.design
    k = len(exp.paths)
    seed = design_seed(exp)
    assert d.n is not None
    if d.kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=k, rng=np.random.default_rng(seed)).random(d.n)
    problem = unit_problem(exp.paths)
    if d.kind == "sobol":
        from SALib.sample import sobol as sobol_sample

        return np.asarray(sobol_sample.sample(problem, d.n, calc_second_order=d.second_order, seed=seed))
    from SALib.sample import morris as morris_sample

    return np.asarray(morris_sample.sample(problem, d.n, num_levels=d.levels, seed=seed))


def make_plan(exp: LoadedExperiment) -> Plan:
    """Design points x replicates, with every run's seed, for a loaded experiment."""
    spec = exp.spec
    paths = exp.paths
    cols: dict[str, Any] = {}
    if spec.design.kind == "grid":
        combos = list(itertools.product(*(spec.parameters[p].levels() for p in paths)))
        n_points = len(combos)
        for j, p in enumerate(paths):
            cols[p] = _column([c[j] for c in combos])
    else:
        unit = _unit_sample(exp)
        n_points = unit.shape[0]
        for j, p in enumerate(paths):
            cols[p] = _column(_from_unit(spec.parameters[p], unit[:, j]))
        for j, p in enumerate(paths):
            cols[UNIT_PREFIX + p] = pd.Series(unit[:, j], dtype="float64")
    points = pd.DataFrame({"point": np.arange(n_points, dtype="int64"), **cols})
    reps = spec.replicates
    n_runs = n_points * reps
    point_idx = np.repeat(np.arange(n_points, dtype="int64"), reps)
    rep_idx = np.tile(np.arange(reps, dtype="int64"), n_points)
    if spec.seeds == "common":
        seeds = np.array(spawn_seeds(spec.seed, reps), dtype="int64")[rep_idx]
    else:
        seeds = np.array(spawn_seeds(spec.seed, n_runs), dtype="int64")
    runs = pd.DataFrame({"run_id": np.arange(n_runs, dtype="int64"), "point": point_idx,
                         "replicate": rep_idx, "seed": seeds})
    return Plan(points, runs, paths, [exp.base_data])
