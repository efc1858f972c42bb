"""Checks of an experiment that need its base scenario or its size: made when the experiment is loaded,
before any point is drawn or any array allocated, so a design that cannot run fails in milliseconds.

- :func:`design_size`: the number of points and runs a design asks for, computed from the file alone;
  more than :data:`MAX_RUNS` is refused (the plan of every run, with its seed, is held in memory, and
  the main process of a 100,000-run sweep stays under 300 MB; see ``benchmarks/bench_sweep.py memory``).
- :func:`level_type_errors`: every level of a varied field has the type of that field (whole numbers
  for an integer field, numbers for a number, ``true``/``false`` for a switch, words for a name or a
  category), and one list never mixes numbers and words.
"""

from __future__ import annotations

import math
from typing import Any

from sim.scenario.errors import Pos, where
from sim.scenario.paths import get_path

# An Experiment and a ParamSpec of sim.experiment (not imported: that module imports this one).
Experiment = Any
ParamSpec = Any

__all__ = ["MAX_POINTS", "MAX_RUNS", "design_size", "level_type_errors"]

MAX_RUNS = 1_000_000
MAX_POINTS = 1_000_000


def design_size(exp: Experiment) -> tuple[int, int]:
    """(points, runs) the design asks for, without drawing or listing any point."""
    d = exp.design
    k = len(exp.parameters)
    if d.kind == "grid":
        points = math.prod(len(s.values) if s.values is not None else (s.steps or 1)
                           for s in exp.parameters.values())
    elif d.n is None:
        points = 0
    elif d.kind == "lhs":
        points = d.n
    elif d.kind == "sobol":
        points = d.n * ((2 * k + 2) if d.second_order else (k + 2))
    else:  # morris
        points = d.n * (k + 1)
    return points, points * exp.replicates


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "switch"
    if isinstance(v, int):
        return "whole number"
    if isinstance(v, float):
        return "whole number" if v.is_integer() else "number"
    if isinstance(v, str):
        return "word"
    return type(v).__name__


def _field_errors(spec: ParamSpec, current: Any) -> str | None:
    """Why the levels of ``spec`` do not fit a field whose base value is ``current`` (None if they do)."""
    levels = spec.values
    if levels is not None:
        kinds = {_kind(v) for v in levels}
        if "word" in kinds and kinds - {"word"}:
            return "mixes numbers and words: give levels of one type"
    if current is None:
        return None  # an optional field without a value: each level is validated against the scenario
    want = _kind(current)
    if want == "switch":
        if levels is None or kinds != {"switch"}:
            return "a switch (true/false) field: give values: [true, false]"
    elif isinstance(current, int):
        if levels is None and not spec.integer:
            return "an integer field: a range needs integer: true"
        if levels is not None and kinds - {"whole number"}:
            return "an integer field: every level must be a whole number"
    elif isinstance(current, float):
        if levels is not None and kinds & {"word", "switch"}:
            return "a number field: every level must be a number"
    elif isinstance(current, str):
        if levels is None:
            return "a field of words (a name or a category): give values: [...], not a range"
        if kinds != {"word"}:
            return "a field of words (a name or a category): every level must be a word"
    return None


def level_type_errors(exp: Experiment, base_data: dict[str, Any], pos: Pos, file: str) -> list[str]:
    """One message per varied field whose levels do not have the field's type."""
    errs: list[str] = []
    for path, spec in exp.parameters.items():
        try:
            current = get_path(base_data, path)
        except KeyError:
            continue  # reported by the path check
        if isinstance(current, dict | list):
            continue
        why = _field_errors(spec, current)
        if why:
            errs.append(f"{where(pos, ('parameters', path), file + ':1')}: parameters.{path}: {why}")
    return errs
