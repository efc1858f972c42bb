"""Loading a scenario: YAML read safely with the line of every field, ``extends:`` chains merged,
``--set`` overrides applied, then validated (fields, then cross-references) into a :class:`Scenario`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario.checks import cross_references
from sim.scenario.errors import Pos, ScenarioError, format_loc, where
from sim.scenario.paths import apply_overrides
from sim.scenario.safeyaml import missing, parse_text, read_text
from sim.scenario.spec import Scenario

__all__ = ["load_raw", "load_scenario", "read_yaml", "scenario_from_dict"]


def read_yaml(path: Path) -> tuple[dict[str, Any], Pos]:
    """Read a YAML mapping safely (:mod:`sim.scenario.safeyaml`); return it and the line of every field."""
    name = str(path)
    text = read_text(Path(path))
    data, pos = parse_text(text, name)
    if not isinstance(data, dict):
        raise ScenarioError([f"{name}:1: the top level must be a mapping of fields"])
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        f, line = pos.get((str(bad[0]),), (name, 1))
        raise ScenarioError([f"{f}:{line}: {bad[0]!r}: a field name must be text"])
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


MAX_EXTENDS = 16  # shipped chains are at most 2 deep


def load_raw(path: str | Path, _seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Pos]:
    """Read a YAML file and resolve its ``extends:`` chain (relative to the file). No validation.

    A problem in a file further down the chain names the chain: ``a.yaml extends b.yaml: b.yaml:12: ...``
    (in error messages and in the positions of the fields that file gives).
    """
    p = Path(path)
    if (why := missing(p)) is not None:
        raise ScenarioError([f"{str(p)!r}: {why}" if "NUL" in why else f"{p}: cannot read: {why}"])
    try:
        here = p.resolve()
    except (OSError, RuntimeError, ValueError) as e:  # a loop of symbolic links
        raise ScenarioError([f"{p}: cannot read: {e}"]) from None
    if here in _seen:
        raise ScenarioError([f"{p}:1: extends: circular chain {' -> '.join(map(str, (*_seen, here)))}"])
    if len(_seen) >= MAX_EXTENDS:
        raise ScenarioError([f"{p}:1: extends: a chain of more than {MAX_EXTENDS} files"])
    data, pos = read_yaml(p)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data, pos
    f, line = pos.get(("extends",), (str(p), 1))
    if not isinstance(base_name, str) or not base_name.strip():
        raise ScenarioError([f"{f}:{line}: extends: must be a file name"])
    base_path = p.parent / base_name
    if (why := missing(base_path)) is not None:  # a missing file, a loop of links, a name too long ...
        shown = str(base_path) if len(str(base_path)) <= 200 else str(base_path)[:197] + "..."
        raise ScenarioError([f"{f}:{line}: extends: {why}: {shown!r}" if "NUL" in why
                             else f"{f}:{line}: extends: {why} {shown}"])
    chain = f"{p} extends {base_path}: "
    try:
        base, base_pos = load_raw(base_path, (*_seen, here))
    except ScenarioError as e:
        raise ScenarioError([chain + m for m in e.messages]) from None
    merged = _merge(base, data)
    merged_pos = {loc: (bf if bf.startswith("--set") else chain + bf, bl) for loc, (bf, bl) in base_pos.items()}
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
