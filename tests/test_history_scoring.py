"""The history table's columns and scores on hand-made ensembles, every value worked out by hand.

No simulation: each episode's "ensemble" is a small outcomes table written here, so the expected P(force),
interval, rung distribution, modal rung, P(rung >= observed), Brier and RPS follow from counting.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from sim.history import history_plan, load_episode
from sim.history.running import score_history, summarise_episode

HISTORY = Path(__file__).resolve().parent.parent / "scenarios" / "history"


@pytest.fixture(scope="module")
def episodes():
    # sierra_leone_1997: observed rung 6 (force used); niger_2023: observed rung 5, no force (both sourced);
    # mali_1991: observed rung 0, force not used, its rung unsourced
    return [load_episode(HISTORY / f"{n}.yaml") for n in ("sierra_leone_1997", "niger_2023", "mali_1991")]


def _outcomes(point: int, rungs: list[int], force: list[bool], weeks: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({"point": point, "max_escalation": rungs, "intervention": force,
                         "intervention_week": [math.nan if w is None else w for w in weeks]})


def test_observed_values_are_as_shipped(episodes) -> None:
    sl, ne, ml = (e.observed for e in episodes)
    assert (int(sl.max_rung), sl.force_used, int(ne.max_rung), ne.force_used) == (6, True, 5, False)
    assert int(ml.max_rung) == 0 and "max_rung" in ml.unsourced and "force_used" not in ml.unsourced


def test_one_row_by_hand(episodes) -> None:
    # four runs of sierra_leone_1997 (observed rung 6, force used): rungs 6, 6, 3, 5; force in the two
    # rung-6 runs at weeks 4 and 10
    o = _outcomes(0, [6, 6, 3, 5], [True, True, False, False], [4, 10, None, None])
    row = summarise_episode(episodes[0], o)
    assert row["replicates"] == 4
    assert row["p_force"] == 0.5
    # Wilson 2/4 at z = 1.96: centre 0.5, half 1.96 * sqrt(0.0625 + 3.8415 / 64) / 1.9604 = 0.3500
    assert (row["p_force_low"], row["p_force_high"]) == pytest.approx((0.1500, 0.8500), abs=1e-4)
    assert [row[f"p_rung_{r}"] for r in range(7)] == [0, 0, 0, 0.25, 0, 0.25, 0.5]
    assert row["modal_rung"] == 6 and row["modal_rung_label"] == "military intervention"
    assert row["p_rung_ge_observed"] == 0.5  # rung >= 6: the two rung-6 runs
    assert row["median_force_week"] == 7.0
    assert row["brier_term"] == 0.25  # (0.5 - 1)^2
    # RPS over 7 rungs observed 6: F = [0, 0, 0, .25, .25, .5], O = 0 for all -> (.0625 * 2 + .25) / 6
    assert row["rps"] == pytest.approx(0.375 / 6)
    assert (row["observed_rung"], row["observed_force"], row["target"]) == (6, True, "SLE")


def test_ties_and_off_by_one(episodes) -> None:
    # niger_2023, observed rung 5 without force: rungs 5, 4, 4, 5 -> modal rung the lower of the tie (4);
    # P(rung >= 5) = 0.5 (not 1.0, as ">= 4" would give, nor 0, as "> 5" would)
    o = _outcomes(0, [5, 4, 4, 5], [False] * 4, [None] * 4)
    row = summarise_episode(episodes[1], o)
    assert row["modal_rung"] == 4
    assert row["p_rung_ge_observed"] == 0.5
    assert row["p_force"] == 0.0 and row["p_force_low"] == 0.0
    assert row["p_force_high"] == pytest.approx(0.4899, abs=1e-4)  # Wilson 0/4
    assert math.isnan(row["median_force_week"])
    assert row["brier_term"] == 0.0
    # F = [0, 0, 0, 0, .5, 1], O = [0, 0, 0, 0, 0, 1] -> .25 / 6
    assert row["rps"] == pytest.approx(0.25 / 6)


def test_scores_over_sourced_episodes_by_hand(episodes) -> None:
    plan = history_plan(episodes, replicates=4, seed=3)
    o = pd.concat([
        _outcomes(0, [6, 6, 3, 5], [True, True, False, False], [4, 10, None, None]),  # p 0.5, y 1
        _outcomes(1, [5, 4, 4, 5], [False] * 4, [None] * 4),                          # p 0,   y 0
        _outcomes(2, [6, 0, 0, 0], [True, False, False, False], [2, None, None, None]),  # p .25, y 0
    ], ignore_index=True)
    res = score_history(episodes, plan, o)
    assert list(res.table["episode"]) == ["sierra_leone_1997", "niger_2023", "mali_1991"]
    assert res.table["seed"].tolist() == plan.points["root_seed"].tolist()
    # Brier over all three (force sourced everywhere): (0.25 + 0 + 0.0625) / 3
    assert res.brier == pytest.approx(0.3125 / 3)
    # RPS over the two with a sourced rung only (mali_1991's rung is unsourced): (0.0625 + 0.041667) / 2
    assert res.rps == pytest.approx((0.375 / 6 + 0.25 / 6) / 2)
    assert res.scores() == {"brier": pytest.approx(0.3125 / 3), "rps": pytest.approx(0.3125 / 6),
                            "episodes": 3.0}


def test_the_row_describes_its_episode(episodes) -> None:
    ml = episodes[2]  # mali_1991: rung unsourced, force sourced
    row = summarise_episode(ml, _outcomes(0, [0, 0], [False, False], [None, None]))
    assert (row["episode"], row["file"], row["bloc"], row["trigger"]) == ("mali_1991", str(ml.path),
                                                                           ml.observed.bloc, "coup")
    assert (row["start"], row["end"]) == (ml.scenario.start.isoformat(), ml.scenario.end.isoformat())
    assert row["rung_sourced"] is False and row["force_sourced"] is True
    assert (row["observed_rung"], row["observed_rung_label"], row["modal_rung_label"]) == (0, "no response",
                                                                                           "no response")
    assert row["p_rung_ge_observed"] == 1.0 and row["p_rung_0"] == 1.0  # every rung is >= 0
    assert len(row["scenario_sha256"]) == 64 and row["source"] == ml.observed.source
    assert row["post_2001"] == 0.0  # 1991 is before the 2001 Protocol


def test_baselines_with_nothing_to_learn_from_are_missing_not_a_crash() -> None:
    # Leave-one-out over a single episode leaves an empty training set (`run.py history DIR` with one
    # episode crashed with "zero-size array" before): every baseline's forecast is NaN, not invented.
    from sim.history.running import FEATURES
    from sim.history.scoring import baseline_forecasts

    row = {f: 0.0 for f in FEATURES} | {"force_sourced": True, "rung_sourced": True,
                                        "observed_force": False, "observed_rung": 3}
    test = pd.DataFrame([row])
    out = baseline_forecasts(test.iloc[0:0], test)
    assert all(math.isnan(v) for v in out["force"]["base_rate"])
    assert all(math.isnan(v) for v in out["force"]["logistic"])
    assert out["rung"]["frequencies"].shape == (1, 7)
    assert all(math.isnan(v) for v in out["rung"]["frequencies"].ravel())
    # with one training episode the rung frequencies are that episode's rung
    one = baseline_forecasts(test, test)
    assert list(one["rung"]["frequencies"][0]) == [0, 0, 0, 1, 0, 0, 0]
    assert one["force"]["base_rate"][0] == 0.0


# --- the features, the plan and the run -------------------------------------------------------------


def _at(ep, **update):
    """The episode with its scenario's fields (or its target state's regime) changed."""
    import dataclasses

    regime = update.pop("regime", None)
    s = ep.scenario.model_copy(update=update)
    if regime is not None:
        states = dict(s.states)
        states[ep.observed.target] = states[ep.observed.target].model_copy(update={"regime": regime})
        s = s.model_copy(update={"states": states})
    return dataclasses.replace(ep, scenario=s)


def test_episode_features_by_hand(episodes) -> None:
    import datetime as dt

    from sim.enums import Regime
    from sim.history.running import FEATURES, PROTOCOL_2001, episode_features

    assert FEATURES == ("refusal", "post_2001", "target_military")
    assert PROTOCOL_2001 == dt.date(2001, 12, 21)  # the Dakar Supplementary Protocol, A/SP1/12/01
    sl, ne, ml = episodes
    # Sierra Leone 1997: a coup before the Protocol, against an elected (civilian) government
    assert episode_features(_at(sl, regime=Regime.CIVILIAN)) == {"refusal": 0.0, "post_2001": 0.0,
                                                                 "target_military": 0.0}
    assert episode_features(_at(ne, regime=Regime.MILITARY))["target_military"] == 1.0
    gambia = load_episode(HISTORY / "gambia_2017.yaml")  # a refusal to cede power, after 2001
    f = episode_features(gambia)
    assert (f["refusal"], f["post_2001"]) == (1.0, 1.0)
    # the Protocol's day counts as after it; the day before does not
    assert episode_features(_at(ml, start=PROTOCOL_2001))["post_2001"] == 1.0
    assert episode_features(_at(ml, start=PROTOCOL_2001 - dt.timedelta(days=1)))["post_2001"] == 0.0


def test_the_plan_of_a_history(episodes) -> None:
    from sim.history.running import episode_seed

    plan = history_plan(episodes[:2], replicates=3, seed=5)
    assert plan.points["episode"].tolist() == ["sierra_leone_1997", "niger_2023"]
    assert plan.points["point"].tolist() == [0, 1]
    assert plan.points["file"].tolist() == [str(e.path) for e in episodes[:2]]
    assert plan.points["root_seed"].tolist() == [episode_seed(5, "sierra_leone_1997"), episode_seed(5, "niger_2023")]
    assert plan.runs["point"].tolist() == [0, 0, 0, 1, 1, 1] and plan.runs["replicate"].tolist() == [0, 1, 2] * 2
    with pytest.raises(ValueError, match=r"^replicates must be at least 1$"):
        history_plan(episodes, replicates=0, seed=5)
    with pytest.raises(ValueError, match=r"^no episodes$"):
        history_plan([], replicates=3, seed=5)
    assert len(history_plan(episodes, replicates=1, seed=5).runs) == 3


def test_a_small_history_run(episodes) -> None:
    from sim.history.running import episode_seed, run_history, summarise_episode

    done: list[int] = []
    res = run_history(episodes[2:], replicates=2, seed=9, jobs=1, progress=done.append)
    assert sum(done) == 2  # every run reported once
    assert len(res.table) == 1 and len(res.outcomes) == 2
    row = res.table.iloc[0]
    assert row["episode"] == "mali_1991" and row["replicates"] == 2
    assert row["seed"] == episode_seed(9, "mali_1991")  # the real root, not summarise_episode's placeholder
    assert summarise_episode(episodes[2], res.outcomes)["seed"] == episode_seed(0, "mali_1991")
    # mali_1991's rung is unsourced: no rung score over a table of it alone; its force is sourced
    assert math.isnan(res.rps) and res.brier == pytest.approx(row["brier_term"])
    assert res.outcomes["episode"].tolist() == ["mali_1991"] * 2


# --- scoring: the objective, the forecasts, the rung frequencies, leave-one-out ---------------------


def _obs(rungs: list[int], force_sourced: list[bool], rung_sourced: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({"episode": [f"e{i}" for i in range(len(rungs))], "observed_rung": rungs,
                         "observed_force": [r == 6 for r in rungs], "force_sourced": force_sourced,
                         "rung_sourced": rung_sourced}).set_index("episode")


def _fc(rows: list[tuple[float, list[float]]]) -> pd.DataFrame:
    return pd.DataFrame([{"episode": f"e{i}", "p_force": pf, **{f"p_rung_{k}": r[k] for k in range(7)}}
                         for i, (pf, r) in enumerate(rows)]).set_index("episode")


def test_the_objective_by_hand() -> None:
    from sim.history.scoring import objective

    fc = _fc([(0.5, [0, 0, 0, 0, 0, 0.5, 0.5]), (0.0, [0, 0, 0, 1, 0, 0, 0])])
    obs = _obs([6, 3], [True, True], [True, True])
    # Brier: ((0.5 - 1)^2 + 0) / 2 = 0.125; RPS: e0 observed 6, F = [0 x 5, 0.5] -> 0.25 / 6; e1 exact -> 0
    assert objective(fc, obs) == pytest.approx(0.125 + (0.25 / 6) / 2)
    # nothing sourced: each part is 0, not 1 and not NaN
    assert objective(fc, _obs([6, 3], [False, False], [False, False])) == 0.0
    assert objective(fc, _obs([6, 3], [True, True], [False, False])) == pytest.approx(0.125)
    assert objective(fc, _obs([6, 3], [False, False], [True, True])) == pytest.approx(0.25 / 12)


def test_forecasts_and_rung_frequencies() -> None:
    from sim.history.scoring import FORECAST_COLUMNS, forecasts_of, rung_frequencies

    t = _obs([6, 5, 0, 5], [True] * 4, [True, True, False, True]).reset_index()
    t["p_force"] = [0.1, 0.2, 0.3, 0.4]
    for k in range(7):
        t[f"p_rung_{k}"] = 1.0 / 7
    f = forecasts_of(t)
    assert list(f.columns) == ["episode", *FORECAST_COLUMNS] == ["episode", "p_force",
                                                                *[f"p_rung_{k}" for k in range(7)]]
    assert f["p_force"].tolist() == [0.1, 0.2, 0.3, 0.4] and f["episode"].tolist() == ["e0", "e1", "e2", "e3"]
    # the rung-sourced episodes' rungs 6, 5, 5 (mali-like e2 left out)
    assert rung_frequencies(t) == pytest.approx([0, 0, 0, 0, 0, 2 / 3, 1 / 3])
    assert rung_frequencies(t.assign(rung_sourced=False)) == [0.0] * 7


def test_leave_one_out_names_what_is_missing_and_the_objective_without() -> None:
    from sim.history.scoring import leave_one_out

    t = _obs([0, 6], [True, True], [True, True]).reset_index()
    rows = [{"point": pt, "episode": e, "p_force": pf, **{f"p_rung_{k}": float(k == (6 if pf else 0))
                                                           for k in range(7)}}
            for pt, e, pf in ((0, "e0", 0.0), (0, "e1", 1.0), (1, "e0", 1.0), (1, "e1", 1.0))]
    per = pd.DataFrame(rows)
    loo = leave_one_out(per, t).set_index("episode")
    # without e0, both points are perfect on e1: the lower, 0; without e1, point 0 is perfect on e0
    assert loo["point"].to_dict() == {"e0": 0, "e1": 0}
    assert loo["objective_without"].to_dict() == {"e0": 0.0, "e1": 0.0}
    with pytest.raises(ValueError) as e:
        leave_one_out(per, pd.concat([t, t.assign(episode=["e7", "e8"])], ignore_index=True))
    assert str(e.value) == "the calibration has no forecasts of 2 episode(s): e7, e8"


def test_scores_with_nothing_sourced_are_missing(episodes) -> None:
    import dataclasses

    from sim.history.running import score_history

    ml = episodes[2]  # mali_1991, here with neither its rung nor its force sourced
    obs = ml.observed.model_copy(update={"unsourced": ["max_rung", "force_used"]})
    unsourced = dataclasses.replace(ml, scenario=ml.scenario.model_copy(update={"observed": obs}))
    plan = history_plan([unsourced], replicates=2, seed=1)
    res = score_history([unsourced], plan, _outcomes(0, [0, 0], [False, False], [None, None]))
    assert math.isnan(res.brier) and math.isnan(res.rps)


def test_run_history_uses_the_executor_given() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sim.history.running import run_history

    class Counting(ThreadPoolExecutor):
        submitted = 0

        def submit(self, *a, **kw):
            Counting.submitted += 1
            return super().submit(*a, **kw)

    ep = load_episode(HISTORY / "mali_1991.yaml")
    with Counting(max_workers=1) as ex:
        res = run_history([ep], replicates=2, seed=9, executor=ex)
    assert Counting.submitted >= 1 and len(res.outcomes) == 2
    alone = run_history([ep], replicates=2, seed=9, jobs=1)
    assert res.table["p_force"].tolist() == alone.table["p_force"].tolist()


# --- scoring: the baselines' fits and the score table -----------------------------------------------


def _table(rungs: list[int], features: list[tuple[float, float, float]], rung_sourced=None) -> pd.DataFrame:
    n = len(rungs)
    return pd.DataFrame({"episode": [f"e{i}" for i in range(n)], "observed_rung": rungs,
                         "observed_force": [r == 6 for r in rungs], "force_sourced": [True] * n,
                         "rung_sourced": rung_sourced or [True] * n, "refusal": [f[0] for f in features],
                         "post_2001": [f[1] for f in features], "target_military": [f[2] for f in features]})


def test_the_penalised_fit_is_at_its_optimum() -> None:
    # at the minimum of -loglik + l2/2 |slopes|^2 the gradient is nil: sum(y - p) = 0 (the intercept is not
    # penalised) and sum(x_j (y - p)) = l2 * b_j for each slope (checked on the returned coefficients)
    import numpy as np

    from sim.history.scoring import logistic_fit, logistic_predict

    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    y = np.array([0, 1, 1, 0, 0, 1], dtype=float)
    for l2 in (0.5, 2.0):
        b = logistic_fit(x, y, l2=l2)
        r = y - logistic_predict(b, x)
        assert r.sum() == pytest.approx(0.0, abs=1e-5)
        assert x.T @ r == pytest.approx(l2 * b[1:], abs=1e-5)


def test_the_baselines_learn_from_the_features() -> None:
    import numpy as np

    from sim.history.scoring import baseline_forecasts

    t = _table([6, 2, 3, 3, 0], [(1, 1, 0), (0, 1, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0)])
    b = baseline_forecasts(t, t)
    pf = b["force"]["logistic"]
    # the refusal episode (the one that used force) highest; the two with the same features equal
    assert pf[0] > pf[1] and pf[1] == pytest.approx(pf[2]) and pf[0] != pytest.approx(pf[3])
    lg = b["rung"]["logistic"]
    assert lg.sum(axis=1) == pytest.approx([1.0] * 5) and np.all(lg >= -1e-12)
    assert np.all(lg[:, 6] < 1.0) and np.all(lg[:, 0] > 0.0)  # an episode at rung 0, one at rung 6: neither sure
    assert not np.allclose(lg[0], lg[3])  # different features, different rung forecasts
    # nothing to learn the rungs from: every rung baseline missing, named as the others
    none = baseline_forecasts(t.assign(rung_sourced=False), t)
    assert set(none["rung"]) == {"frequencies", "logistic"}
    assert np.isnan(none["rung"]["logistic"]).all() and np.isnan(none["rung"]["frequencies"]).all()


def test_the_score_table_by_hand() -> None:
    import numpy as np

    from sim.history.scoring import _interval, score_table

    assert _interval(np.arange(1001.0)) == (25.0, 975.0)  # the 2.5th and 97.5th percentiles
    t = _table([6, 2, 3, 5, 0], [(1, 1, 0), (0, 1, 0), (0, 1, 1), (0, 1, 0), (0, 0, 0)],
               rung_sourced=[True, True, True, True, False])
    half = pd.DataFrame({"episode": t["episode"], "p_force": 0.5, **{f"p_rung_{k}": 1 / 7 for k in range(7)}})
    s = score_table(t, half, half, bootstrap=300)
    assert set(s["score"]) == {"brier", "rps"} and set(s["sample"]) == {"in_sample", "leave_one_out"}
    v = s.set_index(["sample", "score", "forecaster"])
    assert v.loc[("in_sample", "brier", "model"), "value"] == pytest.approx(0.25)  # (0.5 - y)^2 = 0.25 each
    # the base rate of force, 1 in 5: in-sample (0.8^2 + 4 x 0.2^2) / 5 = 0.16; leave-one-out, each episode
    # forecast from the other four: (1 - 0)^2 for the one that used force, (0 - 1/4)^2 for the others ->
    # (1 + 4 x 0.0625) / 5 = 0.25
    assert v.loc[("in_sample", "brier", "base_rate"), "value"] == pytest.approx(0.16)
    assert v.loc[("leave_one_out", "brier", "base_rate"), "value"] == pytest.approx(0.25)
    assert v.loc[("in_sample", "brier", "base_rate"), "model_minus"] == pytest.approx(0.25 - 0.16)
    m = s[s["forecaster"] == "model"]
    assert m["model_minus"].isna().all() and m["model_minus_high"].isna().all()  # no model - model
    b = s[s["forecaster"] == "base_rate"]
    assert (b["low"] < b["high"]).all()  # resampled episodes: an interval, not a point
    assert (b["model_minus_low"] <= b["model_minus"]).all() and (b["model_minus"] <= b["model_minus_high"]).all()
    again = score_table(t, half, half, bootstrap=300)
    pd.testing.assert_frame_equal(s, again)  # the bootstrap is seeded
    # no rung-sourced episode: the RPS rows are missing, not a crash
    none = score_table(t.assign(rung_sourced=False), half, bootstrap=50)
    r = none[none["score"] == "rps"]
    assert (r["n"] == 0).all() and r["value"].isna().all() and r["low"].isna().all()


def test_leave_one_out_scores_over_a_single_episode() -> None:
    from sim.history.scoring import score_table

    t = _table([6], [(1, 1, 0)])
    fc = pd.DataFrame({"episode": ["e0"], "p_force": [0.75], **{f"p_rung_{k}": [float(k == 6)] for k in range(7)}})
    s = score_table(t, fc, fc, bootstrap=20).set_index(["sample", "score", "forecaster"])
    assert s.loc[("leave_one_out", "brier", "model"), "value"] == pytest.approx(0.0625)
    assert pd.isna(s.loc[("leave_one_out", "brier", "base_rate"), "value"])  # nothing to learn from


def test_rung_frequencies_of_one_episode() -> None:
    from sim.history.scoring import rung_frequencies

    assert rung_frequencies(_table([4], [(0, 0, 0)])) == [0, 0, 0, 0, 1.0, 0, 0]
