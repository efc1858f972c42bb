"""The figure kinds of an experiment's ``figures:`` list and the fields of each, checked when the
experiment loads (so ``validate`` and ``sweep --dry-run`` catch a wrong kind or field with its file,
line and field, long before ``run.py figures``). docs/figures.md documents the same table.

Each kind lists its fields as ``name: (type, required, description)``; a field whose type is
``"parameter"`` must be one of the experiment's varied parameters. The drawing functions are in
:mod:`sim.paper` (its ``KINDS`` must name the same kinds: a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.scenario.errors import Pos, where

__all__ = ["FIGURE_KINDS", "figure_column_errors", "figure_errors"]

Field = tuple[str, bool, str]
_TITLE: dict[str, Field] = {"title": ("text", False, "figure title")}
_LABELS: dict[str, Field] = {"labels": ("mapping", False, "{parameter path or group: label} for axes and legends")}
_DATES: dict[str, Field] = {"date": ("date or dates", False, "ISO date (one panel)"),
                            "dates": ("date or dates", False, "ISO dates (one panel each); date or dates is needed")}

FIGURE_KINDS: dict[str, dict[str, Field]] = {
    "timeline": {"panels": ("list of panels", True, "panels stacked top to bottom: {series: [{variable, actor, "
                            "target, label, scale, fill}], ylabel, title, rungs}"), **_TITLE},
    "outcomes": {"outcomes": ("list or mapping", True, "outcomes or tests (max_escalation>=3) to show, or "
                              "{outcome: label}"),
                 "group": ("text", False, "column to group the bars by (default name, the scenario name)"),
                 "order": ("list", False, "order of the groups"),
                 "experiments": ("list", False, "further experiment files (relative) whose runs join these"),
                 **_LABELS, **_TITLE},
    "heatmap": {"x": ("parameter", True, "varied parameter on the x axis"),
                "y": ("parameter", True, "varied parameter on the y axis"),
                "outcome": ("text", True, "outcome (or a test such as war_weeks>10) coloured in each cell"),
                "stat": ("one of mean, median, probability", False, "statistic per cell (default mean)"),
                "xlabel": ("text", False, "x axis label"), "ylabel": ("text", False, "y axis label"),
                "value_label": ("text", False, "colour bar label"), "cmap": ("text", False, "matplotlib colormap"),
                "bins": ("number", False, "bins of a sampled (not grid) parameter"),
                "vmin": ("number", False, "colour scale low end"), "vmax": ("number", False, "colour scale high end"),
                **_LABELS, **_TITLE},
    "line": {"x": ("parameter", True, "varied parameter on the x axis"),
             "outcome": ("text", True, "outcome on the y axis (a share of runs for yes/no outcomes)"),
             "hue": ("parameter", False, "varied parameter: one line per value"),
             "xlabel": ("text", False, "x axis label"), "ylabel": ("text", False, "y axis label"),
             "hue_label": ("text", False, "legend title"), **_LABELS, **_TITLE},
    "sensitivity": {"method": ("one of sobol, morris", False, "which indices (default: the design's)"),
                    "outcomes": ("list or mapping", False, "outcomes to show, or {outcome: panel title}"),
                    **_LABELS, **_TITLE},
    "tradeoff": {"x": ("parameter", True, "varied parameter on the x axis"),
                 "panels": ("list of panels", True, "{variable, actors, stat (final|mean|min|max), ylabel, "
                            "title, scale} per panel (needs timeline: summary)"),
                 "xlabel": ("text", False, "x axis label"), **_LABELS, **_TITLE},
    "map_network": {**_DATES, "blocs": ("list", False, "bloc ids to draw (default all)"),
                    "min_share": ("number", False, "share of runs a tie needs to be drawn (default 0.5)"), **_TITLE},
    "network": {**_DATES, "blocs": ("list", False, "bloc ids to draw (default all)"),
                "min_share": ("number", False, "share of runs a tie needs to be drawn (default 0.5)"), **_TITLE},
    "regime_map": {**_DATES, **_TITLE},
    "rung_map": {**_DATES, "bloc": ("text", False, "bloc whose rung is coloured (default the focus bloc)"),
                 **_TITLE},
}

_DATE_KINDS = {"map_network", "network", "regime_map", "rung_map"}


def _type_error(kind: str, v: Any) -> str | None:
    if kind in ("text", "parameter") and not isinstance(v, str):
        return "must be text"
    if kind == "number" and (isinstance(v, bool) or not isinstance(v, int | float)):
        return "must be a number"
    if kind == "list" and not isinstance(v, list):
        return "must be a list"
    if kind == "mapping" and not isinstance(v, Mapping):
        return "must be a mapping"
    if kind == "list or mapping" and not isinstance(v, list | Mapping):
        return "must be a list or a mapping"
    if kind == "list of panels" and not (isinstance(v, list) and v and all(isinstance(p, Mapping) for p in v)):
        return "must be a non-empty list of panels (mappings)"
    if kind.startswith("one of "):
        allowed = kind.removeprefix("one of ").split(", ")
        if v not in allowed:
            return f"must be one of {', '.join(allowed)}"
    return None


def _panel_errors(kind: str, panels: list[Any]) -> list[tuple[tuple[Any, ...], str]]:
    out: list[tuple[tuple[Any, ...], str]] = []
    for i, p in enumerate(panels):
        if not isinstance(p, Mapping):
            continue
        if kind == "timeline":
            for need in ("series", "ylabel"):
                if need not in p:
                    out.append((("panels", i, need), "required field is missing"))
            for j, s in enumerate(p.get("series") or []):
                if not isinstance(s, Mapping) or "variable" not in s:
                    out.append((("panels", i, "series", j, "variable"), "required field is missing"))
                    continue
                extra = set(s) - {"variable", "actor", "target", "label", "scale", "fill"}
                out += [(("panels", i, "series", j, e), "unknown field") for e in sorted(extra)]
        elif "variable" not in p:
            out.append((("panels", i, "variable"), "required field is missing"))
        elif p.get("stat", "mean") not in ("final", "mean", "min", "max"):
            out.append((("panels", i, "stat"), "must be one of final, mean, min, max"))
    return out


def figure_errors(exp: Any, pos: Pos, file: str) -> list[str]:
    """``file:line: figures.N.params.FIELD: message`` for every figure of ``exp`` (a validated
    :class:`sim.experiment.Experiment`; not imported here, which imports this module) that cannot be drawn
    as written: an unknown kind, an unknown, missing or mistyped field, an axis that is not varied."""
    errs: list[str] = []
    names: set[str] = set()
    for i, f in enumerate(exp.figures):
        at = ("figures", i)
        if f.name in names:
            errs.append(f"{where(pos, (*at, 'name'), file + ':1')}: figures.{i}.name: {f.name!r} is used twice")
        names.add(f.name)
        spec = FIGURE_KINDS.get(f.kind)
        if spec is None:
            errs.append(f"{where(pos, (*at, 'kind'), file + ':1')}: figures.{i}.kind: unknown figure kind "
                        f"{f.kind!r} (known: {', '.join(sorted(FIGURE_KINDS))}; see docs/figures.md)")
            continue
        found: list[tuple[tuple[Any, ...], str]] = []
        for key, v in f.params.items():
            if key not in spec:
                found.append(((key,), f"unknown field for a {f.kind} figure (fields: {', '.join(spec)})"))
                continue
            t = spec[key][0]
            bad = _type_error(t, v)
            if bad is None and t == "parameter" and v not in exp.parameters:
                bad = f"{v!r} is not a varied parameter of this experiment (varied: {', '.join(exp.parameters)})"
            if bad:
                found.append(((key,), bad))
        for key, (_, required, _) in spec.items():
            if required and key not in f.params:
                found.append(((key,), "required field is missing"))
        if f.kind in _DATE_KINDS and "date" not in f.params and "dates" not in f.params:
            found.append((("dates",), "required field is missing (date or dates)"))
        if isinstance(f.params.get("panels"), list):
            found += _panel_errors(f.kind, f.params["panels"])
        for loc, msg in found:
            full = (*at, "params", *loc)
            dotted = ".".join(str(x) for x in full)
            errs.append(f"{where(pos, full, file + ':1')}: {dotted}: {msg}")
    return errs


_TEST_OPS = (">=", "<=", ">", "<", "==")  # those of sim.figures.tables.outcome_test, in the order it tries them
RUN_COLUMNS = ("run_id", "point", "replicate", "seed")  # besides the varied parameters and the outcomes


def _outcome_error(spec: Any, kept: list[str]) -> str | None:
    """Why ``spec`` (an outcome, or a test such as ``max_escalation>=3``) cannot be read from the runs."""
    if not isinstance(spec, str):
        return "must be text (an outcome, or a test such as war_weeks>10)"
    col = spec
    for op in _TEST_OPS:
        if op in spec:
            col, _, val = spec.partition(op)
            try:
                float(val)
            except ValueError:
                return f"{spec!r}: {val.strip()!r} is not a number to compare with"
            break
    if col.strip() not in kept:
        return f"{col.strip()!r} is not an outcome this experiment keeps (outcomes: {', '.join(kept)})"
    return None


# The tables a kind reads (sim.paper's _need): timeline.keep values that store them, and whether events.
_TABLES: dict[str, tuple[tuple[str, ...], bool]] = {
    "timeline": (("full",), False), "rung_map": (("full",), False), "map_network": (("full",), True),
    "network": (("full",), True), "tradeoff": (("full", "summary"), False)}


def _value_errors(p: Mapping[str, Any], base: Any = None) -> list[tuple[tuple[Any, ...], str]]:
    """Values a figure's fields take that its drawing cannot use (found after every run otherwise)."""
    import datetime as dt

    out: list[tuple[tuple[Any, ...], str]] = []
    for key in ("date", "dates"):
        given = p.get(key)
        for j, d in enumerate(given if isinstance(given, list) else [] if given is None else [given]):
            loc = (key, j) if isinstance(given, list) else (key,)
            try:
                day = d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
            except ValueError:
                out.append((loc, f"{d!r} is not an ISO date (e.g. 2023-08-01)"))
                continue
            if base is not None and not base.start <= day <= base.end:
                out.append((loc, f"{day} is outside the scenario ({base.start} to {base.end})"))
    blocs = list(getattr(base, "blocs", None) or []) if base is not None else None
    named = [("bloc",), p["bloc"]] if isinstance(p.get("bloc"), str) else None
    for loc, b in ([named] if named else []) + [(("blocs", j), b) for j, b in enumerate(p.get("blocs") or [])
                                                 if isinstance(p.get("blocs"), list)]:
        if blocs is not None and b not in blocs:
            out.append((loc, f"{b!r} is not a bloc of the scenario (blocs: {', '.join(blocs)})"))
    b = p.get("bins")
    if b is not None and not (isinstance(b, int | float) and not isinstance(b, bool) and float(b).is_integer()
                              and 1 <= b <= 1000):
        out.append((("bins",), "a whole number of bins from 1 to 1,000"))
    s = p.get("min_share")
    if s is not None and not (isinstance(s, int | float) and not isinstance(s, bool) and 0 <= s <= 1):
        out.append((("min_share",), "a share of runs from 0 to 1"))
    lo, hi = p.get("vmin"), p.get("vmax")
    if isinstance(lo, int | float) and isinstance(hi, int | float) and not isinstance(lo, bool) \
            and not isinstance(hi, bool) and not lo < hi:
        out.append((("vmax",), f"must be above vmin ({lo})"))
    cmap = p.get("cmap")
    if isinstance(cmap, str):
        import matplotlib

        if cmap not in matplotlib.colormaps:
            out.append((("cmap",), f"{cmap!r} is not a matplotlib colormap (e.g. viridis, Blues, RdBu_r)"))
    return out


