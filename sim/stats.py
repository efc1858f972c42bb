"""The statistics the results are summarised and scored with, in one place.

* :func:`wilson_interval`: the Wilson score interval of a binomial proportion (the error bars of every
  "share of runs" in the figures, and the interval of P(force) in the historical check).
* :func:`mean_interval`: the normal-approximation interval of a mean over runs.
* :func:`brier`: the Brier score of probability forecasts of yes/no events (Brier 1950).
* :func:`ranked_probability_score`: its generalisation to an ordered outcome such as the escalation
  rung (Epstein 1969; Murphy 1971).

Pure functions of numbers: no tables, no plotting, no model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["Z95", "Z95_FIGURES", "brier", "mean_interval", "percent", "ranked_probability_score", "wilson_interval"]

Z95 = 1.959963984540054  # two-sided 95% quantile of the standard normal distribution
# The same quantile rounded to 7 digits, as the locked figures were drawn with: the full value moves
# error-bar ends by ~1e-9 of the axis, enough to change a digit of the SVG files and their sha256.
Z95_FIGURES = 1.959964


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95% by default).

    Args:
        successes: how many of the ``n`` trials succeeded (0 <= successes <= n).
        n: trials; with none the interval is the whole of (0, 1).
        z: the normal quantile of the coverage (``Z95`` for 95%).

    Returns:
        (low, high), within [0, 1]; exactly 0 when no trial succeeded and exactly 1 when all did.
    """
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)  # exact ends, not 1 - 1e-16
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return lo, hi


def percent(p: float) -> str:
    """A probability as the figures and the command line both print it: whole percent (``55%``), one decimal
    below 1% (``0.4%``) so that a rare outcome does not read as zero."""
    if p != p:  # NaN
        return "n/a"
    return f"{p:.1%}" if 0 < p < 0.01 else f"{p:.0%}"


def mean_interval(values: Sequence[float] | np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """Mean and its normal-approximation interval: mean ± z·s/√n with the sample deviation s.

    Returns:
        (mean, low, high); NaN three times for no values, and (mean, mean, mean) for one value.
    """
    v = np.asarray(values, dtype=float)
    n = v.size
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(v.mean())
    half = z * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return m, m - half, m + half


def brier(predicted: Sequence[float] | np.ndarray, observed: Sequence[bool | int] | np.ndarray) -> float:
    """Brier score: mean of (p - o)^2 over events; 0 is perfect, 0.25 is a constant 0.5 forecast."""
    p = np.asarray(predicted, dtype=float)
    o = np.asarray(observed, dtype=float)
    if p.shape != o.shape or p.size == 0:
        raise ValueError("brier needs two sequences of the same, non-zero length")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("predicted probabilities must lie in [0, 1]")
    return float(np.mean((p - o) ** 2))


def ranked_probability_score(rung_probs: Sequence[float] | np.ndarray, observed_rung: int) -> float:
    """Ranked probability score of a forecast over the ordered rungs 0..K for one observed rung.

    RPS = (1/K) * sum_k (F_k - O_k)^2 over the cumulative forecast F and the cumulative observation O
    (k = 0..K-1): the Brier score generalised to an ordered outcome; 0 is perfect, 1 the worst.
    """
    f = np.asarray(rung_probs, dtype=float)
    k = f.size - 1
    if k < 1:
        raise ValueError("need probabilities for at least two rungs")
    if not 0 <= observed_rung <= k:
        raise ValueError(f"observed rung {observed_rung} outside 0..{k}")
    cf = np.cumsum(f)[:-1]
    co = (np.arange(k) >= observed_rung).astype(float)
    return float(np.sum((cf - co) ** 2) / k)
