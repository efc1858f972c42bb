"""How precise a sweep's numbers are: Monte Carlo standard errors, the replicates a precision needs, warnings.

For each outcome:

* its mean over all runs with a 95% interval (Wilson for yes/no outcomes, so a probability is never
  printed without one; normal approximation for numbers, :mod:`sim.stats`);
* the Monte Carlo standard error (MCSE) of one design point's mean: the pooled within-point standard
  deviation ``s`` over the square root of the replicates (Koehler, Brown & Haneuse 2009);
* the replicates a design point needs for a 95% interval of half-width ``h``: ``ceil((1.96 s / h)^2)``.
  ``h`` is given as a probability for yes/no outcomes and as a share of the outcome's range across all
  runs for numbers.

Warnings are plain sentences: replicates that agree at nearly every point with few replicates (with
``seeds: common`` the whole design then rests on a handful of seeds and can look deterministic), and
indices whose interval is wider than the index itself.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.common import numeric_outcomes
from sim.stats import Z95, mean_interval, percent, wilson_interval

if TYPE_CHECKING:
    from sim.sweep.store import Results

__all__ = ["CONVERGENCE_COLUMNS", "convergence", "convergence_lines", "format_probability", "index_warnings",
           "seed_warnings", "stored_report"]

CONVERGENCE_COLUMNS = ["outcome", "kind", "runs", "mean", "low", "high", "replicates", "within_sd", "mcse",
                       "precision", "replicates_needed", "agreeing_points"]
FEW_REPLICATES = 10
AGREEING_SHARE = 0.9


def format_probability(successes: int, n: int) -> str:
    """``55% [45%, 64%]``: a share of runs with its 95% Wilson interval, rounded as the figures round."""
    lo, hi = wilson_interval(successes, n)
    p = successes / n if n else float("nan")
    return f"{percent(p)} [{percent(lo)}, {percent(hi)}]"


def _seeds(res: Results) -> str:
    return str(res.manifest.get("experiment", {}).get("spec", {}).get("seeds", "independent"))


def convergence(res: Results, outcomes: list[str] | None = None, precision: float = 0.05) -> pd.DataFrame:
    """One row per numeric outcome: its mean with interval, the MCSE of a point's mean, replicates needed."""
    names, _ = numeric_outcomes(res, outcomes)
    rows: list[dict[str, Any]] = []
    reps = int(res.manifest.get("replicates", 1) or 1)
    for o in names:
        col = res.outcomes[o]
        is_bool = pd.api.types.is_bool_dtype(col)
        df = pd.DataFrame({"point": res.outcomes["point"], "y": col.astype("float64")}).dropna()
        if df.empty:
            continue
        y = df["y"].to_numpy()
        if is_bool:
            k = int(y.sum())
            m = k / len(y)
            lo, hi = wilson_interval(k, len(y))
        else:
            m, lo, hi = mean_interval(y)
        g = df.groupby("point")["y"]
        var = g.var(ddof=1).dropna()
        n_pts = g.size()
        within = float(math.sqrt(var.mean())) if len(var) else float("nan")
        agree = float((g.nunique()[n_pts >= 2] == 1).mean()) if (n_pts >= 2).any() else float("nan")
        h = precision if is_bool else precision * float(np.ptp(y))
        need: float = math.nan
        if h and h > 0 and not math.isnan(within):
            need = max(1, math.ceil((Z95 * within / h) ** 2))
        rows.append({"outcome": o, "kind": "yes/no" if is_bool else "number", "runs": len(y), "mean": m,
                     "low": lo, "high": hi, "replicates": reps, "within_sd": within,
                     "mcse": within / math.sqrt(reps) if not math.isnan(within) else math.nan,
                     "precision": h, "replicates_needed": need, "agreeing_points": agree})
    return pd.DataFrame(rows, columns=CONVERGENCE_COLUMNS)


def convergence_lines(table: pd.DataFrame) -> list[str]:
    """The table as one line per outcome, each probability with its interval."""
    lines = []
    for _, r in table.iterrows():
        if r["kind"] == "yes/no":
            head = f"P({r['outcome']}) = {format_probability(round(r['mean'] * r['runs']), int(r['runs']))}"
            unit = "probability"
        else:
            head = f"{r['outcome']}: mean {r['mean']:.3g} [{r['low']:.3g}, {r['high']:.3g}]"
            unit = "in its units"
        tail = f" over {int(r['runs'])} runs"
        if not math.isnan(r["mcse"]):
            tail += f"; MCSE of a point's mean {r['mcse']:.3g} ({int(r['replicates'])} replicates)"
        if not math.isnan(r["replicates_needed"]):
            tail += f"; ±{r['precision']:.3g} ({unit}) needs {int(r['replicates_needed'])} replicates"
        lines.append(head + tail)
    return lines


