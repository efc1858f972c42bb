"""Episode files: an ordinary scenario with an ``observed:`` block (:class:`sim.scenario.Observed`).

A directory of episodes is loaded with :func:`load_episodes` (files whose name starts with ``_`` are shared
bases for ``extends:`` and are skipped; ``*.csv`` files are the census and its tables, docs/history.md).
The responding bloc is ``observed.bloc``: any bloc of the scenario, with its own members and clauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sim.enums import Rung
from sim.scenario import Observed, Scenario, ScenarioError, load_scenario
from sim.scenario.paths import split_overrides, with_parameters

__all__ = ["Episode", "load_episode", "load_episodes"]


@dataclass(frozen=True)
class Episode:
    """One historical episode: its file, its validated scenario and what was observed."""

    path: Path
    scenario: Scenario

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def observed(self) -> Observed:
        assert self.scenario.observed is not None  # guaranteed by load_episode
        return self.scenario.observed


def load_episode(path: str | Path, overrides: Iterable[str] = ()) -> Episode:
    """Load one episode file; it must have an ``observed:`` block consistent with its focus.

    The episode's ``focus``/``focus_bloc`` default to ``observed.target``/``observed.bloc`` so that the
    run's outcomes (``intervention``, ``max_escalation``) are about the observed crisis.

    Raises:
        ScenarioError: naming the file when ``observed`` is missing or contradicts the focus.
    """
    p = Path(path)
    rest, params = split_overrides(overrides)
    s = load_scenario(p, rest)
    if params:
        s = with_parameters(s, params)
    if s.observed is None:
        raise ScenarioError([f"{p}:1: observed: required field is missing (a historical episode needs an "
                             f"'observed:' block: max_rung, force_used, within_weeks, target, bloc, source)"])
    obs = s.observed
    errs = []
    if obs.target not in s.states:
        errs.append(f"{p}: observed.target: '{obs.target}' is not a state of this scenario")
    if obs.bloc not in s.blocs:
        errs.append(f"{p}: observed.bloc: '{obs.bloc}' is not a bloc of this scenario")
    if s.focus is not None and s.focus != obs.target:
        errs.append(f"{p}: focus: '{s.focus}' differs from observed.target '{obs.target}'")
    if s.focus_bloc is not None and s.focus_bloc != obs.bloc:
        errs.append(f"{p}: focus_bloc: '{s.focus_bloc}' differs from observed.bloc '{obs.bloc}'")
    if obs.force_used and obs.max_rung != Rung.INTERVENTION:
        errs.append(f"{p}: observed.max_rung: force was used, so the highest rung is "
                    f"{int(Rung.INTERVENTION)}")
    if not obs.force_used and obs.max_rung == Rung.INTERVENTION:
        errs.append(f"{p}: observed.force_used: max_rung {int(Rung.INTERVENTION)} means force was used")
    if errs:
        raise ScenarioError(errs)
    s = s.model_copy(update={"focus": obs.target, "focus_bloc": obs.bloc})
    return Episode(p, s)


def load_episodes(directory: str | Path, overrides: Iterable[str] = ()) -> list[Episode]:
    """Every ``*.yaml``/``*.yml`` episode of ``directory`` (not recursive), sorted by file name.

    Files whose name starts with ``_`` are bases for ``extends:`` and are skipped. All files are
    checked before anything runs; every problem of every file is reported together.

    Raises:
        ScenarioError: no episode found, an episode without ``observed``, or any invalid file.
    """
    d = Path(directory)
    if not d.is_dir():
        raise ScenarioError([f"{d}: not a directory of episode files"])
    files = sorted(f for f in d.iterdir() if f.suffix in (".yaml", ".yml") and not f.name.startswith("_"))
    if not files:
        raise ScenarioError([f"{d}: no episode files (*.yaml) found"])
    overrides = list(overrides)
    out, msgs = [], []
    for f in files:
        try:
            out.append(load_episode(f, overrides))
        except ScenarioError as e:
            msgs.extend(e.messages)
    names: dict[str, Path] = {}
    for ep in out:
        if ep.name in names:
            msgs.append(f"{ep.path}:1: name: '{ep.name}' is also the name of {names[ep.name]}")
        names[ep.name] = ep.path
    if msgs:
        raise ScenarioError(msgs)
    return out
