"""sim.stats against values worked out by hand or published, not restated from the code."""

from __future__ import annotations

import math

import pytest

from sim.stats import Z95, Z95_FIGURES, brier, mean_interval, percent, ranked_probability_score, wilson_interval


def test_z95_is_the_normal_quantile() -> None:
    # Phi(z) = 0.975, with Phi(x) = (1 + erf(x / sqrt 2)) / 2
    assert (1 + math.erf(Z95 / math.sqrt(2))) / 2 == pytest.approx(0.975, abs=1e-15)
    assert Z95_FIGURES == pytest.approx(Z95, abs=1e-6)


# --- Wilson -----------------------------------------------------------------------------------------


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score interval without
    # continuity correction): 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611;
    # 1/29 -> 0.0061-0.1718.
    for (k, n), (lo, hi) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                             (0, 20): (0.0, 0.1611), (1, 29): (0.0061, 0.1718)}.items():
        got = wilson_interval(k, n)
        assert got == pytest.approx((lo, hi), abs=1e-4), (k, n)


def test_wilson_interval_by_hand() -> None:
    # 5/10, z = 2 for easy arithmetic: centre = (0.5 + 4/20) / 1.4 = 0.5,
    # half = 2 * sqrt(0.025 + 4/400) / 1.4 = 2 * sqrt(0.035) / 1.4
    half = 2 * math.sqrt(0.035) / 1.4
    assert wilson_interval(5, 10, z=2.0) == pytest.approx((0.5 - half, 0.5 + half), abs=1e-12)


def test_wilson_interval_ends_are_exact_and_symmetric() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0
    lo, hi = wilson_interval(3, 10)
    lo2, hi2 = wilson_interval(7, 10)
    assert (lo, hi) == pytest.approx((1 - hi2, 1 - lo2), abs=1e-12)
    assert wilson_interval(0, 0) == (0.0, 1.0)  # no trials: nothing is known
    for n in (1, 3, 7, 1000):
        assert wilson_interval(0, n)[0] == 0.0 and wilson_interval(n, n)[1] == 1.0


def test_wilson_interval_of_one_trial() -> None:
    # n = 1, k = 1, z^2 = 3.8415: denom 4.8415, centre (1 + 1.92073) / 4.8415 = 0.60327,
    # half 1.95996 * sqrt(3.8415 / 4) / 4.8415 = 0.39673 -> (0.20654, 1); k = 0 mirrors it.
    assert wilson_interval(1, 1) == pytest.approx((0.20654, 1.0), abs=1e-5)
    assert wilson_interval(0, 1) == pytest.approx((0.0, 0.79346), abs=1e-5)


def test_wilson_interval_is_95_percent_by_default() -> None:
    # 50/100 at z = 1.96: centre 0.5, half 1.96 * sqrt(0.0025 + 0.0000960) / 1.038415 = 0.09617;
    # at z = 1 (a 68% interval) the half-width would be 0.0495
    lo, hi = wilson_interval(50, 100)
    assert (hi - lo) / 2 == pytest.approx(0.09617, abs=1e-4)


# --- mean -------------------------------------------------------------------------------------------


def test_mean_interval_by_hand() -> None:
    # values 1..5: mean 3, sample sd sqrt(2.5), half-width z * sqrt(2.5) / sqrt(5) = z * sqrt(0.5)
    m, lo, hi = mean_interval([1, 2, 3, 4, 5], z=2.0)
    assert (m, lo, hi) == pytest.approx((3.0, 3.0 - 2 * math.sqrt(0.5), 3.0 + 2 * math.sqrt(0.5)))
    assert mean_interval([4.0]) == (4.0, 4.0, 4.0)
    # two values 1, 3: mean 2, sd sqrt(2), half z * sqrt(2) / sqrt(2) = z
    assert mean_interval([1, 3], z=2.0) == pytest.approx((2.0, 0.0, 4.0))
    # 95% by default: values 0, 2 -> half 1.95996 * sqrt(2) / sqrt(2)
    assert mean_interval([0, 2]) == pytest.approx((1.0, 1 - 1.959964, 1 + 1.959964), abs=1e-6)
    assert all(math.isnan(x) for x in mean_interval([]))


# --- scores -----------------------------------------------------------------------------------------


def test_brier_on_known_numbers() -> None:
    assert brier([0.9, 0.2, 0.5], [1, 0, 0]) == pytest.approx((0.01 + 0.04 + 0.25) / 3)
    assert brier([1.0, 0.0], [True, False]) == 0.0
    assert brier([0.0, 1.0], [True, False]) == 1.0
    assert brier([0.5] * 4, [1, 0, 1, 0]) == pytest.approx(0.25)  # the climatological coin
    # forecasts 0.7 and 0.3 of two events that both happened: ((0.3)^2 + (0.7)^2) / 2 = 0.29
    assert brier([0.7, 0.3], [1, 1]) == pytest.approx(0.29)
    with pytest.raises(ValueError, match=r"^brier needs two sequences of the same, non-zero length$"):
        brier([0.5], [1, 0])
    with pytest.raises(ValueError, match="same, non-zero length"):
        brier([], [])
    with pytest.raises(ValueError, match=r"^predicted probabilities must lie in \[0, 1\]$"):
        brier([1.5], [1])
    with pytest.raises(ValueError, match="must lie in"):
        brier([-0.1], [0])
    assert brier([0.0, 1.0], [False, True]) == 0.0  # the ends are allowed


def test_ranked_probability_score_on_known_numbers() -> None:
    assert ranked_probability_score([0, 0, 1], 2) == 0.0
    assert ranked_probability_score([1, 0, 0], 2) == pytest.approx(1.0)  # all mass at the far end
    # F = [0.5, 1.0], O = [0, 1] for observed rung 1: ((0.5)^2 + 0) / 2
    assert ranked_probability_score([0.5, 0.5, 0.0], 1) == pytest.approx(0.125)
    # uniform over 4 categories, observed the first: F = [.25, .5, .75], O = [1, 1, 1]
    # -> (0.5625 + 0.25 + 0.0625) / 3
    assert ranked_probability_score([0.25] * 4, 0) == pytest.approx(0.875 / 3)
    # two categories: the RPS is the Brier score of "rung >= 1"
    assert ranked_probability_score([0.3, 0.7], 1) == pytest.approx(brier([0.7], [1]))
    # observed the middle of three, forecast (0.2, 0.5, 0.3): F = [0.2, 0.7], O = [0, 1] -> (0.04 + 0.09) / 2
    assert ranked_probability_score([0.2, 0.5, 0.3], 1) == pytest.approx(0.065)
    with pytest.raises(ValueError, match=r"^need probabilities for at least two rungs$"):
        ranked_probability_score([1.0], 0)
    with pytest.raises(ValueError, match=r"^observed rung 2 outside 0\.\.1$"):
        ranked_probability_score([0.5, 0.5], 2)
    with pytest.raises(ValueError, match="observed rung -1 outside"):
        ranked_probability_score([0.5, 0.5], -1)


def test_percent_rounds_as_the_figures_print() -> None:
    assert [percent(p) for p in (0.0, 0.004, 0.0099, 0.01, 0.554, 1.0)] == ["0%", "0.4%", "1.0%", "1%", "55%", "100%"]
    assert percent(float("nan")) == "n/a"
