"""Dotted paths into scenario data: the one way a field is named and changed from outside its file.

A path names a field by its keys, dots between them, digits indexing lists:
``treaties.liptako_gourma.clauses.art6.bindingness``, ``parameters.support.rung_cost.3``. Three users:

- ``--set PATH=VALUE`` on the command line (:func:`apply_overrides`, on raw data before validation; a
  missing section is created, ``PATH=null`` removes one);
- experiments (:mod:`sim.experiment`): ``fixed:`` and ``parameters:`` set existing fields of the base
  scenario's data (:func:`get_path`, :func:`set_path`, :func:`assign`);
- the instructor's page (:mod:`sim.viz.lessons`): its switches set fields a lesson may not have
  (:func:`set_if_present`);
- history (:mod:`sim.history`) and calibration: rule parameters replaced on a validated scenario
  (:func:`with_parameters`; ``--set parameters.…`` items picked out by :func:`split_overrides`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from sim.scenario.errors import Pos, ScenarioError
from sim.scenario.parameters import ModelParams
from sim.scenario.spec import Scenario

__all__ = [
    "apply_overrides",
    "assign",
    "get_path",
    "parse_value",
    "set_if_present",
    "set_path",
    "split_overrides",
    "with_parameters",
]


def _walk(data: Any, keys: list[str], made: list[tuple[str, ...]] | None = None) -> Any:
    """The node at ``keys``; KeyError naming the path up to the first key that leads nowhere.

    With ``made``, a key missing from a mapping becomes an empty section, and its path is appended.
    """
    node = data
    for i, k in enumerate(keys):
        if isinstance(node, list) and k.isdigit() and int(k) < len(node):
            node = node[int(k)]
        elif isinstance(node, dict) and k in node:
            node = node[k]
        elif made is not None and isinstance(node, dict):
            node[k] = {}
            made.append(tuple(keys[: i + 1]))
            node = node[k]
        else:
            raise KeyError(".".join(keys[: i + 1]))
    return node


def _put(parent: Any, key: str, value: Any) -> None:
    if isinstance(parent, list) and key.isdigit():
        if int(key) >= len(parent):
            raise KeyError(key)  # a list is not extended by a path
        parent[int(key)] = value
    elif isinstance(parent, dict):
        parent[key] = value
    else:
        raise KeyError(key)


def get_path(data: Any, path: str) -> Any:
    """The value at ``path``, or raise KeyError naming the part of the path that does not exist."""
    return _walk(data, path.split("."))


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at ``path`` in place, keeping the value's type exactly; its section must exist."""
    keys = path.split(".")
    _put(_walk(data, keys[:-1]), keys[-1], value)


def set_if_present(data: dict[str, Any], path: str, value: Any) -> bool:
    """Set ``path`` when its section exists (see :func:`set_path`); False, changing nothing, when not."""
    try:
        set_path(data, path, value)
    except KeyError:
        return False
    return True


def assign(base: dict[str, Any], assignments: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A deep copy of ``base`` with each ``(path, value)`` set."""
    data = copy.deepcopy(base)
    for path, value in assignments:
        set_path(data, path, value)
    return data


def parse_value(text: str, path: str = "") -> Any:
    """The value of ``PATH=VALUE``: a YAML scalar (or list), else the text itself (read by the safe
    loader of :mod:`sim.scenario.safeyaml`: no alias bomb, no deep nesting, no duplicate keys)."""
    from sim.scenario.safeyaml import parse_text

    if len(text) > 100_000:
        raise ScenarioError([f"--set{' ' + path if path else ''}: a value of {len(text):,} characters (at most "
                             "100,000)"])
    try:
        return parse_text(text, "--set", positions=False)[0]
    except ScenarioError:
        return text


def apply_overrides(data: dict[str, Any], pos: Pos, overrides: Iterable[str]) -> dict[str, Any]:
    """Apply ``path.to.field=value`` overrides (values parsed as YAML scalars) to raw scenario data.

    ``path.to.section=null`` removes a section (a treaty, a clause, an event), as ``null`` does in a file
    that ``extends:`` another. Each field set (and each section created) is placed at ``--set PATH`` in
    ``pos``, so a validation error names the override.
    """
    out = json.loads(json.dumps(data, default=str))  # a deep copy with plain types
    for item in overrides:
        if "=" not in item:
            raise ScenarioError([f"--set {item}: expected PATH=VALUE"])
        dotted, _, raw = item.partition("=")
        keys = dotted.strip().split(".")
        made: list[tuple[str, ...]] = []  # sections the file leaves to defaults; validation checks the name
        try:
            node = _walk(out, keys[:-1], made)
        except KeyError as e:
            raise ScenarioError([f"--set {dotted}: '{e.args[0]}' is not a section"]) from None
        for loc in made:
            pos[loc] = (f"--set {dotted}", 0)
        value = parse_value(raw, dotted)
        if isinstance(node, dict) and value is None and isinstance(node.get(keys[-1]), dict):
            node.pop(keys[-1])  # PATH=null removes a section, as in an extends: file
        else:
            try:
                _put(node, keys[-1], value)
            except KeyError:
                raise ScenarioError([f"--set {dotted}: '{'.'.join(keys[:-1])}' is not a section"]) from None
        pos[tuple(keys)] = (f"--set {dotted}", 0)
    return out


def split_overrides(overrides: Iterable[str]) -> tuple[list[str], dict[str, Any]]:
    """``--set`` items: rule parameters (``parameters.…``, for :func:`with_parameters`, so they work
    whether or not the file sets them) and the rest (for :func:`sim.scenario.load_scenario`)."""
    rest, params = [], {}
    for item in overrides:
        path, sep, raw = item.partition("=")
        if sep and path.strip().startswith("parameters."):
            params[path.strip()] = parse_value(raw, path.strip())
        else:
            rest.append(item)
    return rest, params


def with_parameters(s: Scenario, values: Mapping[str, Any], where: str = "--set") -> Scenario:
    """A copy of ``s`` with rule parameters replaced, validated (bounds checked).

    Args:
        values: ``{"support.w_norm": 2.0, "support.rung_cost": [...], ...}``: dotted paths under
            ``parameters`` (a leading ``parameters.`` is accepted), whether or not the file sets them.
        where: named in error messages.

    Raises:
        ScenarioError: an unknown path or a value out of bounds.
    """
    data = s.parameters.model_dump(mode="json")
    for dotted, value in values.items():
        keys = dotted.removeprefix("parameters.").split(".")
        try:
            parent = _walk(data, keys[:-1])
        except KeyError:
            parent = None
        if not isinstance(parent, dict) or keys[-1] not in parent:
            at = f"{where} parameters.{'.'.join(keys)}" if where == "--set" else where
            raise ScenarioError([f"{at}: parameters.{'.'.join(keys)}: no such parameter"])
        parent[keys[-1]] = value
    try:
        params = ModelParams.model_validate(data)
    except ValidationError as e:
        msgs = []
        for err in e.errors():
            p = ".".join(str(x) for x in err["loc"])
            at = f"{where} parameters.{p}" if where == "--set" else where  # the flag as the user gave it
            msgs.append(f"{at}: parameters.{p}: {err['msg']}")
        raise ScenarioError(msgs) from None
    return s.model_copy(update={"parameters": params})
