"""Errors in scenario and experiment files, and where they are: every message names file, line, field.

:data:`Pos` maps a field's location (a tuple of keys and list indices) to its file and line;
:func:`read_yaml <sim.scenario.loading.read_yaml>` fills it and :func:`where` reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["OutputError", "Pos", "ScenarioError", "format_loc", "where"]


class ScenarioError(Exception):
    """A scenario (or experiment) that cannot be used; each message names file, line and field."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


class OutputError(ValueError):
    """An output location that cannot be used (a file, a directory of the user's, not writable, results
    of another run to resume); nothing was written. Raised by :func:`sim.store.check_out`."""


Pos = dict[tuple[Any, ...], tuple[str, int]]


def where(pos: Pos, loc: tuple[Any, ...], default_file: str) -> str:
    """``file:line`` of the field at ``loc`` (or of its nearest enclosing section); ``--set PATH`` for a
    field set on the command line; ``default_file`` when nothing encloses it."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in pos:
            f, line = pos[loc[:n]]
            return f if f.startswith("--set") else f"{f}:{line}"
    return default_file


def format_loc(loc: tuple[Any, ...]) -> str:
    """A field's location as a dotted path, e.g. ``states.ner.personnel``."""
    return ".".join(str(x) for x in loc) or "(top level)"
