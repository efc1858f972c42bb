"""Independent checks of what the golden files pin (tests/golden/, compared with fresh runs by
tests/test_model.py::test_golden_baseline).

A golden file only says "the same as last time"; `make golden` rewrites it when the model changes on
purpose, so on its own it would accept a wrong model. Each file is paired here with checks that do not
depend on the stored numbers: every row must satisfy relations worked out by hand from the scenario (the
week a scheduled withdrawal completes, the notice an exit takes, the seeds a root seed spawns) and
accounting identities a wrong model would break (totals equal to the sum of their parts, rates equal to
their counts' ratio, force only at the top of the ladder). They read the committed files, so they also check
every rewrite `make golden` makes before it is committed.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from sim.enums import GroupKind, Rung
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS
from tests.update_golden import CASES, GOLDEN, ROOT_SEED


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}_outcomes.csv", keep_default_na=False, na_values=[""])


def week_of(scenario, date) -> int:
    """The week (1 = the first step) in which an event dated ``date`` is applied: the model steps weekly
    from the start, and the events of days 7(w-1) .. 7w-1 are applied in week w."""
    return 1 + (date - scenario.start).days // 7


@pytest.mark.parametrize("name", list(CASES))
def test_rows_are_the_runs_of_the_root_seed(name: str) -> None:
    g = golden(name)
    n = CASES[name]
    assert g["run_id"].tolist() == list(range(n)) and g["replicate"].tolist() == list(range(n))
    # run i's seed: child i of SeedSequence(root), i.e. SeedSequence(root, spawn_key=(i,)), two 32-bit words
    # joined into 63 bits (numpy's definition of spawning, not the project's spawn_seeds)
    want = []
    for i in range(n):
        hi, lo = np.random.SeedSequence(ROOT_SEED, spawn_key=(i,)).generate_state(2, dtype=np.uint32)
        want.append(((int(hi) << 32) | int(lo)) & (2**63 - 1))
    assert g["seed"].tolist() == want


@pytest.mark.parametrize("name", list(CASES))
def test_the_ladder_and_force_agree(name: str) -> None:
    g = golden(name)
    s = load_scenario(SCENARIOS / f"{name}.yaml")
    force = g["intervention"].astype(bool)
    assert g["max_escalation"].between(0, int(Rung.INTERVENTION)).all()
    assert (g.loc[force, "max_escalation"] == int(Rung.INTERVENTION)).all()
    assert g.loc[force, "intervention_week"].notna().all() and g.loc[~force, "intervention_week"].isna().all()
    # the standby force is activated at rung 5 and before any launch
    standby = g["max_escalation"] >= int(Rung.STANDBY)
    assert (g["standby_week"].notna() == standby).all()
    assert (g.loc[force, "intervention_week"] >= g.loc[force, "standby_week"]).all()
    assert (g.loc[force, "intervention_week"] <= s.weeks).all()
    # weeks of war only in a war, a war only with force used against the target or by others
    assert (g.loc[g["war_weeks"] > 0, "war"]).all() and (g.loc[~g["war"], "war_weeks"] == 0).all()
    assert (g["war_weeks"] <= s.weeks).all() and (g["sanction_weeks"].between(0, s.weeks)).all()


@pytest.mark.parametrize("name", list(CASES))
def test_rates_are_their_counts_ratio(name: str) -> None:
    g = golden(name)
    for rate, given, owed in (("honour_rate", "assistance_given", "assistance_owed"),
                              ("ct_honour_rate", "ct_given", "ct_owed")):
        assert (g[given] <= g[owed]).all()
        for _, r in g.iterrows():
            if r[owed] > 0:
                assert r[rate] == pytest.approx(r[given] / r[owed], abs=1e-9)
            else:
                assert math.isnan(r[rate])


@pytest.mark.parametrize("name", list(CASES))
def test_exits_add_up_and_take_their_notice(name: str) -> None:
    g = golden(name)
    s = load_scenario(SCENARIOS / f"{name}.yaml")
    blocs = sorted({m.group(1) for c in g.columns if (m := re.fullmatch(r"exits_(\w+)", c))})
    assert blocs and set(blocs) <= set(s.blocs)
    assert (g["exits"] == g[[f"exits_{b}" for b in blocs]].sum(axis=1)).all()
    firsts = g[[f"first_exit_week_{b}" for b in blocs]]
    assert (g["first_exit_week"].fillna(-1) == firsts.min(axis=1).fillna(-1)).all()
    # a member leaves a bloc the notice of the bloc's exit clause after giving notice (ECOWAS Art. 91: a
    # year, 52 weeks; none where no treaty of the bloc has an exit clause)
    for b in blocs:
        notices = [c.notice_weeks for t in s.treaties.values() if t.bloc == b
                   for c in t.clauses.values() if c.kind.value == "exit"]
        notice = notices[0] if notices else 0
        left = g[f"first_exit_week_{b}"].notna() & g[f"first_notice_week_{b}"].notna()
        gap = g.loc[left, f"first_exit_week_{b}"] - g.loc[left, f"first_notice_week_{b}"]
        assert (gap == notice).all(), (b, notice, gap.tolist())


def test_niger_scheduled_withdrawals_by_hand() -> None:
    g = golden("niger_2023")
    s = load_scenario(SCENARIOS / "niger_2023.yaml")
    # MINUSMA (not revocable by the host): ordered out on 26 Jul 2023, the start (week 1), over 22 weeks ->
    # the last troops leave in week 23 in every run
    mi = s.events["minusma_leaves_mali"]
    assert (week_of(s, mi.date), mi.value, s.external_powers["minusma"].revocable) == (1, 22, False)
    assert (g["withdrawal_week_minusma_MLI"] == 23).all()
    # France: scheduled out of Niger from 10 Oct 2023 (day 76, week 11) over 10 weeks -> week 21 at the latest
    # (Niger may revoke its consent earlier, as it did in 2023: then sooner)
    fr = s.events["france_leaves_niger"]
    assert (week_of(s, fr.date), fr.value) == (11, 10)
    assert (g["withdrawal_week_france_NER"] <= 21).all()


def test_niger_terrorism_deaths_are_the_jihadist_groups_deaths() -> None:
    # the Global Terrorism Index counts jihadist deaths, not separatists': per year, the deaths summed over
    # the states where jihadists fight equal the jihadist groups' deaths, and the separatists' are extra
    g = golden("niger_2023")
    s = load_scenario(SCENARIOS / "niger_2023.yaml")
    jihadist = [gid for gid, grp in s.armed_groups.items() if grp.kind is GroupKind.JIHADIST]
    assert sorted(jihadist) == ["is_sahel", "jnim"] and s.armed_groups["csp"].kind is GroupKind.SEPARATIST
    years = sorted({int(m.group(1)) for c in g.columns if (m := re.fullmatch(r"jnim_deaths_(\d+)", c))})
    assert years == [2023, 2024, 2025, 2026]
    for y in years:
        by_state = g[[c for c in g.columns if re.fullmatch(rf"terror_deaths_[A-Z]+_{y}", c)]].sum(axis=1)
        assert (by_state == g[[f"{gid}_deaths_{y}" for gid in jihadist]].sum(axis=1)).all(), y
        assert (g[f"csp_deaths_{y}"] >= 0).all() and (g[f"jnim_attacks_{y}"] >= 0).all()


def test_gambia_concessions_end_the_sanctions() -> None:
    # a target that concedes (a timetable, or yielding) does so in a week of the run, and is not under
    # sanctions for longer than it took; one that digs in has no concession week
    g = golden("gambia_2017")
    conceded = g["target_outcome"].isin(["timetable", "yielded"])
    assert set(g["target_outcome"]) <= {"timetable", "yielded", "dug_in"}
    assert g.loc[conceded, "concession_week"].notna().all() and g.loc[~conceded, "concession_week"].isna().all()
    assert (g.loc[conceded, "sanction_weeks"] <= g.loc[conceded, "concession_week"]).all()
    # force is used only against a target that has not conceded
    assert not (g["intervention"].astype(bool) & conceded & (g["concession_week"] < g["intervention_week"])).any()
