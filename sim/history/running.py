"""Running the episodes: one ensemble per episode, one row per episode of predicted against observed.

:func:`run_history` runs each episode (:mod:`sim.history.episodes`) with replicates and returns one row
per episode: the predicted chance of force with a 95% Wilson interval, the predicted rung distribution
and modal rung, the observation, and the episode's Brier and RPS terms (:mod:`sim.stats`). The scores
against baselines, in-sample and leave-one-out, are in :mod:`sim.history.scoring`.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.enums import Regime, Rung
from sim.history.episodes import Episode
from sim.scenario import scenario_hash
from sim.stats import brier, ranked_probability_score, wilson_interval
from sim.sweep.engine import run_in_memory
from sim.sweep.plan import Plan, ensemble_plan
from sim.sweep.worker import Keep

__all__ = [
    "FEATURES",
    "HISTORY_KEEP",
    "PROTOCOL_2001",
    "HistoryResult",
    "episode_features",
    "episode_seed",
    "history_plan",
    "run_history",
    "score_history",
    "summarise_episode",
]

# The Supplementary Protocol on Democracy and Good Governance, signed in Dakar on 21 Dec 2001 (A/SP1/12/01)
PROTOCOL_2001 = dt.date(2001, 12, 21)
# what a forecast without a model may know at the trigger (docs/history.md, rule S3)
FEATURES = ("refusal", "post_2001", "target_military")


def episode_features(ep: Episode) -> dict[str, float]:
    """The baselines' features of one episode, all known at the trigger (rule S3)."""
    target = ep.scenario.states[ep.observed.target]
    return {"refusal": float(ep.observed.trigger == "refusal"),
            "post_2001": float(ep.scenario.start >= PROTOCOL_2001),
            "target_military": float(target.regime != Regime.CIVILIAN)}


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
        "start": ep.scenario.start.isoformat(),
        "end": ep.scenario.end.isoformat(),
        "target": obs.target,
        "bloc": obs.bloc,
        "trigger": obs.trigger,
        "census": obs.census,
        "rung_sourced": "max_rung" not in obs.unsourced,
        "force_sourced": "force_used" not in obs.unsourced,
        **episode_features(ep),
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
        "figures": obs.figures,
        "source": obs.source,
    }


@dataclass
class HistoryResult:
    """The per-episode table and the scores over all episodes."""

    table: pd.DataFrame
    brier: float  # over the episodes whose force is sourced (rule O2)
    rps: float  # over the episodes whose rung is sourced
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
    f = table[table["force_sourced"]]
    score = brier(f["p_force"].tolist(), f["observed_force"].tolist()) if len(f) else math.nan
    r = table[table["rung_sourced"]]
    return HistoryResult(table, score, float(r["rps"].mean()) if len(r) else math.nan, outcomes)


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
        ranked probability score of the highest rung over the episodes whose outcome is sourced, and
        every run's outcomes. The
        results do not depend on ``jobs`` or the executor.
    """
    plan = history_plan(episodes, replicates, seed)
    t = run_in_memory(plan, HISTORY_KEEP, jobs=jobs, executor=executor, progress=progress)
    return score_history(episodes, plan, t["outcomes"])
