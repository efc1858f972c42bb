"""Small numeric helpers shared by the rules."""

from __future__ import annotations

import math

__all__ = ["logistic", "logit"]


def logistic(x: float) -> float:
    """The logistic function 1 / (1 + e^-x), safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def logit(p: float) -> float:
    """The inverse of :func:`logistic` for 0 < p < 1."""
    return math.log(p / (1.0 - p))
