"""The historical check: the episode format, the scores, and what the calibrated model says."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.history import (
    brier,
    episode_seed,
    load_episode,
    load_episodes,
    ranked_probability_score,
    run_history,
    wilson_interval,
    with_parameters,
)
from sim.history.census import (
    COW_ISO3,
    HORIZON_DAYS,
    classify,
    horizon_end,
    load_census,
    load_regimes,
    load_suspensions,
    regime_at,
    suspended_at,
)
from sim.scenario import ScenarioError
from sim.store import table_hash
from sim.sweep import load_results

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "scenarios" / "history"

OBSERVED = """observed:
  max_rung: 6
  force_used: true
  within_weeks: 6
  target: GMB
  bloc: ecowas
  source: test
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the format ------------------------------------------------------------------------------------


def test_episode_without_observed_is_an_error_naming_the_file(tmp_path: Path) -> None:
    f = _write(tmp_path / "no_obs.yaml", f"extends: {ROOT / 'scenarios/gambia_2017.yaml'}\nname: x\n")
    with pytest.raises(ScenarioError) as e:
        load_episode(f)
    msg = str(e.value)
    assert str(f) in msg and "observed" in msg


def test_directory_reports_the_bad_file_and_skips_bases(tmp_path: Path) -> None:
    base = ROOT / "scenarios/gambia_2017.yaml"
    _write(tmp_path / "_base.yaml", f"extends: {base}\nname: base_without_observed\n")  # skipped
    _write(tmp_path / "good.yaml", f"extends: _base.yaml\nname: good\n{OBSERVED}")
    eps = load_episodes(tmp_path)
    assert [e.name for e in eps] == ["good"]
    assert eps[0].scenario.focus == "GMB" and eps[0].scenario.focus_bloc == "ecowas"
    _write(tmp_path / "bad.yaml", "extends: _base.yaml\nname: bad\n")
    with pytest.raises(ScenarioError) as e:
        load_episodes(tmp_path)
    assert str(tmp_path / "bad.yaml") in str(e.value)
    assert "good.yaml" not in str(e.value)


def test_observed_must_be_consistent(tmp_path: Path) -> None:
    base = ROOT / "scenarios/gambia_2017.yaml"
    f = _write(tmp_path / "e.yaml",
               f"extends: {base}\nname: e\n" + OBSERVED.replace("max_rung: 6", "max_rung: 5"))
    with pytest.raises(ScenarioError, match="force was used"):
        load_episode(f)
    f = _write(tmp_path / "t.yaml", f"extends: {base}\nname: t\n" + OBSERVED.replace("GMB", "XXX"))
    with pytest.raises(ScenarioError, match=r"observed\.target"):
        load_episode(f)
    f = _write(tmp_path / "l.yaml", f"extends: {base}\nname: l\n" + OBSERVED.replace("force_used: true",
                                                                                     "force_used: maybe"))
    with pytest.raises(ScenarioError) as e:
        load_episode(f)
    assert f"{f}:" in str(e.value) and "force_used" in str(e.value)


def test_every_shipped_episode_loads_with_a_source() -> None:
    eps = load_episodes(HISTORY)
    names = {e.name for e in eps}
    assert {"gambia_2017", "niger_2023", "guinea_2021"} <= names
    assert len(eps) >= 3
    for e in eps:
        assert e.observed.source.strip(), e.path
        assert e.scenario.weeks <= 53, e.path  # the common horizon: at most 52 weeks from the trigger


def test_with_parameters_checks_paths_and_bounds() -> None:
    s = load_episode(HISTORY / "gambia_2017.yaml").scenario
    s2 = with_parameters(s, {"council.launch_p_win": 0.42, "parameters.support.w_norm": 1.5})
    assert s2.parameters.council.launch_p_win == 0.42 and s2.parameters.support.w_norm == 1.5
    assert s.parameters.council.launch_p_win != 0.42  # the base is left as it was
    with pytest.raises(ScenarioError, match="no such parameter"):
        with_parameters(s, {"council.no_such": 1})
    with pytest.raises(ScenarioError, match="launch_p_win"):
        with_parameters(s, {"council.launch_p_win": 1.5})


