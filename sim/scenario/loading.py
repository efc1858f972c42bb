"""Loading a scenario: YAML read safely with the line of every field, ``extends:`` chains merged,
``--set`` overrides applied, then validated (fields, then cross-references) into a :class:`Scenario`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.scenario.checks import cross_references
from sim.scenario.errors import Pos, ScenarioError, format_loc, where
from sim.scenario.paths import apply_overrides
from sim.scenario.spec import Scenario

__all__ = ["load_raw", "load_scenario", "read_yaml", "scenario_from_dict"]


def _positions(node: yaml.Node, file: str, path: tuple[Any, ...], out: Pos) -> None:
    out[path] = (file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[(*path, key)] = (file, k.start_mark.line + 1)
            _positions(v, file, (*path, key), out)
            out[(*path, key)] = (file, k.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _positions(v, file, (*path, i), out)


def read_yaml(path: Path) -> tuple[dict[str, Any], Pos]:
    """Read a YAML mapping safely; return it and the line of every field."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError([f"{name}: cannot read: {e.strerror}"]) from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ScenarioError([f"{name}:{line}: not valid YAML: {getattr(e, 'problem', e)}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError([f"{name}:1: the top level must be a mapping of fields"])
    pos: Pos = {}
    if node is not None:
        _positions(node, name, (), pos)
    return data, pos


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge, anything else replaces; ``null`` over a section removes it.

    Removing a section is how a counterfactual drops a treaty, a clause or an event
    (``treaties: {liptako_gourma: null}``).
    """
    out = dict(base)
    for k, v in over.items():
        if v is None and isinstance(out.get(k), dict):
            out.pop(k)
        elif isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def load_raw(path: str | Path, _seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Pos]:
    """Read a YAML file and resolve its ``extends:`` chain (relative to the file). No validation."""
    p = Path(path)
    if p.resolve() in _seen:
        raise ScenarioError([f"{p}:1: extends: circular chain {' -> '.join(map(str, _seen))}"])
    data, pos = read_yaml(p)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data, pos
    if not isinstance(base_name, str):
        f, line = pos.get(("extends",), (str(p), 1))
        raise ScenarioError([f"{f}:{line}: extends: must be a file name"])
    base_path = (p.parent / base_name)
    if not base_path.exists():
        f, line = pos.get(("extends",), (str(p), 1))
        raise ScenarioError([f"{f}:{line}: extends: no such file {base_path}"])
    base, base_pos = load_raw(base_path, (*_seen, p.resolve()))
    merged = _merge(base, data)
    merged_pos = dict(base_pos)
    merged_pos.update(pos)
    return merged, merged_pos


def scenario_from_dict(data: dict[str, Any], pos: Pos | None = None, file: str = "<scenario>") -> Scenario:
    """Validate raw data into a :class:`Scenario`, or raise :class:`ScenarioError` naming file, line, field."""
    pos = pos or {}
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        msgs = []
        for err in e.errors():
            loc = tuple(err["loc"])
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "missing":
                msg = "required field is missing"
            msgs.append(f"{where(pos, loc, file)}: {format_loc(loc)}: {msg}")
        raise ScenarioError(msgs) from None
    errs = cross_references(s)
    if errs:
        raise ScenarioError([f"{where(pos, loc, file)}: {format_loc(loc)}: {msg}" for loc, msg in errs])
    return s


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Load, resolve ``extends:``, apply ``--set`` overrides and validate a scenario file.

    Raises:
        ScenarioError: with one line per problem, each naming the file, the line and the field.
    """
    data, pos = load_raw(path)
    overrides = list(overrides)
    if overrides:
        data = apply_overrides(data, pos, overrides)
    return scenario_from_dict(data, pos, str(path))
