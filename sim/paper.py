"""Paper figures as experiments: each experiment's ``figures:`` entries, drawn from its stored results.

An experiment (``experiments/*.yaml``, see :mod:`sim.experiment`) lists figures as
``{name, kind, params}``. This module maps each ``kind`` to a function ``(results, params) -> Figure``
(:data:`KINDS`). The functions read only stored tables (:class:`FigureInput`: the sweep's tables, its
manifest and the experiment's base scenario), never a live model; ``run.py figures`` loads the results,
runs what is missing and saves the figures (see :mod:`sim.commands.figures`).

A figure may combine several experiments (e.g. the same outcomes under three treaty designs): its
``params.experiments`` lists further experiment files, relative to the experiment file; their results
are loaded the same way and reach the function as ``results.others``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim import figures as F

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

    from sim.experiment import LoadedExperiment
    from sim.sweep import SweepResult

__all__ = ["KINDS", "FigureError", "FigureInput", "draw", "figure_dependencies", "kind_names"]


class FigureError(ValueError):
    """A figure cannot be drawn from these results with these params (names the figure and the cause)."""


@dataclass
class FigureInput:
    """What a figure function may read: stored tables, the manifest and the base scenario.

    Attributes:
        results: the sweep's tables (outcomes, timeline, summary, events, points, manifest).
        experiment: the experiment file, loaded (its ``base`` is the scenario the runs started from).
        others: results of further experiments named in the figure's ``params.experiments``.
        directory: the results directory (where ``run.py analyze`` may have left ``sensitivity.parquet``).
    """

    results: SweepResult
    experiment: LoadedExperiment
    others: list[FigureInput] = field(default_factory=list)
    directory: Path | None = None

    @property
    def name(self) -> str:
        return self.experiment.spec.name

    def caption(self) -> str:
        """Scenario, runs (points x replicates) and root seed of this and any further experiments."""
        parts = [_caption_one(self)] + [_caption_one(o) for o in self.others]
        return "; ".join(parts)


def _caption_one(fi: FigureInput) -> str:
    m = fi.results.manifest
    points = m.get("design", {}).get("points", len(fi.results.points))
    reps = m.get("replicates", "?")
    runs = len(fi.results.outcomes)
    design = m.get("design", {}).get("kind", "?")
    shape = f"{reps} replicates" if points == 1 else f"{points} {design} points × {reps} replicates"
    return (f"experiment {fi.name}: scenario {m.get('scenario', {}).get('name', '?')}, {runs} runs "
            f"({shape}), root seed {m.get('root_seed', '?')}")


# --- helpers -----------------------------------------------------------------------------------------


def _need(fi: FigureInput, table: str) -> pd.DataFrame:
    df: pd.DataFrame = getattr(fi.results, table)
    if df.empty:
        hints = {"timeline": "timeline: full", "summary": "timeline: summary", "events": "events: true"}
        hint = hints.get(table)
        raise FigureError(f"experiment {fi.name} stored no {table} table"
                          + (f" (the experiment needs '{hint}')" if hint else ""))
    return df


def _label(path: str, labels: Mapping[str, str]) -> str:
    return labels.get(path, path.split(".")[-1].replace("_", " "))


def _outcome_map(spec: Any) -> dict[str, str]:
    if spec is None:
        return {"intervention": "force used (intervention)", "war": "any interstate war"}
    if isinstance(spec, str):
        return {spec: spec}
    if isinstance(spec, list):
        return {str(o): str(o) for o in spec}
    return {str(k): str(v) for k, v in dict(spec).items()}


def entity_names(base: Any) -> dict[str, str]:
    """Readable names of the scenario's entities for legends: ``jnim`` -> ``JNIM``, ``usa`` -> its name."""
    out: dict[str, str] = {}
    for section in ("states", "blocs", "armed_groups", "external_powers"):
        for eid, spec in (getattr(base, section, None) or {}).items():
            name = getattr(spec, "name", None)
            if name:
                out[str(eid)] = str(name)
    return out


# --- kinds -------------------------------------------------------------------------------------------


