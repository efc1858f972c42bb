"""Historical check: episodes with an observed outcome, predicted by ensembles, scored by Brier.

An *episode* is an ordinary scenario file with an ``observed:`` block (:class:`sim.scenario.Observed`):
the highest rung the bloc reached, whether force was used, and within how many weeks. A directory of
episodes is loaded with :func:`load_episodes` (files whose name starts with ``_`` are shared bases for
``extends:`` and are skipped); :func:`run_history` runs each one with replicates and returns one row
per episode: the predicted chance of force with a 95% Wilson interval, the predicted modal rung, the
observation, and the episode's Brier term. The scores, :func:`sim.stats.brier` and
:func:`sim.stats.ranked_probability_score`, drive the calibration of the unpinned parameters
(docs/calibration.md).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.enums import Rung
from sim.scenario import Observed, Scenario, ScenarioError, load_scenario, scenario_hash
from sim.scenario.paths import split_overrides, with_parameters
from sim.stats import brier, ranked_probability_score, wilson_interval
from sim.sweep.engine import run_in_memory
from sim.sweep.plan import Plan, ensemble_plan
from sim.sweep.worker import Keep

__all__ = [
    "HISTORY_KEEP",
    "Episode",
    "HistoryResult",
    "brier",
    "episode_seed",
    "history_plan",
    "load_episode",
    "load_episodes",
    "ranked_probability_score",
    "run_history",
    "score_history",
    "summarise_episode",
    "wilson_interval",
    "with_parameters",
]


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


# --- running ----------------------------------------------------------------------------------------


def episode_seed(root: int, name: str) -> int:
    """The root seed of one episode's ensemble: depends on the root seed and the episode's name only,
    so adding or removing other episodes never changes an episode's runs."""
    ss = np.random.SeedSequence([int(root), zlib.crc32(name.encode())])
    hi, lo = ss.generate_state(2, dtype=np.uint32)
    return ((int(hi) << 32) | int(lo)) & ((1 << 63) - 1)


def summarise_episode(ep: Episode, outcomes: pd.DataFrame) -> dict[str, Any]:
    """One table row from an episode's ensemble outcomes."""
    obs = ep.observed
    n = len(outcomes)
    k = int(outcomes["intervention"].astype(bool).sum())
    lo, hi = wilson_interval(k, n)
    p = k / n if n else math.nan
    rungs = outcomes["max_escalation"].astype(int).to_numpy()
    counts = np.bincount(rungs, minlength=len(Rung))[: len(Rung)]
    probs = counts / max(n, 1)
    modal = int(np.argmax(counts))  # the lowest of tied rungs
    weeks = outcomes["intervention_week"].dropna().astype(float)
    y = 1.0 if obs.force_used else 0.0
    return {
        "episode": ep.name,
        "file": str(ep.path),
        "target": obs.target,
        "bloc": obs.bloc,
        "observed_rung": int(obs.max_rung),
        "observed_rung_label": Rung(int(obs.max_rung)).label,
        "observed_force": bool(obs.force_used),
        "observed_weeks": obs.within_weeks,
        "replicates": n,
        "p_force": p,
        "p_force_low": lo,
        "p_force_high": hi,
        "modal_rung": modal,
        "modal_rung_label": Rung(modal).label,
        "p_rung_ge_observed": float(probs[int(obs.max_rung):].sum()),
        "median_force_week": float(weeks.median()) if len(weeks) else math.nan,
        "brier_term": (p - y) ** 2,
        "rps": ranked_probability_score(probs, int(obs.max_rung)),
        **{f"p_rung_{r}": float(probs[r]) for r in range(len(Rung))},
        "scenario_sha256": scenario_hash(ep.scenario),
        "seed": episode_seed(0, ep.name),  # replaced by run_history with the real root
        "source": obs.source,
    }


@dataclass
class HistoryResult:
    """The per-episode table and the scores over all episodes."""

    table: pd.DataFrame
    brier: float
    rps: float
    outcomes: pd.DataFrame  # every run's outcomes: run_id, point, replicate, seed, episode, outcomes...

    def scores(self) -> dict[str, float]:
        return {"brier": self.brier, "rps": self.rps, "episodes": float(len(self.table))}


# what a history run keeps: every outcome, no timeline, no events
HISTORY_KEEP = Keep(None, "none", None, False)


def history_plan(episodes: Sequence[Episode], replicates: int, seed: int) -> Plan:
    """The run engine's plan of a historical check: one point per episode (labelled ``episode``),
    ``replicates`` runs each with seeds spawned from :func:`episode_seed` ``(seed, name)``."""
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    if not episodes:
        raise ValueError("no episodes")
    roots = [episode_seed(seed, ep.name) for ep in episodes]
    points = pd.DataFrame({"point": np.arange(len(episodes), dtype="int64"),
                           "episode": [ep.name for ep in episodes],
                           "file": [str(ep.path) for ep in episodes],
                           "root_seed": np.array(roots, dtype="int64")})
    return ensemble_plan([ep.scenario for ep in episodes], replicates, roots, points, labels=["episode"])


def score_history(episodes: Sequence[Episode], plan: Plan, outcomes: pd.DataFrame) -> HistoryResult:
    """The per-episode table and scores from the outcomes of :func:`history_plan`'s runs."""
    rows = []
    for i, ep in enumerate(episodes):
        row = summarise_episode(ep, outcomes[outcomes["point"] == i])
        row["seed"] = int(plan.points["root_seed"].iloc[i])
        rows.append(row)
    table = pd.DataFrame(rows)
    score = brier(table["p_force"].tolist(), table["observed_force"].tolist())
    return HistoryResult(table, score, float(table["rps"].mean()), outcomes)


def run_history(
    episodes: Sequence[Episode],
    replicates: int = 100,
    seed: int = 0,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> HistoryResult:
    """Run every episode's ensemble and score the predictions against the observations.

    Args:
        episodes: from :func:`load_episodes`.
        replicates: runs per episode.
        seed: root seed; episode ``e`` uses :func:`episode_seed` ``(seed, e.name)``.
        jobs: processes when no executor is given (1 = in this process, ``None`` = all cores).
        executor: any ``concurrent.futures`` executor to use instead.
        progress: called with the number of runs just finished.

    Returns:
        The table (one row per episode, in the given order), the Brier score of P(force) and the mean
        ranked probability score of the highest rung over all episodes, and every run's outcomes. The
        results do not depend on ``jobs`` or the executor.
    """
    plan = history_plan(episodes, replicates, seed)
    t = run_in_memory(plan, HISTORY_KEEP, jobs=jobs, executor=executor, progress=progress)
    return score_history(episodes, plan, t["outcomes"])