def seed_warnings(table: pd.DataFrame, res: Results) -> list[str]:
    """Warnings when few replicates could make a design look more certain than it is.

    With ``seeds: common`` and fewer than :data:`FEW_REPLICATES` replicates, every point reuses the same few
    seeds: outcomes whose replicates agree at nearly every point (or that never vary) are named, as they
    may reflect those seeds rather than the model. With independent seeds, a yes/no outcome is named when
    its replicates agree at far more points than independent runs with its overall probability would.
    """
    out: list[str] = []
    seeds = _seeds(res)
    reps = int(table["replicates"].iloc[0]) if len(table) else 0
    if reps >= FEW_REPLICATES:
        return out
    agreeing = table[table["agreeing_points"] >= AGREEING_SHARE]
    if seeds == "common" and reps >= 1:
        names = ", ".join(f"{r['outcome']} ({r['agreeing_points']:.0%} of points)" for _, r in agreeing.iterrows())
        if names:
            out.append(f"warning: seeds: common with {reps} replicates: every point reuses the same {reps} seeds, "
                       f"and the replicates agree at nearly every point for {names}: the design can look "
                       "deterministic where it is not; run at least "
                       f"{FEW_REPLICATES} replicates or seeds: independent before reading these as certain")
        return out
    for _, r in agreeing.iterrows():
        if r["kind"] != "yes/no" or reps < 2:
            continue
        p = float(r["mean"])
        expected = p**reps + (1 - p) ** reps
        if r["agreeing_points"] - expected > 0.1:
            out.append(f"warning: {r['outcome']}: the {reps} replicates agree at {r['agreeing_points']:.0%} of the "
                       f"points (independent runs with P = {p:.2f} would agree at {expected:.0%}): run more "
                       "replicates before reading the points as deterministic")
    return out


_INDEX_COLS = {"S1": ("S1_conf",), "ST": ("ST_conf",), "mu_star": ("mu_star_conf",),
               "SRC": ("SRC_low", "SRC_high"), "PRCC": ("PRCC_low", "PRCC_high")}


def index_warnings(table: pd.DataFrame) -> list[str]:
    """One warning per outcome and index listing the parameters whose interval is wider than the index
    (their ranking says little), and those whose bootstrap gave no interval."""
    out = []
    for key, cols in _INDEX_COLS.items():
        if key not in table.columns or not set(cols) <= set(table.columns):
            continue
        for outcome, t in table.groupby("outcome", sort=False):
            wide, none = [], []
            for _, r in t.iterrows():
                v = float(r[key])
                if math.isnan(v):
                    continue
                if len(cols) == 1:
                    width, shown = 2 * float(r[cols[0]]), f"±{float(r[cols[0]]):.2f}"
                else:
                    lo, hi = float(r[cols[0]]), float(r[cols[1]])
                    width, shown = hi - lo, f"[{lo:.2f}, {hi:.2f}]"
                if math.isnan(width):
                    none.append(str(r["parameter"]))
                elif width > abs(v):
                    wide.append(f"{r['parameter']} {v:.2f} {shown}")
            if wide:
                out.append(f"warning: {outcome}: {key} interval wider than the index for {len(wide)} of "
                           f"{len(t)} parameters: {'; '.join(wide)}")
            if none:
                out.append(f"warning: {outcome}: {key} has no bootstrap interval (too few distinct responses "
                           f"in the resamples) for {', '.join(none)}")
    return out


def stored_report(directory: str | Path, precision: float = 0.05) -> list[str]:
    """The convergence lines and warnings of a results directory, reading only its outcomes table (what the
    sweep summary prints; ``run.py analyze`` prints the same with everything else)."""
    from sim.sweep.store import Results, SweepStore, _read_kind

    store = SweepStore.open(Path(directory))
    finished = set(store._ids(store.parts / "done"))
    empty = pd.DataFrame()
    res = Results(_read_kind(store, "outcomes", finished), empty, empty, empty, empty, empty, empty, store.manifest())
    if res.outcomes.empty:
        return []
    table = convergence(res, precision=precision)
    return [f"  {line}" for line in convergence_lines(table)] + seed_warnings(table, res)