def timeline(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """Stacked timeline panels (median, 50%/90% bands). params: ``panels`` (list of
    ``{series: [{variable, actor, target, label, scale, fill}], ylabel, title, rungs}``), ``title``."""
    tl = _need(fi, "timeline")
    try:
        panels = [F.Panel.from_dict(p) for p in params["panels"]]
    except (KeyError, TypeError) as e:
        raise FigureError(f"timeline needs params.panels with series and ylabel ({e})") from None
    return F.timeline_panels(tl, panels, str(params.get("title", f"{fi.experiment.base.name}: timeline")),
                             fi.caption(), names=entity_names(fi.experiment.base))


def outcomes(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """Outcome probabilities with 95% Wilson intervals, one bar per group (e.g. per treaty design).

    params: ``outcomes`` ({column or test: label}), ``group`` (a column; default ``name``, the scenario
    name), ``order`` and ``labels`` (group -> legend label), ``experiments`` (further experiments whose
    runs join this one's), ``title``.
    """
    frames = [_need(x, "outcomes") for x in [fi, *fi.others]]
    group = str(params.get("group", "name"))
    for x, df in zip([fi, *fi.others], frames, strict=True):
        if group not in df.columns:
            raise FigureError(f"experiment {x.name}: no column {group!r} to group by (vary it, e.g. "
                              f"'name: [{x.experiment.base.name}]')")
    df = pd.concat([d[[group, *[c for c in d.columns if c != group]]] for d in frames], ignore_index=True)
    cols = _outcome_map(params.get("outcomes"))
    order = [str(g) for g in params["order"]] if "order" in params else None
    labels = {str(k): str(v) for k, v in dict(params.get("labels", {})).items()}
    return F.outcome_probabilities(df, cols, str(params.get("title", "Outcome probabilities")), fi.caption(),
                                   group=group, order=order, group_labels=labels)


def heatmap(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """An outcome over two swept parameters. params: ``x``, ``y`` (dotted paths), ``outcome``, ``stat``
    (``mean``: the share of runs for a yes/no outcome; ``median``), ``xlabel``, ``ylabel``,
    ``value_label``, ``title``, ``cmap``, ``bins``, ``vmin``, ``vmax`` (colour scale; default 0-1 for a
    probability)."""
    df = _need(fi, "outcomes")
    x, y, outcome = str(params.get("x", "")), str(params.get("y", "")), str(params.get("outcome", ""))
    for c in (x, y):
        if c not in df.columns:
            raise FigureError(f"heatmap: {c!r} is not a swept parameter of {fi.name} "
                              f"(have {', '.join(fi.results.manifest.get('parameters', []))})")
    base = outcome.split(">")[0].split("<")[0].split("=")[0]
    if base not in df.columns:
        raise FigureError(f"heatmap: no outcome {base!r} in {fi.name}")
    prob = F.is_probability(df, outcome)
    stat = str(params.get("stat", "mean"))
    stat = "probability" if prob and stat in ("mean", "probability") else stat
    labels = dict(params.get("labels", {}))
    value_label = str(params.get("value_label", f"P({outcome})" if prob else f"{stat} of {outcome}"))
    return F.outcome_heatmap(
        df, x, y, outcome, str(params.get("title", f"{value_label} over {_label(x, labels)} and "
                                                  f"{_label(y, labels)}")), fi.caption(),
        xlabel=str(params.get("xlabel", _label(x, labels))),
        ylabel=str(params.get("ylabel", _label(y, labels))),
        value_label=value_label, stat=stat, cmap=str(params.get("cmap", "magma_r")),
        bins=params.get("bins", 10),
        vmin=float(params["vmin"]) if "vmin" in params else None,
        vmax=float(params["vmax"]) if "vmax" in params else None)


def line(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """An outcome against one swept parameter, one line per level of ``hue`` (optional), with 95%
    intervals (Wilson for yes/no outcomes, normal for means). params: ``x``, ``outcome``, ``hue``,
    ``xlabel``, ``ylabel``, ``title``."""
    df = _need(fi, "outcomes")
    x, outcome = str(params.get("x", "")), str(params.get("outcome", ""))
    hue = params.get("hue")
    if x not in df.columns:
        raise FigureError(f"line: {x!r} is not a swept parameter of {fi.name}")
    labels = dict(params.get("labels", {}))
    return F.outcome_lines(df, x, outcome, str(params.get("title", f"{outcome} against {_label(x, labels)}")),
                           fi.caption(), hue=str(hue) if hue else None,
                           xlabel=str(params.get("xlabel", _label(x, labels))),
                           ylabel=str(params.get("ylabel", outcome)),
                           hue_label=str(params.get("hue_label", _label(str(hue), labels) if hue else "")))


def sensitivity(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """Sobol S1/ST or Morris mu*/sigma per parameter and outcome, from ``sensitivity.parquet`` in the
    results (written by ``run.py analyze``) or computed from the stored outcomes with the same code.
    params: ``method``, ``outcomes`` (list or {outcome: panel title}), ``labels`` ({path: label}),
    ``title``."""
    from sim.sensitivity import analyze_sweep

    outs = _outcome_map(params.get("outcomes")) if params.get("outcomes") else None
    stored = fi.directory / "sensitivity.parquet" if fi.directory is not None else None
    if stored is not None and stored.is_file():
        table = pd.read_parquet(stored)
    else:
        try:
            table = analyze_sweep(fi.results, list(outs) if outs else None).table
        except ValueError as e:
            raise FigureError(f"sensitivity: {e}") from None
    if outs and not set(outs) & set(table["outcome"]):
        raise FigureError(f"sensitivity: no indices for {', '.join(outs)} in {fi.name} "
                          "(constant or undefined across the design)")
    labels = {p: _label(p, dict(params.get("labels", {}))) for p in table["parameter"].unique()}
    method = params.get("method")
    return F.sensitivity_bars(table, str(params.get("title", "Sensitivity")), fi.caption(), outcomes=outs,
                              param_labels=labels, method=str(method) if method else None)


def tradeoff(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """Per-actor summaries of timeline variables against one swept parameter, side by side (e.g. troops
    sent to allies vs. insurgent strength at home). params: ``x``, ``panels`` (list of ``{variable,
    actors, stat (final|mean|min|max), ylabel, title, scale}``), ``xlabel``, ``title``."""
    df = _need(fi, "outcomes")
    summary = fi.results.summary
    if summary.empty and not fi.results.timeline.empty:
        tl = fi.results.timeline
        g = tl.groupby(["run_id", "variable", "actor", "target"], sort=True)["value"]
        summary = pd.concat([g.last().rename("final"), g.mean().rename("mean"), g.min().rename("min"),
                             g.max().rename("max")], axis=1).reset_index()
    if summary.empty:
        raise FigureError(f"tradeoff: experiment {fi.name} kept no timeline (needs 'timeline: summary')")
    x = str(params.get("x", ""))
    if x not in df.columns:
        raise FigureError(f"tradeoff: {x!r} is not a swept parameter of {fi.name}")
    labels = dict(params.get("labels", {}))
    return F.summary_lines(summary, df[["run_id", x]], x, list(params.get("panels", [])),
                           str(params.get("title", "Trade-off")), fi.caption(),
                           xlabel=str(params.get("xlabel", _label(x, labels))), names=entity_names(fi.experiment.base))


def _dates(params: Mapping[str, Any]) -> list[str]:
    d = params.get("dates", params.get("date"))
    if d is None:
        raise FigureError("needs params.dates (ISO dates, e.g. [2023-08-01, 2024-03-01])")
    return [str(x) for x in (d if isinstance(d, list) else [d])]


def map_network(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """Maps of bloc membership and alliance networks at key dates. params: ``dates``, ``blocs``,
    ``min_share``, ``title``."""
    tl, ev = _need(fi, "timeline"), _need(fi, "events")
    blocs = [str(b) for b in params.get("blocs", list(fi.experiment.base.blocs))]
    return F.map_network_panels(fi.experiment.base, ev, tl, _dates(params),
                                str(params.get("title", "Membership and alliances")), fi.caption(),
                                blocs=blocs, min_share=float(params.get("min_share", 0.5)))


def network(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """The alliance and membership network at one date. params: ``date``, ``blocs``, ``min_share``."""
    tl, ev = _need(fi, "timeline"), _need(fi, "events")
    blocs = params.get("blocs")
    return F.alliance_network(fi.experiment.base, ev, tl, _dates(params)[0],
                              str(params.get("title", "Alliance and membership network")), fi.caption(),
                              blocs=[str(b) for b in blocs] if blocs else None,
                              min_share=float(params.get("min_share", 0.5)))


def regime_map(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """The region coloured by each state's most common regime at ``date``."""
    ev = fi.results.events
    return F.regime_map(fi.experiment.base, ev, _dates(params)[0], str(params.get("title", "Regimes")),
                        fi.caption())


def rung_map(fi: FigureInput, params: Mapping[str, Any]) -> plt.Figure:
    """The region coloured by the median rung of ``bloc``'s response to each target at ``date``."""
    tl = _need(fi, "timeline")
    bloc = str(params.get("bloc", fi.experiment.base.focus_bloc or ""))
    return F.rung_map(tl, bloc, _dates(params)[0], str(params.get("title", f"Response of {bloc}")),
                      fi.caption(), states=list(fi.experiment.base.states))


KINDS: dict[str, Callable[[FigureInput, Mapping[str, Any]], plt.Figure]] = {
    "timeline": timeline,
    "outcomes": outcomes,
    "heatmap": heatmap,
    "line": line,
    "sensitivity": sensitivity,
    "tradeoff": tradeoff,
    "map_network": map_network,
    "network": network,
    "regime_map": regime_map,
    "rung_map": rung_map,
}


def kind_names() -> list[str]:
    return sorted(KINDS)


def figure_dependencies(exp: LoadedExperiment) -> list[Path]:
    """Further experiment files the figures of ``exp`` read (``params.experiments``), resolved."""
    out: list[Path] = []
    for f in exp.spec.figures:
        for rel in f.params.get("experiments", []) or []:
            p = (exp.path.parent / str(rel)).resolve()
            if p not in out:
                out.append(p)
    return out


def draw(fi: FigureInput, name: str, kind: str, params: Mapping[str, Any]) -> plt.Figure:
    """Draw one figure of ``fi``'s experiment.

    Raises:
        FigureError: unknown kind, or the stored tables cannot give this figure.
    """
    if kind not in KINDS:
        raise FigureError(f"{fi.name}: figure {name!r}: unknown kind {kind!r} "
                          f"(known: {', '.join(kind_names())})")
    try:
        return KINDS[kind](fi, params)
    except FigureError as e:
        raise FigureError(f"{fi.name}: figure {name!r} ({kind}): {e}") from None
