"""Small readers of the stored tables shared by the figures: outcome tests and plain records."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["TEST_OPERATORS", "is_probability", "outcome_test", "records"]

TEST_OPERATORS = (">=", "<=", ">", "<", "==")  # in the order they are looked for (">=" before ">")


def outcome_test(df: pd.DataFrame, spec: str) -> pd.Series:
    """A boolean per row: the column ``spec`` as booleans, or a test written as ``col>=k`` (or <=, >, <, ==)."""
    for op in TEST_OPERATORS:
        if op in spec:
            col, val = spec.split(op)
            s = df[col].astype(float)
            v = float(val)
            return {">=": s >= v, "<=": s <= v, ">": s > v, "<": s < v, "==": s == v}[op]
    return df[spec].astype(bool)


def is_probability(df: pd.DataFrame, outcome: str) -> bool:
    """Whether ``outcome`` is a yes/no outcome (a test, or a boolean column): its mean is a share of runs."""
    if any(op in outcome for op in TEST_OPERATORS):
        return True
    return str(df[outcome].dtype) in ("bool", "boolean")


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as dicts with string keys."""
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]
