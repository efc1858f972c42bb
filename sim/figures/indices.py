"""Sensitivity indices as bars: Sobol' S1 and ST, or Morris mu* and sigma, per parameter and outcome."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.saving import STYLE, caption
from sim.palette import SERIES_COLORS

__all__ = ["sensitivity_bars"]


_SENS_ALIASES = {
    "s1": "S1", "s1_conf": "S1_conf", "st": "ST", "st_conf": "ST_conf", "mu_star": "mu_star",
    "mu*": "mu_star", "mustar": "mu_star", "mu_star_conf": "mu_star_conf", "mu*_conf": "mu_star_conf",
    "sigma": "sigma", "mu": "mu", "param": "parameter", "parameter": "parameter", "name": "parameter",
    "names": "parameter", "outcome": "outcome", "method": "method",
}


def _normalise_sensitivity(table: pd.DataFrame) -> pd.DataFrame:
    """Accept the wide table (one row per outcome and parameter) or a long one (index, value, conf)."""
    t = table.rename(columns={c: _SENS_ALIASES.get(str(c).lower(), c) for c in table.columns})
    if "index" in t.columns and "value" in t.columns:
        keys = [c for c in ("outcome", "parameter") if c in t.columns]
        wide = t.pivot_table(index=keys, columns="index", values="value", aggfunc="first")
        if "conf" in t.columns:
            conf = t.pivot_table(index=keys, columns="index", values="conf", aggfunc="first")
            conf.columns = [f"{c}_conf" for c in conf.columns]
            wide = wide.join(conf)
        wide.columns = [_SENS_ALIASES.get(str(c).lower(), str(c)) for c in wide.columns]
        t = wide.reset_index()
    if "outcome" not in t.columns:
        t = t.assign(outcome="outcome")
    return t


def sensitivity_bars(table: pd.DataFrame, title: str, cap: str, *, outcomes: Mapping[str, str] | None = None,
                     param_labels: Mapping[str, str] | None = None, method: str | None = None) -> plt.Figure:
    """Sensitivity indices per parameter, one panel per outcome.

    Sobol: first-order S1 and total ST with their 95% confidence half-widths. Morris: mu* (mean absolute
    elementary effect, with its confidence half-width) and sigma (its spread: interactions, non-linearity).
    Parameters are sorted by ST (or mu*) for the first outcome, largest on top.

    Args:
        table: the sensitivity table written by ``run.py analyze`` (columns ``outcome``, ``parameter``,
            ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` or ``mu_star``, ``mu_star_conf``, ``sigma``).
        outcomes: outcome -> panel title with its unit (default: every outcome in the table).
        method: ``sobol`` or ``morris`` (default: from the columns; a ``method`` column filters).
    """
    t = _normalise_sensitivity(table)
    if method is None:
        method = "sobol" if "ST" in t.columns else "morris"
    if "method" in t.columns:
        t = t[t["method"].astype(str).str.lower() == method]
    keys = ("S1", "ST") if method == "sobol" else ("mu_star", "sigma")
    missing = [k for k in keys if k not in t.columns]
    if missing:
        raise ValueError(f"sensitivity table has no column {', '.join(missing)} for method {method}")
    outs = dict(outcomes) if outcomes is not None else {o: o for o in dict.fromkeys(t["outcome"])}
    labels = dict(param_labels or {})
    have = [o for o in outs if o in set(t["outcome"])]
    first = t[t["outcome"] == (have[0] if have else next(iter(outs)))]
    order = list(first.sort_values(keys[1 if method == "sobol" else 0], ascending=True)["parameter"])
    order += [p for p in dict.fromkeys(t["parameter"]) if p not in order]
    with plt.rc_context(STYLE):
        n = len(outs)
        height = 1.5 + 0.42 * len(order)
        fig, axes = plt.subplots(1, n, figsize=(4.0 + 3.2 * n, height), sharey=True, squeeze=False)
        names = {"S1": "first order S1", "ST": "total ST", "mu_star": "μ* (mean |effect|)",
                 "sigma": "σ (spread of effects)"}
        yy = np.arange(len(order), dtype=float)
        for ax, (out, otitle) in zip(axes[0], outs.items(), strict=True):
            sub = t[t["outcome"] == out].set_index("parameter").reindex(order)
            if out not in have:  # SALib gives no index for an outcome that does not vary
                ax.text(0.5, 0.5, "no indices: the outcome is constant\n(or undefined) across the design",
                        transform=ax.transAxes, ha="center", va="center", fontsize=8, color="0.4")
                ax.set_title(otitle, fontsize=10)
                ax.set_xticks([])
                continue
            for k, key in enumerate(keys):
                vals = sub[key].astype(float).to_numpy()
                conf_col = f"{key}_conf"
                err = sub[conf_col].astype(float).to_numpy() if conf_col in sub.columns else None
                ax.barh(yy + (0.2 if k == 0 else -0.2), vals, height=0.38, color=SERIES_COLORS[k],
                        xerr=err, capsize=2, ecolor="0.25", label=names[key])
            ax.axvline(0, color="0.3", lw=0.6)
            ax.set_title(otitle, fontsize=10)
            ax.set_xlabel("Sobol index (share of output variance)" if method == "sobol"
                          else "elementary effect (outcome units)")
            ax.grid(axis="x", color="0.9", lw=0.6)
        axes[0, 0].set_yticks(yy, [labels.get(p, p) for p in order])
        with_bars = [ax for ax in axes[0] if ax.get_legend_handles_labels()[0]]
        if with_bars:
            with_bars[-1].legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
        fig.suptitle(title, fontsize=11)
        longest = max((len(labels.get(p, p)) for p in order), default=4)
        fig.subplots_adjust(left=min(0.45, (0.5 + 0.075 * longest) / fig.get_size_inches()[0]), right=0.97,
                            bottom=0.85 / height, top=1 - 0.6 / height, wspace=0.08)
        caption(fig, cap + ("; error bars: 95% confidence" if method == "sobol"
                            else "; error bars: 95% confidence of μ*"))
    return fig