# --- the scores ------------------------------------------------------------------------------------


def test_brier_on_known_numbers() -> None:
    assert brier([0.9, 0.2, 0.5], [1, 0, 0]) == pytest.approx((0.01 + 0.04 + 0.25) / 3)
    assert brier([1.0, 0.0], [True, False]) == 0.0
    assert brier([0.0, 1.0], [True, False]) == 1.0
    assert brier([0.5] * 4, [1, 0, 1, 0]) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        brier([0.5], [1, 0])
    with pytest.raises(ValueError):
        brier([1.5], [1])


def test_ranked_probability_score_on_known_numbers() -> None:
    assert ranked_probability_score([0, 0, 1], 2) == 0.0
    assert ranked_probability_score([1, 0, 0], 2) == pytest.approx(1.0)
    # F = [0.5, 1.0], O = [0, 1] for observed rung 1: ((0.5)^2 + 0) / 2
    assert ranked_probability_score([0.5, 0.5, 0.0], 1) == pytest.approx(0.125)
    # two categories: the RPS is the Brier score of "rung >= 1"
    assert ranked_probability_score([0.3, 0.7], 1) == pytest.approx(brier([0.7], [1]))


def test_wilson_interval_on_known_numbers() -> None:
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(0.7225, abs=1e-4)


def test_episode_seed_depends_on_root_and_name_only() -> None:
    # SeedSequence([1, crc32("a") = 0xE8B7BE43]).generate_state(2) = [121187926, 1745461802], joined into
    # 63 bits: 121187926 * 2**32 + 1745461802 (pinned: every shipped history result depends on it)
    assert episode_seed(1, "a") == 121187926 * 2**32 + 1745461802 == 520498180585529898
    assert episode_seed(1, "a") != episode_seed(1, "b")
    assert episode_seed(1, "a") != episode_seed(2, "a")


# --- what the model says ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gambia_niger():
    eps = load_episodes(HISTORY)
    by = {e.name: e for e in eps}
    return run_history([by["gambia_2017"], by["niger_2023"]], replicates=60, seed=11, jobs=1)


def test_gambia_p_force_is_above_niger(gambia_niger) -> None:
    t = gambia_niger.table.set_index("episode")
    assert t.loc["gambia_2017", "p_force"] > t.loc["niger_2023", "p_force"]
    # not just noise: the intervals do not overlap
    assert t.loc["gambia_2017", "p_force_low"] > t.loc["niger_2023", "p_force_high"]


def test_table_rows_are_consistent(gambia_niger) -> None:
    t = gambia_niger.table
    assert list(t["episode"]) == ["gambia_2017", "niger_2023"]
    assert (t["p_force_low"] <= t["p_force"]).all() and (t["p_force"] <= t["p_force_high"]).all()
    rung_cols = [f"p_rung_{r}" for r in range(7)]
    assert t[rung_cols].sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0])
    assert len(gambia_niger.outcomes) == 120
    o = gambia_niger.outcomes
    assert o["run_id"].tolist() == list(range(120)) and o.groupby("episode")["replicate"].max().eq(59).all()


def test_adding_an_episode_does_not_change_the_others(gambia_niger) -> None:
    eps = {e.name: e for e in load_episodes(HISTORY)}
    alone = run_history([eps["gambia_2017"]], replicates=60, seed=11, jobs=1).table.iloc[0]
    assert alone["p_force"] == gambia_niger.table.iloc[0]["p_force"]
    assert alone["seed"] == gambia_niger.table.iloc[0]["seed"]


