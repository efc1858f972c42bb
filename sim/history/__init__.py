"""Historical check: a census of episodes, predicted by ensembles, scored against baselines.

* :mod:`sim.history.episodes`: the episode format (a scenario with an ``observed:`` block) and loading;
* :mod:`sim.history.running`: one ensemble per episode, one row per episode (:func:`run_history`);
* :mod:`sim.history.scoring`: Brier and RPS beside the base rate, the rung frequencies and logistic
  regressions, in-sample and leave-one-out over a calibration's stored forecasts, with bootstrap intervals;
* :mod:`sim.history.census`: the rules that make the census (docs/history.md).
"""

from sim.history.episodes import Episode, load_episode, load_episodes
from sim.history.running import (
    FEATURES,
    HISTORY_KEEP,
    HistoryResult,
    episode_features,
    episode_seed,
    history_plan,
    run_history,
    score_history,
    summarise_episode,
)
from sim.history.scoring import baseline_forecasts, forecasts_of, leave_one_out, score_table
from sim.scenario.paths import with_parameters
from sim.stats import brier, ranked_probability_score, wilson_interval

__all__ = [
    "FEATURES",
    "HISTORY_KEEP",
    "Episode",
    "HistoryResult",
    "baseline_forecasts",
    "brier",
    "episode_features",
    "episode_seed",
    "forecasts_of",
    "history_plan",
    "leave_one_out",
    "load_episode",
    "load_episodes",
    "ranked_probability_score",
    "run_history",
    "score_history",
    "score_table",
    "summarise_episode",
    "wilson_interval",
    "with_parameters",
]
