"""The experiment format: a sweep over a base scenario, declared as data.

An experiment file names a base scenario (a path relative to the experiment file), the scenario fields
to vary (by dotted path, e.g. ``treaties.liptako_gourma.clauses.art6.bindingness``) with their values
or ranges, the design that picks the points (``grid``, ``lhs``, ``sobol``, ``morris``), the replicates
per point, the root seed, the outcomes and timeline variables to keep, and the figures to draw.

It is validated like a scenario: unknown keys are errors, and every problem is reported as
``file:line: field: message``. The varied fields are checked against the base scenario when the
experiment is loaded (each path must exist, each value or range end must be valid for that field), so a
sweep never starts with a design it cannot run. See ``docs/sweeps.md``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from sim.metrics import OUTCOMES
from sim.runner import outcome_names
from sim.scenario.errors import Pos, ScenarioError, format_loc, where
from sim.scenario.fields import Strict
from sim.scenario.hashing import scenario_hash
from sim.scenario.loading import load_raw, read_yaml, scenario_from_dict
from sim.scenario.paths import assign, get_path
from sim.scenario.safeyaml import read_text
from sim.scenario.spec import Scenario

__all__ = [
    "Design",
    "Experiment",
    "FigureSpec",
    "LoadedExperiment",
    "ParamSpec",
    "TimelineSpec",
    "load_experiment",
    "scenario_for",
    "validate_experiment",
]

Scalar = float | int | str | bool
DesignKind = Literal["grid", "lhs", "sobol", "morris"]
Dist = Literal["uniform", "loguniform", "triangular", "normal"]


class ParamSpec(Strict):
    """How one scenario field varies.

    Either ``values`` (a list: the grid's levels, or categories that sampled designs pick from with
    equal probability), or a range ``low``..``high`` with a distribution. A grid over a range needs
    ``steps`` (evenly spaced values, ends included). A bare list in the YAML means ``values``.
    """

    values: list[Scalar] | None = Field(None, min_length=1, description="Levels (grid) or categories")
    low: float | None = Field(None, description="Lower end of the range")
    high: float | None = Field(None, description="Upper end of the range")
    dist: Dist = Field("uniform", description="uniform | loguniform | triangular | normal (truncated to "
                       "low..high)")
    mode: float | None = Field(None, description="Peak of a triangular distribution")
    mean: float | None = Field(None, description="Mean of a normal distribution")
    sd: float | None = Field(None, gt=0, description="Standard deviation of a normal distribution")
    steps: int | None = Field(None, ge=2, description="Grid only: evenly spaced values from low to high")
    integer: bool = Field(False, description="Round sampled values to whole numbers")

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, v: Any) -> Any:
        if isinstance(v, list):
            return {"values": v}
        if not isinstance(v, dict):
            raise ValueError("give a list of values or a range {low: .., high: ..}; a value that does not "
                             "vary belongs under 'fixed:'")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> ParamSpec:
        if self.values is not None:
            keys = ("low", "high", "mode", "mean", "sd", "steps")
            extra = [k for k in keys if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"give either values or a range, not both (also has {', '.join(extra)})")
            return self
        if self.low is None or self.high is None:
            raise ValueError("needs values: [...] or both low and high")
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.dist == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        if self.dist == "triangular" and (self.mode is None or not self.low <= self.mode <= self.high):
            raise ValueError("a triangular distribution needs a mode between low and high")
        if self.dist == "normal" and (self.mean is None or self.sd is None):
            raise ValueError("a normal distribution needs mean and sd (it is truncated to low..high)")
        if self.dist == "normal" and self.mean is not None and not self.low <= self.mean <= self.high:
            raise ValueError("a normal distribution needs a mean between low and high (it is truncated there)")
        if self.steps is not None and self.dist != "uniform":
            raise ValueError("steps (a grid over a range) only goes with dist: uniform")
        return self

    @property
    def is_range(self) -> bool:
        return self.values is None

    def levels(self) -> list[Scalar]:
        """The grid's values: the list, or ``steps`` evenly spaced values from low to high."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None and self.steps is not None
        out = [self.low + (self.high - self.low) * i / (self.steps - 1) for i in range(self.steps)]
        if self.integer:
            return [round(x) for x in out]
        return list(out)

    def ends(self) -> list[Scalar]:
        """The values to check against the scenario: every level, or both ends of the range."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None
        ends: list[Scalar] = [self.low, self.high]
        return [math.ceil(self.low), math.floor(self.high)] if self.integer else ends


class Design(Strict):
    """Which points of the parameter space are run."""

    kind: DesignKind = Field(description="grid (every combination of values), lhs (Latin hypercube), "
                             "sobol (Saltelli/Sobol' sample for variance-based indices), morris (elementary "
                             "effects trajectories)")
    n: int | None = Field(None, ge=1, description="lhs: points; sobol: base sample N (a power of two; points "
                          "= N(D+2), or N(2D+2) with second_order); morris: trajectories (points = n(D+1))")
    second_order: bool = Field(False, description="sobol: also estimate second-order indices")
    levels: int = Field(4, ge=2, description="morris: grid levels of each parameter")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="Seed of the design's sampler (default: "
                             "derived from the experiment's root seed)")


class TimelineSpec(Strict):
    """Which timeline data to keep from each run."""

    keep: Literal["none", "summary", "full"] = Field("none", description="none; summary (per run and series: "
                                                     "final, mean, min, max); full (every week)")
    variables: list[str] | None = Field(None, description="Timeline variables to keep (default: all)")


class FigureSpec(Strict):
    """A figure to draw from the stored results (drawn by the figures engine, not by the sweep)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$",  # a file name: no path, no hidden file
                      description="File stem of the figure")
    kind: str = Field(min_length=1, description="Which kind of figure")
    params: dict[str, Any] = Field(default_factory=dict, description="Options of that kind of figure")