# --- the command -----------------------------------------------------------------------------------


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_history_command_writes_table_and_manifest(tmp_path: Path) -> None:
    d = tmp_path / "eps"
    d.mkdir()
    _write(d / "gambia.yaml", f"extends: {HISTORY / 'gambia_2017.yaml'}\nname: my_gambia\n")
    out = tmp_path / "out"
    r = _run("history", str(d), "-n", "5", "-j", "1", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "my_gambia" in r.stdout and "Brier" in r.stdout
    for f in ("history.csv", "history.parquet", "manifest.json", "runs.parquet", "points.parquet"):
        assert (out / f).exists(), f
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "history" and m["replicates"] == 5 and m["status"] == "complete"
    assert m["episodes"][0]["name"] == "my_gambia"
    assert not math.isnan(m["scores"]["brier"])
    res = load_results(out)  # the one loader reads a history directory too
    assert len(res.outcomes) == 5 and set(res.outcomes["episode"]) == {"my_gambia"}
    assert res.points["episode"].tolist() == ["my_gambia"]
    assert m["table_sha256"]["outcomes"] == table_hash(res.outcomes)


def test_history_command_bad_episode_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "eps"
    d.mkdir()
    _write(d / "plain.yaml", f"extends: {ROOT / 'scenarios/gambia_2017.yaml'}\nname: plain\n")
    out = tmp_path / "out"
    r = _run("history", str(d), "-n", "2", "-j", "1", "-q", "--out", str(out))
    assert r.returncode == 2
    assert "plain.yaml" in r.stderr and "observed" in r.stderr
    assert not out.exists()


# --- the census (docs/history.md, rules C, R, H, E) --------------------------------------------------

CLINE_COLS = ["coup_id", "cowcode", "country", "year", "month", "day", "event_type", "realized", "military",
              "dissident", "rebel", "palace", "foreign", "auto", "resign", "popular", "counter", "other"]


def _cline(*rows: dict) -> Any:
    import pandas as pd

    base = dict.fromkeys(CLINE_COLS[7:], 0)
    return pd.DataFrame([{**base, "event_type": "coup", **r} for r in rows])


def test_classify_applies_each_rule() -> None:
    t = classify(_cline(
        {"coup_id": "a", "cowcode": 432, "country": "Mali", "year": 2012, "month": 3, "day": 22, "realized": 1,
         "military": 1},                                                          # kept
        {"coup_id": "b", "cowcode": 432, "country": "Mali", "year": 2012, "month": 5, "day": 1, "realized": 0,
         "event_type": "attempted", "military": 1},                               # C1
        {"coup_id": "c", "cowcode": 435, "country": "Mauritania", "year": 2008, "month": 8, "day": 6,
         "realized": 1, "military": 1},                                           # C2: left ECOWAS in 2000
        {"coup_id": "d", "cowcode": 435, "country": "Mauritania", "year": 1999, "month": 1, "day": 6,
         "realized": 1, "military": 1},                                           # a member then: kept
        {"coup_id": "e", "cowcode": 450, "country": "Liberia", "year": 1994, "month": 9, "day": 7,
         "realized": 1, "palace": 1},                                             # C3
        {"coup_id": "f", "cowcode": 432, "country": "Mali", "year": 2012, "month": 9, "day": 1, "realized": 1,
         "military": 1, "counter": 1},                                            # C4: within a's horizon
        {"coup_id": "g", "cowcode": 432, "country": "Mali", "year": 2014, "month": 9, "day": 1, "realized": 1,
         "military": 1, "counter": 1},                                            # a counter-coup, but no open episode
        {"coup_id": "h", "cowcode": 2, "country": "USA", "year": 2000, "month": 1, "day": 1, "realized": 1,
         "military": 1},                                                          # not an ECOWAS state: dropped
    )).set_index("coup_id")
    assert t["rule"].to_dict() == {"a": "C1-C4", "b": "C1", "c": "C2", "d": "C1-C4", "e": "C3", "f": "C4",
                                   "g": "C1-C4"}
    assert t["included"].sum() == 3


def test_horizon_rule() -> None:
    import datetime as dt

    d = dt.date
    assert horizon_end("MLI", d(2021, 5, 24), [("MLI", d(2021, 5, 24))]) == d(2022, 5, 23)
    assert HORIZON_DAYS == 364
    # the next census trigger in the same state ends it the day before; another state's does not
    trig = [("MLI", d(2020, 8, 18)), ("MLI", d(2021, 5, 24)), ("GIN", d(2020, 9, 1))]
    assert horizon_end("MLI", d(2020, 8, 18), trig) == d(2021, 5, 23)
    assert horizon_end("GIN", d(2020, 9, 1), trig) == d(2021, 8, 31)


def test_census_file_is_its_own_rules_and_matches_the_episodes() -> None:
    """census.csv re-derived by classify() from its own Cline columns; every kept row is an episode file
    with the rule-H horizon, the census id, the regimes of regimes.csv and the suspensions of
    suspensions.csv; every episode is a census row."""
    import pandas as pd

    from sim.enums import Regime

    c = load_census(HISTORY)
    cl = c[~c["coup_id"].str.contains(":")].copy()
    for col in ("year", "month", "day"):
        cl[col] = [getattr(x, col) for x in cl["date"]]
    for col in CLINE_COLS[7:]:
        cl[col] = pd.to_numeric(cl[col])
    cl["cowcode"] = cl["state"].map({v: k for k, v in COW_ISO3.items()})
    again = classify(cl).set_index("coup_id")
    assert again["rule"].to_dict() == cl.set_index("coup_id")["rule"].to_dict()
    kept = c[c["included"]]
    eps = {e.name: e for e in load_episodes(HISTORY)}
    assert set(kept["episode"]) <= set(eps)
    assert {e.observed.census for e in eps.values()} <= set(kept["coup_id"])
    trig = [(r.state, r.date) for r in kept.itertuples()]
    reg, sus = load_regimes(HISTORY), load_suspensions(HISTORY)
    for r in kept.itertuples():
        e = eps[r.episode]
        s, o = e.scenario, e.observed
        assert (s.start, s.end) == (r.date, horizon_end(r.state, r.date, trig)), r.episode
        assert o.census == r.coup_id and o.target == r.state, r.episode
        assert o.trigger == ("refusal" if r.rule == "R" else "coup"), r.episode
        ecowas = s.blocs["ecowas"]
        for m in ecowas.members:
            want = regime_at(reg, m, s.start)
            assert s.states[m].regime == Regime(want), (r.episode, m, want)
        assert sorted(ecowas.suspended) == [m for m in suspended_at(sus, "ecowas", s.start)
                                            if m in ecowas.members], r.episode
    assert len(kept) == 27 and (kept["rule"] == "R").sum() == 2


def test_every_census_source_and_figures_note() -> None:
    for e in load_episodes(HISTORY):
        o = e.observed
        assert o.source.strip() and o.figures.strip() and o.census, e.path
        if e.scenario.start.year < 2020:
            assert "no" in o.figures and "found" in o.figures, e.path  # the episode says no era figure was found


def test_another_bloc_responds_without_code() -> None:
    e = load_episode(HISTORY / "niger_2023_au.yaml")
    assert e.observed.bloc == "au" and e.scenario.focus_bloc == "au"
    au = e.scenario.blocs["au"]
    assert {"TCD", "MRT"} <= set(au.members)  # its own states, beyond ECOWAS's
    assert any(t.bloc == "au" for t in e.scenario.treaties.values())  # and its own clauses


def test_observed_unsourced_and_trigger_are_checked(tmp_path: Path) -> None:
    base = ROOT / "scenarios/gambia_2017.yaml"
    f = _write(tmp_path / "u.yaml", f"extends: {base}\nname: u\n" + OBSERVED + "  unsourced: [colour]\n")
    with pytest.raises(ScenarioError, match="unsourced"):
        load_episode(f)
    f = _write(tmp_path / "t.yaml", f"extends: {base}\nname: t\n" + OBSERVED + "  trigger: invasion\n")
    with pytest.raises(ScenarioError, match="trigger"):
        load_episode(f)


# --- baselines, leave-one-out, bootstrap (rules S1-S4) -------------------------------------------------


def _table(rungs: list[int], features: list[tuple[float, float, float]], force_sourced=None, rung_sourced=None):
    import pandas as pd

    n = len(rungs)
    return pd.DataFrame({
        "episode": [f"e{i}" for i in range(n)], "observed_rung": rungs,
        "observed_force": [r == 6 for r in rungs],
        "force_sourced": force_sourced or [True] * n, "rung_sourced": rung_sourced or [True] * n,
        "refusal": [f[0] for f in features], "post_2001": [f[1] for f in features],
        "target_military": [f[2] for f in features]})


def test_logistic_fit_intercept_is_the_log_odds_without_slopes() -> None:
    import numpy as np

    from sim.history.scoring import logistic_fit, logistic_predict

    y = np.array([1, 0, 0, 0], dtype=float)
    x = np.zeros((4, 1))  # an uninformative feature: its penalised slope is 0
    coef = logistic_fit(x, y, l2=1.0)
    assert coef[0] == pytest.approx(math.log(0.25 / 0.75), abs=1e-5) and coef[1] == pytest.approx(0.0, abs=1e-6)
    # separated classes: finite with a penalty, and the right side of 0.5
    xs = np.array([[0.0], [0.0], [1.0], [1.0]])
    c2 = logistic_fit(xs, np.array([0, 0, 1, 1.0]), l2=1.0)
    p = logistic_predict(c2, xs)
    assert np.all(np.isfinite(c2)) and p[0] < 0.5 < p[2]


def test_baselines_on_known_numbers() -> None:
    import numpy as np

    from sim.history.scoring import baseline_forecasts

    t = _table([6, 2, 3, 3], [(1, 1, 0), (0, 1, 0), (0, 1, 0), (0, 0, 1)])
    b = baseline_forecasts(t, t)
    assert b["force"]["base_rate"] == pytest.approx([0.25] * 4)
    assert b["rung"]["frequencies"][0] == pytest.approx([0, 0, 0.25, 0.5, 0, 0, 0.25])
    lg = b["rung"]["logistic"]
    assert np.all(lg >= -1e-12) and lg.sum(axis=1) == pytest.approx([1.0] * 4)
    assert lg[:, :2].sum() == pytest.approx(0.0)  # no episode below rung 2: P(rung >= 1), P(>= 2) are 1
    # the refusal episode used force: the regression gives it the highest P(force)
    assert int(np.argmax(b["force"]["logistic"])) == 0


def test_leave_one_out_picks_the_best_point_without_the_episode() -> None:
    """Hand-checked: point 0 forecasts e0 and e1 well and e2 badly; point 1 the other way round for e0.
    Without e2, point 0 wins on e0, e1; without e0 or e1, the choice is made on the other two."""
    import pandas as pd

    from sim.history.scoring import leave_one_out

    t = _table([0, 0, 6], [(0, 0, 0)] * 3)

    def fc(point, ep, pf):
        rung = [1 - pf, 0, 0, 0, 0, 0, pf]
        return {"point": point, "episode": ep, "p_force": pf, **{f"p_rung_{k}": rung[k] for k in range(7)}}

    per = pd.DataFrame([fc(0, "e0", 0.0), fc(0, "e1", 0.0), fc(0, "e2", 0.0),
                        fc(1, "e0", 1.0), fc(1, "e1", 0.0), fc(1, "e2", 1.0)])
    loo = leave_one_out(per, t).set_index("episode")
    # without e0: point 1 is perfect on e1, e2 -> forecasts e0 with 1.0 (wrong); without e1: point 0 scores
    # 1 + 1 on e2 and point 1 scores 1 + 1 on e0 (a tie, the lower point); without e2: point 0 is perfect
    assert loo["point"].to_dict() == {"e0": 1, "e1": 0, "e2": 0}
    assert loo["p_force"].to_dict() == {"e0": 1.0, "e1": 0.0, "e2": 0.0}
    with pytest.raises(ValueError, match="e9"):
        leave_one_out(per, _table([0, 0, 6, 0], [(0, 0, 0)] * 4).replace({"e3": "e9"}))


def test_score_table_intervals_and_differences() -> None:
    import pandas as pd

    from sim.history.scoring import score_table

    t = _table([6, 2, 3, 5, 0], [(1, 1, 0), (0, 1, 0), (0, 1, 1), (0, 1, 0), (0, 0, 0)],
               rung_sourced=[True, True, True, True, False])
    perfect = pd.DataFrame({"episode": t["episode"], "p_force": (t["observed_rung"] == 6).astype(float),
                            **{f"p_rung_{k}": (t["observed_rung"] == k).astype(float) for k in range(7)}})
    s = score_table(t, perfect, perfect, bootstrap=200)
    m = s[s["forecaster"] == "model"]
    assert (m["value"] == 0).all() and set(m["sample"]) == {"in_sample", "leave_one_out"}
    assert (s[(s["score"] == "rps")]["n"] == 4).all() and (s[(s["score"] == "brier")]["n"] == 5).all()
    b = s[s["forecaster"] != "model"]
    assert (b["model_minus"] <= 0).all() and (b["model_minus_low"] <= b["model_minus"]).all()
    assert ((s["low"] <= s["value"] + 1e-12) & (s["value"] <= s["high"] + 1e-12)).all()
    # the base rate's in-sample Brier on 1 force in 5: 0.16 (hand-checked: (0.8^2 + 4 * 0.2^2) / 5)
    br = s[(s["sample"] == "in_sample") & (s["forecaster"] == "base_rate")]["value"].iloc[0]
    assert br == pytest.approx(0.16)


def test_history_command_leave_one_out_from_a_calibration(tmp_path: Path) -> None:
    import pandas as pd

    d = tmp_path / "eps"
    d.mkdir()
    _write(d / "a.yaml", f"extends: {HISTORY / 'gambia_2017.yaml'}\nname: ep_a\n")
    _write(d / "b.yaml", f"extends: {HISTORY / 'niger_2023.yaml'}\nname: ep_b\n")
    cal = tmp_path / "cal"
    cal.mkdir()
    rows = []
    for point, pf in ((0, 0.9), (1, 0.1)):
        for ep in ("ep_a", "ep_b"):
            rows.append({"point": point, "episode": ep, "p_force": pf,
                         **{f"p_rung_{k}": (1 - pf if k == 5 else pf if k == 6 else 0.0) for k in range(7)}})
    pd.DataFrame(rows).to_csv(cal / "episodes.csv", index=False)
    out = tmp_path / "out"
    r = _run("history", str(d), "-n", "3", "-j", "1", "-q", "--out", str(out), "--calibration", str(cal),
             "--bootstrap", "50")
    assert r.returncode == 0, r.stderr
    assert "leave-one-out" in r.stdout and "base rate of force" in r.stdout
    loo = pd.read_csv(out / "loo.csv").set_index("episode")
    # without ep_a (no force) point 1 is best and forecasts ep_a with 0.1; without ep_b (force), point 0
    assert loo["point"].to_dict() == {"ep_a": 1, "ep_b": 0}
    s = pd.read_csv(out / "scores.csv")
    assert set(s["sample"]) == {"in_sample", "leave_one_out"}
    m = json.loads((out / "manifest.json").read_text())
    assert m["calibration"] == str(cal) and m["scores_against_baselines"]
    bad = _run("history", str(d), "-n", "1", "-j", "1", "-q", "--out", str(tmp_path / "o2"),
               "--calibration", str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and "episodes.csv" in bad.stderr and not (tmp_path / "o2").exists()
