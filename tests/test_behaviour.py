"""Behaviour of the model's logic, with enough replicates to tell differences from noise.

Every test here is marked ``behaviour`` and reads its root seed from ``LIPTAKO_TEST_SEED`` (default 2023), so
``LIPTAKO_TEST_SEED=7 pytest -m behaviour`` re-runs them on other runs; ``make test`` runs them at the default
and at two more seeds (``BEHAVIOUR_SEEDS``). They claim what must hold for any seed and any calibration
(the historical patterns the calibration is judged on are reported by ``experiments/findings.py``,
not imposed here: issue 11).

Every comparison uses common random numbers: run i of each arm has the same seed (:func:`runs`), and a
difference is judged by its paired standard error (:func:`paired_se`), SE = sd(d) / sqrt(N) over the paired
0/1 differences d, floored at that of one discordant pair in N, so that two identical arms still leave a margin.

Power (N = 200 runs an arm). A "never more than noise" check (``b <= a + K SE``, K = 3) fails by chance,
when the true difference is nil, with probability Phi(-3) = 0.13% per comparison (four such comparisons at a
seed: under 0.6%); at K = 2 it would be 2.3% per comparison (the earlier tests, at 2 SE and with unpaired
errors, failed at some of the root seeds 1-6).
It detects a true reversal delta with 90% power when delta >= (K + 1.28) SE = 4.28 sd(d) / sqrt(200) =
0.30 sd(d). For 0/1 pairs sd(d)^2 = q - delta^2 <= q, q the share of discordant pairs (runs that differ
between the arms), so sd(d) <= sqrt(q): at q = 0.1 a reversal of 0.10 is caught, at q = 0.02 one of 0.04.
The directional check (``test_gambia_intervenes_most``) claims a difference of more than K SE; with
sd(d) <= sqrt(q) <= 1 it holds whenever the true difference exceeds 3 / sqrt(200) = 0.21 by a few SE, as it
did by far when this was written (at the defaults of 2 December 2026 gambia_2017 used force in 5 of the 12
golden runs, niger_2023 in none).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from sim.ensemble import run_ensemble
from sim.enums import Rung
from sim.scenario import load_scenario, scenario_hash
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.behaviour

N = 200
K = 3.0  # margin in paired standard errors (see the power calculation above)
SEED = int(os.environ.get("LIPTAKO_TEST_SEED", "2023"))


_RUN: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # by scenario hash: an arm equal to another is run once


def _outcomes(name: str, overrides: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    s = load_scenario(SCENARIOS / f"{name}.yaml", list(overrides))
    key = scenario_hash(s)
    if key not in _RUN:
        o = run_ensemble(s, N, seed=SEED, jobs=2, timeline=False, events=False).outcomes.sort_values("replicate")
        _RUN[key] = o["intervention"].astype(float).to_numpy(), o["max_escalation"].astype(int).to_numpy()
    return _RUN[key]


def runs(name: str, *overrides: str) -> np.ndarray:
    """Force used (0/1) per run of an ensemble at the test seed, in replicate order (run i of every arm
    has the same seed); an arm that is the same scenario as one already run (the same hash) is not run again."""
    return _outcomes(name, tuple(overrides))[0]


def paired_se(a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of mean(a) - mean(b) from the paired differences (common random numbers), at least that
    of one discordant pair in n, so that two identical arms still leave a margin."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    return max(float(d.std(ddof=1)) if n > 1 else 0.0, 1 / math.sqrt(n)) / math.sqrt(n)


def test_paired_se_by_hand() -> None:
    # 4 pairs, differences 1, 0, 0, -1: sd (ddof 1) = sqrt(2/3), SE = sqrt(2/3) / 2 = 0.4082
    assert paired_se(np.array([1, 0, 1, 0]), np.array([0, 0, 1, 1])) == pytest.approx(math.sqrt(2 / 3) / 2)
    # identical arms: the floor of one discordant pair, 1 / n
    assert paired_se(np.zeros(16), np.zeros(16)) == pytest.approx(1 / 16)


def test_force_only_at_the_top_of_the_ladder() -> None:
    # a run that used force reached the intervention rung (the ladder is climbed, not skipped), at every seed
    force, rung = _outcomes("niger_2023", ())
    assert len(force) == N and set(np.unique(force)) <= {0.0, 1.0}
    assert (rung[force == 1.0] >= int(Rung.INTERVENTION)).all()
    g_force, g_rung = _outcomes("gambia_2017", ())
    assert (g_rung[g_force == 1.0] >= int(Rung.INTERVENTION)).all()


@pytest.mark.parametrize("extra", [(), ("events.declaration_mli_bfa=null",)], ids=["declared", "undeclared"])
def test_bindingness_never_raises_intervention(extra: tuple[str, ...]) -> None:
    # Art. 6 binding the AES to defend Niger makes the defence members expect larger, never smaller: P(force)
    # at bindingness 1 is never above that at 0 by more than noise (paired: the same seeds in both arms).
    # "A binding charter deters more than a void one" is a finding experiments/findings.py reports.
    path = "treaties.liptako_gourma.clauses.art6.bindingness"
    void, binding = runs("niger_2023", f"{path}=0.0", *extra), runs("niger_2023", f"{path}=1.0", *extra)
    assert binding.mean() <= void.mean() + K * paired_se(binding, void), (binding.mean(), void.mean())


def test_no_charter_never_less_intervention() -> None:
    # without the charter and the declaration the defence the bloc expects is smaller: P(force) never falls by
    # more than noise (whether it rises is reported by experiments/findings.py, not imposed)
    nc, base = runs("no_charter"), runs("niger_2023")
    assert nc.mean() >= base.mean() - K * paired_se(nc, base), (nc.mean(), base.mean())


def test_gambia_intervenes_most() -> None:
    # force is used far more often against The Gambia than against Niger, with or without the charter
    # (ECOWAS used force in The Gambia and not in Niger; "P >= 0.7" is a pattern reported by
    # experiments/findings.py, not imposed)
    g, nc, base = runs("gambia_2017"), runs("no_charter"), runs("niger_2023")
    assert g.mean() > nc.mean() + K * paired_se(g, nc), (g.mean(), nc.mean())
    assert g.mean() > base.mean() + K * paired_se(g, base), (g.mean(), base.mean())


def test_domestic_constraint_never_raises_intervention() -> None:
    # a Nigerian constraint that binds never raises P(force) by more than noise (paired, the same seeds)
    free = runs("no_charter", "events.nigeria_senate.value=0.0")
    bound = runs("no_charter", "events.nigeria_senate.value=1.0")
    assert bound.mean() <= free.mean() + K * paired_se(bound, free), (bound.mean(), free.mean())
