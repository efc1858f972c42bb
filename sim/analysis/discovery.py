"""Scenario discovery: which boxes of the parameter space lead to a yes/no outcome (PRIM).

The Patient Rule Induction Method (Friedman & Fisher 1999), as EMA Workbench implements it for scenario
discovery (Bryant & Lempert 2010; Kwakkel 2017): starting from the whole design, PRIM peels off thin slices
of one parameter's range at a time, keeping the box whose runs have the outcome most often, then pastes
back what it can. Every step of the peeling trajectory is a candidate box with

* coverage: the share of all runs with the outcome that fall in the box,
* density: the share of the box's runs that have the outcome (with its Wilson interval),
* mass: the share of all runs in the box, and the number of restricted parameters.

The rows are runs (each run carries its design point's parameter values), so density is a probability of
the outcome inside the box. The box reported is the densest step whose coverage is at least
``min_coverage`` (default 0.5), the usual compromise in scenario discovery.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.common import Target, design_matrix, short_label
from sim.stats import wilson_interval

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.sweep.store import Results

__all__ = ["BOX_COLUMNS", "TRADEOFF_COLUMNS", "DiscoveryResult", "plot_discovery", "prim"]

TRADEOFF_COLUMNS = ["target", "step", "coverage", "density", "density_low", "density_high", "mass", "res_dim",
                    "runs", "cases", "chosen"]
BOX_COLUMNS = ["target", "parameter", "low", "high", "range_low", "range_high", "qp_low", "qp_high"]


@dataclass
class DiscoveryResult:
    """The peeling trajectory of each target (``tradeoff``), its chosen box's limits (``boxes``)."""

    tradeoff: pd.DataFrame
    boxes: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)

    def chosen(self) -> pd.DataFrame:
        return self.tradeoff[self.tradeoff["chosen"]]


