"""A tiny scenario and helpers shared by the scenario package's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario

MINIMAL = """\
name: tiny
start: 2020-01-01
end: 2020-06-01
states:
  AAA: {name: A, personnel: 1000}
  BBB: {name: B, personnel: 2000, borders: [AAA]}
blocs:
  club:
    name: Club
    members: [AAA, BBB]
events:
  c1: {date: 2020-02-01, kind: coup, actor: AAA}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def error_of(path: Path, overrides=()) -> str:
    with pytest.raises(ScenarioError) as e:
        load_scenario(path, overrides)
    return str(e.value)
