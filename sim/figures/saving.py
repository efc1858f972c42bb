"""The house style of the figures, their caption, and saving them byte for byte the same every time.

Every figure is deterministic: the same tables give byte-identical PNG and SVG files (no timestamps,
a fixed SVG hash salt, the Agg backend).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

__all__ = ["STYLE", "caption", "save"]

STYLE: dict[Any, Any] = {
    "svg.hashsalt": "liptako",
    "svg.fonttype": "path",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


def caption(fig: plt.Figure, text: str) -> None:
    """A caption at the foot of the figure (scenario, replicates, seed), wrapped to the figure's width."""
    width = max(40, int(fig.get_size_inches()[0] * 17))
    fig.text(0.01, 0.01, "\n".join(textwrap.wrap(text, width)), fontsize=7.5, color="0.35", ha="left",
             va="bottom")


def save(fig: plt.Figure, path: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Save ``fig`` deterministically in each format; returns the files written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        p = path.with_suffix(f".{fmt}")
        meta: dict[str, Any] = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with plt.rc_context(STYLE):
            fig.savefig(p, format=fmt, metadata=meta, dpi=150 if fmt == "png" else None)
        out.append(p)
    plt.close(fig)
    return out