def _run_matrix(res: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    x_pts, _ = design_matrix(res, numeric_only=False)
    done = res.outcomes.reset_index(drop=True)
    x = x_pts.reindex(done["point"].to_numpy()).reset_index(drop=True)
    return x, done


def _choose(traj: pd.DataFrame, min_coverage: float) -> int:
    ok = traj[traj["coverage"] >= min_coverage]
    if ok.empty:
        return int(np.argmax((traj["coverage"] * traj["density"]).to_numpy()))
    return int(ok.index[int(np.argmax(ok["density"].to_numpy()))])


def prim(res: Results, targets: list[Target], min_coverage: float = 0.5, peel_alpha: float = 0.05,
         mass_min: float = 0.05) -> DiscoveryResult:
    """Run PRIM for each target over the sweep's runs (EMA Workbench's :class:`~ema_workbench.analysis.prim.Prim`).

    A target that no run or every run meets is skipped with the reason (there is nothing to discover).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim as ema_prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    x, done = _run_matrix(res)
    trade_rows: list[dict[str, Any]] = []
    box_rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    if x.shape[1] == 0:
        return DiscoveryResult(pd.DataFrame(columns=TRADEOFF_COLUMNS), pd.DataFrame(columns=BOX_COLUMNS),
                               {t.label: "no parameter varies" for t in targets})
    for t in targets:
        y = t.flags(done)
        k = int(y.sum())
        if k == 0 or k == len(y):
            skipped[t.label] = f"{'no' if k == 0 else 'every'} run of {len(y)} meets it: nothing to discover"
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = ema_prim.Prim(x, y.astype(int), peel_alpha=peel_alpha, mass_min=mass_min)
            box = p.find_box()
        if box is None:
            skipped[t.label] = "PRIM found no box"
            continue
        traj = box.peeling_trajectory.reset_index(drop=True)
        pick = _choose(traj, min_coverage)
        for i, r in traj.iterrows():
            lo, hi = wilson_interval(int(r["k"]), int(r["n"]))
            trade_rows.append({"target": t.label, "step": int(i), "coverage": float(r["coverage"]),
                               "density": float(r["density"]), "density_low": lo, "density_high": hi,
                               "mass": float(r["mass"]), "res_dim": int(r["res_dim"]), "runs": int(r["n"]),
                               "cases": int(r["k"]), "chosen": int(i) == pick})
        lims = box.box_lims[pick]
        qps = box.p_values[pick]
        for c in qps:
            lo_v, hi_v = lims[c].iloc[0], lims[c].iloc[1]
            qp = [np.nan if v == -1 else float(v) for v in qps[c]]
            if isinstance(lo_v, set) or x[c].dtype.kind != "f":
                lo_s, hi_s = str(lo_v), ""
                box_rows.append({"target": t.label, "parameter": c, "low": lo_s, "high": hi_s,
                                 "range_low": None, "range_high": None, "qp_low": qp[0], "qp_high": qp[-1]})
                continue
            box_rows.append({"target": t.label, "parameter": c, "low": float(lo_v), "high": float(hi_v),
                             "range_low": float(x[c].min()), "range_high": float(x[c].max()),
                             "qp_low": qp[0], "qp_high": qp[-1]})
    return DiscoveryResult(pd.DataFrame(trade_rows, columns=TRADEOFF_COLUMNS),
                           pd.DataFrame(box_rows, columns=BOX_COLUMNS), skipped)


def plot_discovery(result: DiscoveryResult) -> Figure:
    """Per target: the trade-off of coverage and density along the peeling trajectory (the chosen box
    ringed), and the chosen box's limits on each restricted parameter's range."""
    from matplotlib.figure import Figure

    targets = list(dict.fromkeys(result.tradeoff["target"]))
    n = max(1, len(targets))
    fig = Figure(figsize=(10.5, 3.6 * n), layout="constrained")
    axes = fig.subplots(n, 2, squeeze=False)
    for k, t in enumerate(targets):
        ax, bx = axes[k]
        tr = result.tradeoff[result.tradeoff["target"] == t]
        sc = ax.scatter(tr["coverage"], tr["density"], c=tr["res_dim"], cmap="viridis", s=18, zorder=3)
        ch = tr[tr["chosen"]]
        ax.scatter(ch["coverage"], ch["density"], s=110, facecolors="none", edgecolors="#c0392b", lw=1.5,
                   zorder=4, label="chosen box")
        ax.set_xlabel("coverage (share of the cases in the box)")
        ax.set_ylabel("density (share of the box's runs)")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"{t}: peeling trajectory", fontsize=9)
        ax.legend(fontsize=7, loc="lower left")
        fig.colorbar(sc, ax=ax, label="restricted parameters")
        b = result.boxes[(result.boxes["target"] == t) & result.boxes["range_low"].notna()]
        for j, (_, r) in enumerate(b.iterrows()):
            span = r["range_high"] - r["range_low"] or 1.0
            lo, hi = (r["low"] - r["range_low"]) / span, (r["high"] - r["range_low"]) / span
            bx.plot([0, 1], [j, j], color="0.8", lw=6, solid_capstyle="butt")
            bx.plot([lo, hi], [j, j], color="#c0392b", lw=6, solid_capstyle="butt")
            bx.annotate(f"{r['low']:.3g} – {r['high']:.3g}", (1.02, j), va="center", fontsize=7,
                        annotation_clip=False)
        bx.set_yticks(range(len(b)), [short_label(p) for p in b["parameter"]], fontsize=7)
        bx.set_xlim(0, 1)
        bx.set_ylim(-0.6, max(len(b), 1) - 0.4)
        bx.invert_yaxis()
        bx.set_xlabel("share of the sampled range (grey: whole range; red: the box)")
        if len(ch):
            c = ch.iloc[0]
            bx.set_title(f"chosen box: coverage {c['coverage']:.2f}, density {c['density']:.2f} "
                         f"[{c['density_low']:.2f}, {c['density_high']:.2f}]", fontsize=9)
    fig.suptitle("Scenario discovery (PRIM)", fontsize=10)
    return fig
