"""A small World built in the test: three states in one bloc with a democratic-order ladder, a
collective-defence clause, an exit clause, one armed group and one external power. No scenario file,
no run: tests call a phase's ``run`` on it directly."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np

from sim.model import LiptakoModel
from sim.scenario import scenario_from_dict
from sim.world import World

BASE: dict[str, Any] = {
    "name": "small", "start": "2023-01-02", "end": "2023-12-25",
    "states": {
        "A": {"name": "Aland", "regime": "civilian", "personnel": 10000, "quality": 0.8, "ci_share": 0.5,
              "stability": 0.5, "democratic_norm": 0.2, "borders": ["B", "C"]},
        "B": {"name": "Bland", "personnel": 30000, "quality": 1.0, "ci_share": 0.2, "stability": 0.8,
              "democratic_norm": 0.9, "leadership": 1.0, "pledge": 8000, "borders": ["A"]},
        "C": {"name": "Cland", "personnel": 20000, "quality": 1.0, "ci_share": 0.2, "stability": 0.8,
              "democratic_norm": 0.9, "pledge": 5000, "borders": ["A"]},
    },
    "blocs": {"bloc": {"name": "Bloc", "members": ["A", "B", "C"], "decision_rule": "majority"}},
    "treaties": {"pact": {"name": "Pact", "bloc": "bloc", "clauses": {
        "ladder": {"kind": "democratic_order", "article": "Art. 1",
                   "trigger": {"event": ["coup", "refusal_to_cede_power"], "victim": "member"},
                   "decides": "bloc", "obligation": "ladder", "means": ["diplomatic", "economic", "armed_force"],
                   "max_rung": 6},
        "defence": {"kind": "collective_defence", "article": "Art. 2",
                    "trigger": {"event": ["attack", "terrorism"]}, "obligation": "assist",
                    "means": ["armed_force"], "bindingness": 1.0},
        "exit": {"kind": "exit", "article": "Art. 3", "obligation": "leave", "notice_weeks": 4}}}},
    "armed_groups": {"g": {"name": "G", "kind": "jihadist", "strength": {"A": 3000}}},
    "external_powers": {"p": {"name": "Power", "troops": {"A": 1200}, "withdrawal_weeks": 4}},
    "events": {},
    "parameters": {},
}


def small_data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` with top-level sections replaced or, for dicts, updated."""
    data = copy.deepcopy(BASE)
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(data.get(k), dict):
            data[k].update(v)
        else:
            data[k] = v
    return data


def small_world(seed: int = 0, week: int = 1, **changes: Any) -> World:
    """The small World at ``week`` (nothing has run: the phases are called by the test)."""
    world = LiptakoModel(scenario_from_dict(small_data(**changes)), seed, record_timeline=False).world
    world.week = week
    world.date = world.spec.start + dt.timedelta(weeks=week)
    world.treaties.update(world.date, world.date)  # the clauses (no date) in force, as week 1 would do
    return world


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)