class Experiment(Strict):
    """One sweep: start here to read the format."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$",  # one directory name: never '..'
                      description="Name; the default output is results/<name>")
    description: str = ""
    scenario: str = Field(description="Base scenario file, relative to the experiment file")
    fixed: dict[str, Any] = Field(default_factory=dict, description="Scenario fields set to one value for "
                                  "the whole sweep, by dotted path")
    parameters: dict[str, ParamSpec] = Field(min_length=1,
                                             description="Scenario fields to vary, by dotted path")
    design: Design
    replicates: int = Field(1, ge=1, le=1_000_000, description="Runs per design point")
    seed: int = Field(ge=0, le=2**63 - 1, description="Root seed: run seeds are spawned from SeedSequence(seed)")
    seeds: Literal["independent", "common"] = Field(
        "independent", description="independent: every run has its own spawned seed; common: replicate r "
        "uses the same seed at every point (common random numbers)")
    outcomes: list[str] | Literal["all"] = Field("all", description="Outcomes to keep (default all)")
    timeline: TimelineSpec = Field(default_factory=lambda: TimelineSpec.model_validate({}))
    events: bool = Field(False, description="Keep each run's event log")
    figures: list[FigureSpec] = Field(default_factory=list, description="Figures to draw from the results")

    @field_validator("timeline", mode="before")
    @classmethod
    def _timeline_shorthand(cls, v: Any) -> Any:
        return {"keep": v} if isinstance(v, str) else v

    def outcome_names(self) -> list[str]:
        """The outcomes named by the file ("all" means the fixed outcomes of :data:`sim.metrics.OUTCOMES`;
        :attr:`LoadedExperiment.outcomes` also has those named after the base scenario's entities)."""
        return list(OUTCOMES) if self.outcomes == "all" else list(self.outcomes)


@dataclass
class LoadedExperiment:
    """A validated experiment with its base scenario resolved.

    Attributes:
        spec: the validated experiment.
        path: the experiment file.
        scenario_path: the base scenario file.
        base: the base scenario with ``fixed`` applied (validated).
        base_data: ``base`` as plain data (every field explicit), the starting point of every design point.
        text: the experiment file's text (copied into the results).
        outcomes: the outcome columns to keep, checked against those the base scenario's runs produce
            (including per armed group, external power and bloc).
    """

    spec: Experiment
    path: Path
    scenario_path: Path
    base: Scenario
    base_data: dict[str, Any]
    text: str
    outcomes: list[str]  # the outcome columns kept: "all" expands to every column the base scenario produces

    @property
    def paths(self) -> list[str]:
        return list(self.spec.parameters)

    def sha256(self) -> str:
        """Hash of the validated experiment and its base scenario: what a resumed sweep must match."""
        payload = {"experiment": self.spec.model_dump(mode="json"), "scenario": scenario_hash(self.base)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------


def _short(err: ScenarioError) -> str:
    """A scenario error's messages without their own file:line (the experiment's line is given instead)."""
    out = []
    for m in err.messages:
        parts = m.split(": ", 1)
        out.append(parts[1] if len(parts) == 2 and (":" in parts[0] or parts[0].endswith(".yaml")) else m)
    return "; ".join(out)


def validate_experiment(data: dict[str, Any], pos: Pos, file: str) -> Experiment:
    """Validate raw experiment data, or raise :class:`ScenarioError` naming file, line and field."""
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as e:
        msgs = []
        for err in e.errors():
            loc = tuple(err["loc"])
            # pydantic puts the union branch or validator name in the location; drop what is not a field
            loc = tuple(x for x in loc if not (isinstance(x, str) and ("[" in x or x in ("function-after",
                                                                                           "list[str]",
                                                                                           "literal['all']"))))
            msg = err["msg"].removeprefix("Value error, ")
            if len(loc) >= 2 and loc[-1] in ("float", "int", "str", "bool") and isinstance(loc[-2], int):
                loc, msg = loc[:-1], "a level is a number, a word or true/false (not a list or a mapping)"
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "missing":
                msg = "required field is missing"
            elif err["type"] == "string_pattern_mismatch":  # the names, used as a directory or file name
                shown = str(err["input"]) if len(str(err["input"])) <= 40 else str(err["input"])[:37] + "..."
                msg = (f"{shown!r}: 1 to 100 letters, digits, '_', '-' or '.', not starting with '.' "
                       "(it names a directory or file)")
            msgs.append(f"{where(pos, loc, file + ":1")}: {format_loc(loc)}: {msg}")
        raise ScenarioError(sorted(set(msgs), key=msgs.index)) from None
    errs: list[tuple[tuple[Any, ...], str]] = []
    d = exp.design
    ranges = [p for p, s in exp.parameters.items() if s.is_range]
    if d.kind == "grid":
        for p in ranges:
            if exp.parameters[p].steps is None:
                errs.append((("parameters", p), "a grid needs values: [...] or steps: N with low and high"))
        if d.n is not None:
            errs.append((("design", "n"), "a grid runs every combination of values; remove n"))
    else:
        if d.n is None:
            errs.append((("design", "n"), f"a {d.kind} design needs n"))
        for p, s in exp.parameters.items():
            if s.steps is not None:
                errs.append((("parameters", p, "steps"), f"steps only applies to grid designs, not {d.kind}"))
    if d.kind == "sobol" and d.n is not None and d.n & (d.n - 1):
        errs.append((("design", "n"),
                     f"a Sobol' sample needs n a power of two (e.g. {1 << d.n.bit_length()})"))
    if d.kind == "morris" and d.n is not None and d.n < 2:
        errs.append((("design", "n"), "Morris needs at least 2 trajectories"))
    if d.kind in ("sobol", "morris") and len(exp.parameters) < 2:
        errs.append((("parameters",), f"a {d.kind} design needs at least two parameters"))
    if d.kind != "sobol" and d.second_order:
        errs.append((("design", "second_order"), "second_order only applies to sobol designs"))
    for path in exp.fixed:
        if path in exp.parameters:
            errs.append((("fixed", path), "is also a varied parameter: fix it or vary it, not both"))
    if not errs:
        from sim.experiment_checks import MAX_RUNS, design_size

        points, runs = design_size(exp)  # before any point is drawn or listed
        if runs > MAX_RUNS:
            errs.append((("design",), f"{points:,} points x {exp.replicates:,} replicates = {runs:,} runs: more "
                         f"than the limit of {MAX_RUNS:,} (every run's plan is held in memory); split the "
                         "experiment or use fewer points"))
    if errs:
        raise ScenarioError([f"{where(pos, loc, file + ":1")}: {format_loc(loc)}: {msg}" for loc, msg in errs])
    from sim.figure_specs import figure_errors  # figure kinds and their fields (docs/figures.md)

    if fig_errs := figure_errors(exp, pos, file):
        raise ScenarioError(fig_errs)
    return exp


def _check_paths(items: list[tuple[str, list[Any]]], section: str, base_data: dict[str, Any], pos: Pos,
                 file: str, scenario_file: str) -> list[str]:
    errs: list[str] = []
    for path, values in items:
        at = where(pos, (section, path), file + ":1")
        try:
            current = get_path(base_data, path)
        except KeyError as e:
            errs.append(f"{at}: {section}.{path}: no field '{e.args[0]}' in the scenario {scenario_file}")
            continue
        if isinstance(current, dict | list):
            errs.append(f"{at}: {section}.{path}: is a section of the scenario, not a value")
            continue
        for v in values:
            try:
                scenario_from_dict(assign(base_data, [(path, v)]), {}, scenario_file)
            except ScenarioError as e:
                errs.append(f"{at}: {section}.{path}: value {v!r} does not fit the scenario: {_short(e)}")
    return errs


def load_experiment(path: str | Path) -> LoadedExperiment:
    """Load and validate an experiment file and its base scenario.

    Raises:
        ScenarioError: one line per problem, each naming the file, the line and the field.
    """
    p = Path(path)
    data, pos = read_yaml(p)
    file = str(p)
    exp = validate_experiment(data, pos, file)
    scen_path = p.parent / exp.scenario
    from sim.scenario.safeyaml import missing

    if (why := missing(scen_path)) is not None:  # no such file, a loop of links, a name too long or with NUL
        raise ScenarioError([f"{where(pos, ('scenario',), file + ":1")}: scenario: {why} {str(scen_path)[:200]!r}"])
    chain = f"{file} uses {scen_path}: "
    try:
        raw, spos = load_raw(scen_path)
    except ScenarioError as e:
        raise ScenarioError([chain + m for m in e.messages]) from None
    spos = {loc: (f, line) if f.startswith("--set") else (chain + f, line) for loc, (f, line) in spos.items()}
    base = scenario_from_dict(raw, spos, str(scen_path))
    base_data = base.model_dump(mode="json")
    fixed = [(k, [v]) for k, v in exp.fixed.items()]
    errs = _check_paths(fixed, "fixed", base_data, pos, file, str(scen_path))
    if errs:
        raise ScenarioError(errs)
    if exp.fixed:
        base = scenario_from_dict(assign(base_data, exp.fixed.items()), {}, str(scen_path))
        base_data = base.model_dump(mode="json")
    from sim.experiment_checks import level_type_errors

    errs = level_type_errors(exp, base_data, pos, file)
    if errs:
        raise ScenarioError(errs)
    varied = [(k, s.ends()) for k, s in exp.parameters.items()]
    errs = _check_paths(varied, "parameters", base_data, pos, file, str(scen_path))
    known = outcome_names(base)
    if exp.outcomes == "all":
        kept = known
    else:
        kept = list(exp.outcomes)
        if not kept:
            errs.append(f"{where(pos, ('outcomes',), file + ':1')}: outcomes: an empty list keeps nothing; "
                        "name outcomes or leave the field out (all)")
        for i, o in enumerate(kept):
            if o in kept[:i]:
                errs.append(f"{where(pos, ('outcomes', i), file + ':1')}: outcomes.{i}: '{o}' is given twice")
            elif o not in known:
                errs.append(f"{where(pos, ('outcomes', i), file + ":1")}: outcomes.{i}: unknown outcome '{o}' for "
                            f"scenario {base.name}; known: {', '.join(known)}")
    from sim.figure_specs import figure_column_errors  # outcomes and columns a figure reads

    errs += figure_column_errors(exp, kept, pos, file, p.parent, base)
    if errs:
        raise ScenarioError(errs)
    return LoadedExperiment(exp, p, scen_path, base, base_data, read_text(p), kept)


def scenario_for(base_data: dict[str, Any], assignments: Iterable[tuple[str, Any]],
                 file: str = "<design point>") -> Scenario:
    """The scenario of one design point: ``base_data`` with each (path, value) set, validated."""
    return scenario_from_dict(assign(base_data, assignments), {}, file)


