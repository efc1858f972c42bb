"""Dotted paths into scenario data (``treaties.liptako_gourma.clauses.art6.bindingness``): the
``--set PATH=VALUE`` overrides of the command line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import yaml

from sim.scenario.errors import Pos, ScenarioError

__all__ = ["apply_overrides"]


def _parse_value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def apply_overrides(data: dict[str, Any], pos: Pos, overrides: Iterable[str]) -> dict[str, Any]:
    """Apply ``path.to.field=value`` overrides (values parsed as YAML scalars) to raw scenario data.

    ``path.to.section=null`` removes a section (a treaty, a clause, an event), as ``null`` does in a file
    that ``extends:`` another.
    """
    out = json.loads(json.dumps(data, default=str))  # a deep copy with plain types
    for item in overrides:
        if "=" not in item:
            raise ScenarioError([f"--set {item}: expected PATH=VALUE"])
        dotted, _, raw = item.partition("=")
        keys = dotted.strip().split(".")
        node: Any = out
        for i, k in enumerate(keys[:-1]):
            if isinstance(node, list) and k.isdigit():
                node = node[int(k)]
                continue
            if not isinstance(node, dict):
                where = ".".join(keys[: i + 1])
                raise ScenarioError([f"--set {dotted}: '{where}' is not a section"])
            if k not in node:  # a section the file leaves to defaults; validation checks the name
                node[k] = {}
                pos[tuple(keys[: i + 1])] = (f"--set {dotted}", 0)
            node = node[k]
        value = _parse_value(raw)
        if isinstance(node, list) and keys[-1].isdigit():
            node[int(keys[-1])] = value
        elif isinstance(node, dict) and value is None and isinstance(node.get(keys[-1]), dict):
            node.pop(keys[-1])  # PATH=null removes a section, as in an extends: file
        elif isinstance(node, dict):
            node[keys[-1]] = value
        else:
            raise ScenarioError([f"--set {dotted}: '{'.'.join(keys[:-1])}' is not a section"])
        pos[tuple(keys)] = (f"--set {dotted}", 0)
    return out
