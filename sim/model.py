"""The Mesa model: builds the agents and the :class:`~sim.world.World` from a scenario, and runs the week.

Each week the phases of :data:`sim.phases.WEEKLY_ORDER` run in that order (docs/ODD.md, "Process
overview and scheduling"), each on the World with the scenario's parameters and its own random stream;
then the recorder collects the timeline (:mod:`sim.metrics`).
"""

from __future__ import annotations

import datetime as dt

import mesa
import numpy as np

from sim.agents import ArmedGroupAgent, BlocAgent, ExternalPowerAgent, StateAgent
from sim.metrics import TimelineRecorder
from sim.phases import WEEKLY_ORDER, Stream
from sim.scenario.spec import Scenario
from sim.world import World

__all__ = ["LiptakoModel"]


class LiptakoModel(mesa.Model):
    """Collective defence and the escalation ladder, week by week.

    Args:
        scenario: a validated scenario.
        seed: the run's seed; the model owns one generator (``self.rng``) that the interstate phases
            borrow; the security system's streams are spawned from the same seed (:class:`Stream`).
        record_timeline: whether the recorder collects the timeline each week.

    Attributes:
        world: the simulation's state and its queries; the phases read and change it.
        recorder: the weekly timeline (:class:`~sim.metrics.TimelineRecorder`).
    """

    def __init__(self, scenario: Scenario, seed: int, record_timeline: bool = True) -> None:
        super().__init__(rng=np.random.default_rng(seed))
        self.spec = scenario
        self.seed = seed
        self.record_timeline = record_timeline
        p = scenario.parameters
        states = {sid: StateAgent(self, sid, s, p.insurgency.reserve_ci_weight)
                  for sid, s in scenario.states.items()}
        blocs = {bid: BlocAgent(self, bid, b) for bid, b in scenario.blocs.items()}
        groups = {gid: ArmedGroupAgent(self, gid, g, p.insurgency.capacity_multiple, p.accord.activity)
                  for gid, g in scenario.armed_groups.items()}
        powers = {pid: ExternalPowerAgent(self, pid, pw) for pid, pw in scenario.external_powers.items()}
        self.world = World(scenario, states, blocs, groups, powers, self.rng)
        streams = {s: self.rng if s is Stream.MODEL else np.random.default_rng([int(s), seed]) for s in Stream}
        self._schedule = [(phase.run, streams[phase.stream]) for phase in WEEKLY_ORDER]
        self.recorder = TimelineRecorder(self.world)
        if self.record_timeline:
            self.recorder.collect()

    def step(self) -> None:
        """Advance one week through the phases in order, then collect data."""
        w = self.world
        w.week += 1
        w.date = self.spec.start + dt.timedelta(weeks=w.week)
        params = w.params
        for run, rng in self._schedule:
            run(w, params, rng)
        if self.record_timeline:
            self.recorder.collect()

    def run(self) -> None:
        """Run to the scenario's end date."""
        while self.world.week < self.world.n_weeks:
            self.step()
