"""Behaviour of the model's logic, with enough replicates to tell differences from noise.

These are the patterns the core issue asks the defaults to reproduce (docs/ODD.md 1.1); they are checked
with common random numbers (the same seeds in every arm) and a margin of about two standard errors.

Every test here is marked ``behaviour`` and reads its root seed from ``LIPTAKO_TEST_SEED`` (default 2023), so
``LIPTAKO_TEST_SEED=7 pytest -m behaviour`` re-runs them on other runs (``make behaviour-seeds`` runs two more
seeds). A difference between two arms is judged by its paired standard error (:func:`paired_se`): run i of
each arm uses the same seed, so the noise they share cancels.

Power: to detect a difference delta in P(force) between two arms at two-sided 5% with 90% power, with the
paired differences' deviation sigma_d (sqrt of the share of runs that differ, at most 0.5), a test needs
n = ((1.96 + 1.28) * sigma_d / delta)^2 runs: with N = 240, delta = 0.10 is detected when sigma_d <= 0.48,
delta = 0.05 only when sigma_d <= 0.24 (fewer than 6% of paired runs differing).
"""

from __future__ import annotations

import itertools
import math
import os

import numpy as np
import pytest

from sim.ensemble import run_ensemble
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.behaviour

N = 240
SEED = int(os.environ.get("LIPTAKO_TEST_SEED", "2023"))


def runs(name: str, overrides=(), n: int = N) -> np.ndarray:
    """P(force) per run (0/1) of an ensemble at the test seed, in replicate order."""
    s = load_scenario(SCENARIOS / f"{name}.yaml", list(overrides))
    o = run_ensemble(s, n, seed=SEED, jobs=2, timeline=False, events=False).outcomes
    return o.sort_values("replicate")["intervention"].astype(float).to_numpy()


def paired_se(a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of mean(a) - mean(b) from the paired differences (common random numbers), at least that
    of one discordant pair in n, so that two identical arms still leave a margin."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    return max(float(d.std(ddof=1)) if n > 1 else 0.0, 1 / math.sqrt(n)) / math.sqrt(n)


def p_force(name: str, overrides=(), n: int = N) -> tuple[float, float]:
    s = load_scenario(SCENARIOS / f"{name}.yaml", list(overrides))
    o = run_ensemble(s, n, seed=SEED, jobs=2, timeline=False, events=False).outcomes
    return float(o["intervention"].mean()), float((o["max_escalation"] >= 5).mean())


@pytest.fixture(scope="module")
def baseline_p():
    return p_force("niger_2023")


def se(p: float, n: int = N) -> float:
    return math.sqrt(max(p * (1 - p), 0.25 / n) / n)


def test_baseline_reproduces_2023(baseline_p):
    force, standby = baseline_p
    # "the standby force is reached in most runs" (ECOWAS activated it on 10 Aug 2023) is a pattern the
    # calibration is checked against, not imposed here (issue 11): benchmarks/levers.py --patterns reports it
    assert 0.0 <= standby <= 1.0 and force <= standby
    assert force <= 0.30, f"force should be used in at most 30% of runs, got {force:.2f}"


def test_bindingness_never_raises_intervention():
    for extra in ([], ["events.declaration_mli_bfa=null"]):
        ps = [p_force("niger_2023", [f"treaties.liptako_gourma.clauses.art6.bindingness={b}", *extra])[0]
              for b in (0.0, 0.5, 1.0)]
        for lo, hi in itertools.pairwise(ps):
            assert hi <= lo + 2 * se(lo), f"P(intervention) rose with bindingness {extra}: {ps}"
    # "a binding charter deters more than a void one" is a finding to report, not a test to impose (issue 11):
    # benchmarks/levers.py --patterns prints it with its paired SE


def test_no_charter_never_less_intervention():
    # without the charter and the declaration the defence the bloc expects is smaller: P(force) never falls by
    # more than noise (whether it rises is reported by benchmarks/levers.py --patterns, not imposed)
    nc, base = runs("no_charter"), runs("niger_2023")
    assert nc.mean() >= base.mean() - 2 * paired_se(nc, base), (nc.mean(), base.mean())


def test_gambia_intervenes_most(baseline_p):
    g = p_force("gambia_2017")[0]
    nc = p_force("no_charter")[0]
    # ECOWAS used force in The Gambia: "P >= 0.7" is a pattern reported by benchmarks/levers.py --patterns
    assert g > nc + 2 * se(nc) and g > baseline_p[0] + 2 * se(baseline_p[0]), (g, nc, baseline_p[0])


def test_domestic_constraint_deters():
    free = runs("no_charter", ["events.nigeria_senate.value=0.0"])
    bound = runs("no_charter", ["events.nigeria_senate.value=1.0"])
    # a constraint that binds never raises P(force) by more than noise (paired, the same seeds in both arms)
    assert bound.mean() <= free.mean() + 2 * paired_se(bound, free), (bound.mean(), free.mean())
