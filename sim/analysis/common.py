"""What every analysis of a sweep reads: its numeric outcomes, each design point's mean, the design matrix.

Each design point's response is the mean of the outcome over its replicates (booleans as 0/1, so the
response of ``intervention`` is a probability). Values that are undefined in a run (an
``intervention_week`` without intervention, an ``honour_rate`` with nothing owed) are left out of that
mean. An outcome that cannot be analysed is skipped with a reason, never silently.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.sweep.plan import UNIT_PREFIX

if TYPE_CHECKING:
    from sim.sweep.store import Results

__all__ = ["Target", "design_kind", "design_matrix", "numeric_outcomes", "parse_target", "point_means",
           "short_label"]


def design_kind(res: Results) -> str:
    return str(res.manifest.get("design", {}).get("kind", "?"))


def numeric_outcomes(res: Results, outcomes: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """The outcomes that can be analysed as numbers (booleans count as 0/1), and the others with why."""
    kept = outcomes or list(res.manifest.get("outcomes", []))
    out, skipped = [], {}
    for o in kept:
        if o not in res.outcomes.columns:
            skipped[o] = "not in the results"
            continue
        col = res.outcomes[o]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            out.append(o)
        else:
            skipped[o] = "not numeric"
    return out, skipped


def point_means(res: Results, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Mean of each numeric outcome over the replicates of each design point, with the design values.

    Columns: ``point``, the varied paths, ``runs`` (finished runs at that point), then one column per
    outcome. Every planned point has a row, in design order (NaN where no run finished).
    """
    names, _ = numeric_outcomes(res, outcomes)
    pts = res.points[[c for c in res.points.columns if not c.startswith(UNIT_PREFIX)]]
    if res.outcomes.empty:
        return pts.assign(runs=0)
    o = res.outcomes[["point", *names]].copy()
    for c in names:
        o[c] = o[c].astype("float64")
    g = o.groupby("point")
    means = g[names].mean()
    means.insert(0, "runs", g.size())
    out = pts.merge(means, left_on="point", right_index=True, how="left")
    out["runs"] = out["runs"].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def design_matrix(res: Results, numeric_only: bool = True) -> tuple[pd.DataFrame, dict[str, str]]:
    """The varied parameters' values, one row per design point (index: point), and those left out.

    With ``numeric_only`` a parameter whose values are not numbers (a scenario name, a category) is
    left out with the reason (regression needs numbers); booleans become 0/1. A parameter that takes
    one value only is always left out.
    """
    paths: list[str] = list(res.manifest.get("parameters", []))
    pts = res.points.set_index("point")
    x = pd.DataFrame(index=pts.index)
    dropped: dict[str, str] = {}
    for p in paths:
        col = pts[p]
        if col.nunique(dropna=True) < 2:
            dropped[p] = "takes one value only"
        elif pd.api.types.is_bool_dtype(col):
            x[p] = col.astype("float64")
        elif pd.api.types.is_numeric_dtype(col):
            x[p] = col.astype("float64")
        elif numeric_only:
            dropped[p] = "not numeric (categories): use PRIM or feature scoring"
        else:
            x[p] = col.astype("category")
    return x, dropped


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
    "!=": operator.ne,
}
_TARGET = re.compile(r"^\s*([A-Za-z_][\w.:-]*)\s*(>=|<=|==|!=|>|<)\s*(-?[\d.]+(?:e-?\d+)?)\s*$")


@dataclass(frozen=True)
class Target:
    """A yes/no outcome of each run for scenario discovery: a boolean outcome, or ``outcome OP number``."""

    outcome: str
    op: str | None = None
    threshold: float | None = None

    @property
    def label(self) -> str:
        return self.outcome if self.op is None else f"{self.outcome} {self.op} {self.threshold:g}"

    def flags(self, outcomes: pd.DataFrame) -> np.ndarray:
        """One boolean per run (an undefined value counts as no)."""
        col = outcomes[self.outcome]
        if self.op is None:
            return col.fillna(False).astype(bool).to_numpy()
        vals = col.astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            return np.asarray(_OPS[self.op](vals, self.threshold), dtype=bool) & ~np.isnan(vals)


def parse_target(text: str, res: Results) -> Target:
    """``intervention`` (a boolean outcome) or ``war_weeks>10`` (a numeric outcome and a threshold).

    Raises:
        ValueError: unknown outcome, a numeric outcome without a threshold, or an unreadable expression.
    """
    m = _TARGET.match(text)
    name = m.group(1) if m else text.strip()
    if name not in res.outcomes.columns:
        raise ValueError(f"{text!r}: no outcome {name!r} in the results")
    col = res.outcomes[name]
    if m is None:
        if not pd.api.types.is_bool_dtype(col):
            raise ValueError(f"{text!r}: {name} is not yes/no; give a threshold, e.g. '{name}>0'")
        return Target(name)
    if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
        raise ValueError(f"{text!r}: {name} is not numeric")
    return Target(name, m.group(2), float(m.group(3)))


def short_label(path: str) -> str:
    """The last two parts of a dotted path (``art6.bindingness``), for axes and legends."""
    parts = path.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else path
