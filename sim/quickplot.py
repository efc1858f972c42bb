"""One look at any results directory, for a notebook or a script: :func:`plot_results`.

* an ensemble (``run.py run``): the share of runs with each yes/no outcome, with 95% Wilson intervals;
* a sweep (``run.py sweep``): the share of runs with ``outcome`` against a varied parameter (a sampled
  parameter is cut into ``bins`` quantile bins), with intervals;
* a history check (``run.py history``): the share of runs with ``outcome`` per episode, with intervals.

Every probability is drawn with its interval (:func:`sim.stats.wilson_interval`), and rounded as
:func:`sim.analysis.format_probability` prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.stats import wilson_interval

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.sweep.store import Results

__all__ = ["plot_results"]


def _shares(groups: Any) -> pd.DataFrame:
    rows = []
    for key, s in groups:
        k, n = int(s.sum()), int(s.size)
        lo, hi = wilson_interval(k, n)
        rows.append({"group": key, "p": k / n if n else np.nan, "low": lo, "high": hi, "n": n})
    return pd.DataFrame(rows)


def _bars(ax: object, t: pd.DataFrame, labels: list[str]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    y = np.arange(len(t))
    err = np.vstack([t["p"] - t["low"], t["high"] - t["p"]])
    ax.barh(y, t["p"], xerr=err, color="#4c72b0", error_kw={"elinewidth": 0.8, "capsize": 2})
    for yi, (p, hi) in enumerate(zip(t["p"], t["high"], strict=True)):
        ax.annotate(f"{p:.0%}", (min(hi + 0.02, 0.93), yi), va="center", fontsize=7)
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs (bars: 95% Wilson interval)")


def plot_results(res: Results, outcome: str = "intervention", x: str | None = None, bins: int = 8) -> Figure:
    """A first figure of any results (see the module's description).

    Raises:
        ValueError: ``outcome`` or ``x`` is not in the results, or ``outcome`` is not yes/no.
    """
    from matplotlib.figure import Figure

    kind = str(res.manifest.get("kind", "sweep"))
    o = res.outcomes
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    if kind == "ensemble":
        cols = [c for c in o.columns if pd.api.types.is_bool_dtype(o[c])]
        long = o[cols].melt(var_name="group", value_name="v")
        t = _shares(long.groupby("group", sort=False)["v"])
        _bars(ax, t, [str(g) for g in t["group"]])
        ax.set_title(f"{res.manifest.get('scenario', {}).get('name', '')}: outcomes of {len(o)} runs", fontsize=10)
        return fig
    if outcome not in o.columns or not pd.api.types.is_bool_dtype(o[outcome]):
        raise ValueError(f"{outcome!r} is not a yes/no outcome of these results")
    if kind == "history":
        label = "name" if "name" in o.columns else "point"
        t = _shares(o.groupby(label, sort=True)[outcome])
        _bars(ax, t, [str(g) for g in t["group"]])
        ax.set_title(f"P({outcome}) per episode ({int(t['n'].iloc[0]) if len(t) else 0} runs each)", fontsize=10)
        return fig
    paths = list(res.manifest.get("parameters", []))
    x = x or (paths[0] if paths else None)
    if x is None or x not in o.columns:
        raise ValueError(f"{x!r} is not a varied parameter of these results (varied: {', '.join(paths)})")
    col = o[x]
    if pd.api.types.is_numeric_dtype(col) and col.nunique() > bins:
        cut = pd.qcut(col, bins, duplicates="drop")
        t = _shares(o.groupby(cut, observed=True)[outcome])
        xs = np.array([iv.mid for iv in t["group"]])
    else:
        t = _shares(o.groupby(col, sort=True)[outcome])
        xs = t["group"].to_numpy()
    ax.errorbar(xs, t["p"], yerr=np.vstack([t["p"] - t["low"], t["high"] - t["p"]]), fmt="o-", ms=4,
                color="#4c72b0", elinewidth=0.8, capsize=2)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(x.split(".")[-2] + "." + x.split(".")[-1] if x.count(".") else x)
    ax.set_ylabel(f"P({outcome}) (bars: 95% Wilson interval)")
    ax.set_title(f"{res.manifest.get('experiment', {}).get('name', '')}: P({outcome}) against {x}", fontsize=9)
    return fig
