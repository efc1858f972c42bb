"""YAML read defensively: every file a user gives (scenario, experiment, ``--set`` value) goes through here.

Before anything is built, the file and its text are checked, so that a hostile or broken input fails in
milliseconds with ``file:line: message`` and never with a traceback, a hang or an exhausted memory:

- only a regular file is read (not a directory, a device such as ``/dev/zero``, a pipe), and at most
  :data:`MAX_BYTES`; the text must be UTF-8 (the line of the first bad byte is named);
- the event stream is walked once, without recursion, to bound the nesting depth (:data:`MAX_DEPTH`) and
  the size of the document once every alias is expanded (:data:`MAX_NODES`: an "alias bomb" of a few
  lines that would expand into billions of nodes is refused before it is built);
- the document is built with a safe constructor (no Python objects) that refuses a key given twice in
  one mapping, at any level, and an impossible date such as ``2017-02-30``, each with its line;
- the line of every field is recorded by walking the node graph once (a node reached again through an
  alias is not walked again).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.errors import Pos, ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "missing", "parse_text", "read_text"]

MAX_BYTES = 5 * 1024 * 1024  # a scenario is a few kB; the largest shipped file is under 40 kB
MAX_DEPTH = 64  # the format nests at most 6 levels (treaties.X.clauses.Y.trigger.event)
MAX_NODES = 200_000  # values after expanding aliases; the largest shipped file has about 2,000


# libyaml's parser when PyYAML has it (ten times faster); the constructor is PyYAML's safe one either way.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader, with duplicate keys and impossible dates refused (with their line)."""

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge keys (``<<: *base``) resolved, marking the keys that came in that way: a mapping's own
        key may override a merged one without counting as given twice."""
        before = {id(k) for k, _ in node.value}
        super().flatten_mapping(node)
        for k, _ in node.value:
            if id(k) not in before:
                k._merged = True  # type: ignore[attr-defined]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)  # merge keys (<<: *base) first: a key may override a merged one
    seen: dict[Any, int] = {}
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", k.start_mark)
        if getattr(k, "_merged", False):
            continue  # came in through a merge key: the mapping's own key overrides it
        key = loader.construct_object(k, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first given on line {seen[key]})", k.start_mark)
        seen[key] = k.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as e:
        raise yaml.constructor.ConstructorError(None, None, f"'{node.value}' is not a date ({e})",
                                                node.start_mark) from None


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError as e:  # more than 4,300 digits: Python refuses to convert it
        raise yaml.constructor.ConstructorError(None, None, f"a number of {len(node.value):,} digits ({e})"[:120],
                                                node.start_mark) from None


def _refuse_tag(loader: _Loader, node: yaml.Node) -> Any:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(None, None, f"the tag {tag} is not used by this format (write "
                                            "the value as text, a number, a list or a mapping)", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("binary", "set", "omap", "pairs"):  # a bytes object, a set: nothing the format reads
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def missing(path: Path) -> str | None:
    """Why ``path`` names nothing that can be opened ("no such file", a loop of symbolic links, a name too
    long or with a NUL character), or None when something is there (read_text says if it is a file)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as e:
        return f"cannot open ({e.strerror})"
    except ValueError:
        return "not a file name (it holds a NUL character)"
    return None


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The text of a regular file of at most ``limit`` bytes, decoded as UTF-8; :class:`ScenarioError`
    (naming the file and, for a bad byte, its line) otherwise."""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise ScenarioError([f"{name}: cannot read: {e.strerror}"]) from None
    except ValueError:  # a NUL character in the name
        raise ScenarioError([f"{name!r}: not a file name (it holds a NUL character)"]) from None
    if stat.S_ISDIR(st.st_mode):
        raise ScenarioError([f"{name}: is a directory, not a file"])
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError([f"{name}: not a regular file (a device, a pipe or a socket); give a YAML file"])
    if st.st_size > limit:
        raise ScenarioError([f"{name}: {st.st_size:,} bytes: larger than the limit of {limit:,} bytes "
                             "(a scenario or experiment is a few kB)"])
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise ScenarioError([f"{name}: cannot read: {e.strerror}"]) from None
    if len(raw) > limit:
        raise ScenarioError([f"{name}: larger than the limit of {limit:,} bytes"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ScenarioError([f"{name}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
                             "save the file as UTF-8"]) from None


def _check_shape(text: str, name: str) -> None:
    """Bound nesting depth and the alias-expanded size from the event stream (no recursion, no building)."""
    depth = 0
    sizes: dict[str, int] = {}  # anchor -> expanded size
    stack: list[tuple[int, str | None]] = []  # open collections: (size so far, anchor)
    total = 0
    for ev in yaml.parse(text, Loader=_Base):
        line = ev.start_mark.line + 1 if ev.start_mark is not None else 0
        if isinstance(ev, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError([f"{name}:{line}: nested more than {MAX_DEPTH} levels deep "
                                     "(the scenario format needs fewer than 10)"])
            stack.append((1, ev.anchor))
            continue
        if isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1
            n, anchor = stack.pop()
        elif isinstance(ev, yaml.ScalarEvent):
            n, anchor = 1, ev.anchor
        elif isinstance(ev, yaml.AliasEvent):
            if any(a == ev.anchor for _, a in stack):
                raise ScenarioError([f"{name}:{line}: not valid YAML: the alias *{ev.anchor} refers to a value "
                                     "that contains it (a value cannot contain itself)"])
            n, anchor = sizes.get(ev.anchor or "", 1), None
        else:
            continue
        if anchor is not None:
            sizes[anchor] = n
        if stack:
            stack[-1] = (stack[-1][0] + n, stack[-1][1])
        else:
            total += n
        if total + sum(s for s, _ in stack) > MAX_NODES:
            raise ScenarioError([f"{name}:{line}: more than {MAX_NODES:,} values once aliases are expanded "
                                 "(an alias bomb?)"])


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in path) or "(top level)"


def _positions(loader: _Loader, root: yaml.Node, file: str, out: Pos) -> None:
    """The line of every field, walking each node once (an alias is not followed again); a key given
    twice and an impossible date are refused here, where the field's path is known."""
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        out.setdefault(path, (file, node.start_mark.line + 1))
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                line = k.start_mark.line + 1
                if key is not None and key != "<<" and not getattr(k, "_merged", False):
                    if key in first:
                        raise ScenarioError([f"{file}:{line}: {_dotted((*path, key))}: given twice in one "
                                             f"mapping (first on line {first[key]}); keep one"])
                    first[key] = line
                out[(*path, key)] = (file, line)
                todo.append((v, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                todo.append((v, (*path, i)))
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader.construct_yaml_timestamp(loader, node)
            except (ValueError, OverflowError) as e:
                raise ScenarioError([f"{file}:{node.start_mark.line + 1}: {_dotted(path)}: '{node.value}' is "
                                     f"not a date ({e})"]) from None


def _yaml_error(e: yaml.YAMLError, name: str) -> ScenarioError:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return ScenarioError([f"{name}:{line}: not valid YAML: {problem}"])


def parse_text(text: str, name: str, positions: bool = True) -> tuple[Any, Pos]:
    """Parse YAML ``text`` (from ``name``) safely; return the data and the line of every field."""
    pos: Pos = {}
    try:
        _check_shape(text, name)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _positions(loader, node, name, pos)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(e, name) from None
    except RecursionError:  # not reached after _check_shape; kept so that no input gives a traceback
        raise ScenarioError([f"{name}:1: nested too deeply"]) from None
    return data, pos if positions else {}
