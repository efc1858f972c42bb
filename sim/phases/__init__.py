"""The weekly phases, in the order they run (:data:`WEEKLY_ORDER`, docs/ODD.md section 1.3).

Each phase is a module with one entry point ``run(world, params, rng)``: it reads and changes the
:class:`~sim.world.World`, with the scenario's parameters, drawing from its own random stream. The
security system (armed groups, counter-terrorism, presence, membership, the coup hazard) has generators
of its own, spawned from the run's seed, so that switching it on or off leaves the draws of the
interstate part unchanged (common random numbers for counterfactuals).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple

import numpy as np

from sim.phases import (
    armed_groups,
    collective_defence,
    coups,
    deliberation,
    membership,
    presence,
    sanctions,
    scheduled_events,
    target,
    triggers,
    wars,
)
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["WEEKLY_ORDER", "Phase", "Stream"]


class Stream(IntEnum):
    """The run's random streams. ``MODEL`` is the model's own generator (``model.rng``); the others are
    ``default_rng([stream, seed])``."""

    MODEL = 0
    INSURGENCY = 1
    COUNTER_TERRORISM = 2
    PRESENCE = 3
    MEMBERSHIP = 4
    COUPS = 5
    TARGET = 6


class Phase(NamedTuple):
    """One step of the week: its name, its entry point and the stream it draws from."""

    name: str
    run: Callable[[World, ModelParams, np.random.Generator], None]
    stream: Stream


WEEKLY_ORDER: tuple[Phase, ...] = (
    Phase("scheduled_events", scheduled_events.run, Stream.MODEL),
    Phase("coups", coups.run, Stream.COUPS),
    Phase("armed_groups", armed_groups.run, Stream.INSURGENCY),
    Phase("triggers", triggers.run, Stream.COUNTER_TERRORISM),
    Phase("collective_defence", collective_defence.run, Stream.COUNTER_TERRORISM),
    Phase("deliberation", deliberation.run, Stream.MODEL),
    Phase("wars", wars.run, Stream.MODEL),
    Phase("sanctions", sanctions.run, Stream.MODEL),
    Phase("target", target.run, Stream.TARGET),
    Phase("external_presence", presence.run, Stream.PRESENCE),
    Phase("membership", membership.run, Stream.MEMBERSHIP),
)