def figure_column_errors(exp: Any, kept: list[str], pos: Pos, file: str, here: Any = None,
                         base: Any = None) -> list[str]:
    """``file:line: figures.N.params.FIELD: message`` for every outcome a figure names that the
    experiment does not keep (``kept``), a bar chart's ``group`` that is no column of its runs, and a
    further experiment (``experiments:``) that is not a file beside ``here`` (the experiment's folder)."""
    errs: list[str] = []
    for i, f in enumerate(exp.figures):
        found: list[tuple[tuple[Any, ...], str]] = []
        p = f.params
        for j, rel in enumerate(p.get("experiments") or [] if isinstance(p.get("experiments"), list) else []):
            if not isinstance(rel, str) or not rel.strip():
                found.append((("experiments", j), "must be the file name of an experiment"))
            elif here is not None and not (here / rel).is_file():
                found.append((("experiments", j), f"no such experiment file {here / rel}"))
        if f.kind in ("heatmap", "line") and "outcome" in p:
            if (why := _outcome_error(p["outcome"], kept)) is not None:
                found.append((("outcome",), why))
        if f.kind in ("outcomes", "sensitivity") and isinstance(p.get("outcomes"), list | Mapping):
            for o in p["outcomes"]:
                if (why := _outcome_error(o, kept)) is not None:
                    found.append((("outcomes", o), why))
        found += _value_errors(p, base)
        need = _TABLES.get(f.kind)
        keep = getattr(exp.timeline, "keep", "none")
        missing = ([f"'timeline: {need[0][-1]}'"] if need and keep not in need[0] else []) + \
            (["'events: true'"] if need and need[1] and not exp.events else [])
        if missing:
            errs.append(f"{where(pos, ('figures', i, 'kind'), file + ':1')}: figures.{i}.kind: a {f.kind} figure "
                        f"reads what the runs store only with {' and '.join(missing)} in the experiment")
        if f.kind == "outcomes":
            group = p.get("group", "name")
            columns = [*exp.parameters, *kept, *RUN_COLUMNS]
            if group not in columns:
                found.append((("group",), f"{group!r} is not a column of the runs: vary it (e.g. 'name: "
                              "[<the scenario's name>]' under parameters) or give group: one of "
                              f"{', '.join(map(str, columns))}"))
        for loc, msg in found:
            full = ("figures", i, "params", *loc)
            errs.append(f"{where(pos, full, file + ':1')}: {'.'.join(str(x) for x in full)}: {msg}")
    return errs
