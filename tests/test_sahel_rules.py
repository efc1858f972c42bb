"""Unit tests of the Sahel security system's rules: insurgency, accord, presence, membership, coups."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.enums import AccordStatus
from sim.rules.accord import AccordInputs, accord_hazard, accord_week
from sim.rules.coups import CoupInputs, coup_probability
from sim.rules.insurgency import GroupCell, expected_attacks, group_week, pressure_ratio, threat_from_deaths
from sim.rules.membership import ExitInputs, GrievanceSources, exit_probability, grievance_target, grievance_week
from sim.rules.presence import ConsentInputs, revoke_probability, withdrawal_remaining
from sim.scenario import AccordParams, CoupParams, InsurgencyParams, MembershipParams, PresenceParams

IP, AP, PP, MP = InsurgencyParams(), AccordParams(), PresenceParams(), MembershipParams()


# --- insurgency ------------------------------------------------------------------------------------
def test_pressure_lowers_expected_attacks():
    lo = expected_attacks(3000, pressure_ratio(5000, 3000, IP), 1.0, IP)
    hi = expected_attacks(3000, pressure_ratio(20000, 3000, IP), 1.0, IP)
    assert hi < lo
    assert expected_attacks(3000, 0.0, 1.0, IP) == pytest.approx(IP.base_attack_rate * 3)


def test_no_fighters_no_attacks_no_pressure_ratio():
    rng = np.random.default_rng(0)
    gw = group_week(GroupCell(0.0, 1000.0, 0.0, 0.5, 1.0, 1.0), IP, rng)
    assert gw.attacks == 0 and gw.deaths == 0 and gw.strength == 0.0
    assert pressure_ratio(1000.0, 0.0, IP) == 0.0


def test_mean_attacks_and_deaths_match_their_rates():
    rng = np.random.default_rng(1)
    x = pressure_ratio(9000, 4000, IP)
    draws = [group_week(GroupCell(4000, 16000, x, 0.4, 1.0, 1.0), IP, rng) for _ in range(4000)]
    lam = expected_attacks(4000, x, 1.0, IP)
    assert np.mean([d.attacks for d in draws]) == pytest.approx(lam, rel=0.05)
    assert np.mean([d.deaths for d in draws]) == pytest.approx(lam * IP.deaths_per_attack, rel=0.05)


def test_instability_feeds_recruitment_and_pressure_losses():
    rng = np.random.default_rng(2)
    calm = group_week(GroupCell(2000, 8000, 0.5, 0.9, 1.0, 1.0), IP, rng)
    unstable = group_week(GroupCell(2000, 8000, 0.5, 0.1, 1.0, 1.0), IP, rng)
    assert unstable.recruits > calm.recruits
    light = group_week(GroupCell(2000, 8000, 0.1, 0.5, 1.0, 1.0), IP, rng)
    heavy = group_week(GroupCell(2000, 8000, 5.0, 0.5, 1.0, 1.0), IP, rng)
    assert heavy.losses > light.losses


@given(s=st.floats(0, 50_000), cap=st.floats(1, 60_000), x=st.floats(0, 100), stab=st.floats(0, 1),
       act=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_group_week_stays_within_bounds(s, cap, x, stab, act, seed):
    gw = group_week(GroupCell(min(s, cap), cap, x, stab, act, 1.0), IP, np.random.default_rng(seed))
    assert 0.0 <= gw.strength <= cap + 1e-9
    assert gw.attacks >= 0 and gw.deaths >= 0


@given(a=st.floats(0, 500), b=st.floats(0, 500))
def test_threat_is_bounded_and_monotone(a, b):
    ta, tb = threat_from_deaths(a, IP), threat_from_deaths(b, IP)
    assert 0.0 <= ta < 1.0 + 1e-12
    if a <= b:
        assert ta <= tb


# --- accord ------------------------------------------------------------------------------------------
def test_accord_hazard_rises_with_departures_and_offensives():
    base = accord_hazard(AccordInputs(AccordStatus.INTACT, 0.0, False), AP)
    assert accord_hazard(AccordInputs(AccordStatus.INTACT, 1.0, False), AP) > base
    assert accord_hazard(AccordInputs(AccordStatus.INTACT, 0.0, True), AP) > base
    assert accord_hazard(AccordInputs(AccordStatus.STRAINED, 0.0, False), AP) == pytest.approx(AP.collapse_hazard)


def test_collapsed_accord_is_absorbing_and_steps_one_at_a_time():
    rng = np.random.default_rng(3)
    assert accord_hazard(AccordInputs(AccordStatus.COLLAPSED, 1.0, True), AP) == 0.0
    always = AccordParams(strain_hazard=1.0, collapse_hazard=1.0)
    assert accord_week(AccordInputs(AccordStatus.INTACT, 0.0, False), always, rng)[0] is AccordStatus.STRAINED
    assert accord_week(AccordInputs(AccordStatus.STRAINED, 0.0, False), always, rng)[0] is AccordStatus.COLLAPSED
    assert accord_week(AccordInputs(AccordStatus.COLLAPSED, 0.0, False), always, rng)[0] is AccordStatus.COLLAPSED


# --- presence ----------------------------------------------------------------------------------------
def test_consent_revocation_rises_with_junta_sanctions_and_patron():
    civ = revoke_probability(ConsentInputs(False, 0.0, False), PP)
    junta = revoke_probability(ConsentInputs(True, 0.0, False), PP)
    sanctioned = revoke_probability(ConsentInputs(True, 1.0, False), PP)
    patron = revoke_probability(ConsentInputs(True, 1.0, True), PP)
    assert civ < junta < sanctioned < patron < 1.0


def test_withdrawal_takes_the_given_weeks():
    start, end = 4, 14
    left = [withdrawal_remaining(1500.0, start, end, w) for w in range(start, end + 2)]
    assert left[0] == 1500.0 and left[-2] == left[-1] == 0.0
    assert all(a > b for a, b in zip(left[:-2], left[1:-1], strict=True))  # noqa: RUF007 (fewer every week, to the end)
    assert left[5] == 750.0  # equal weekly shares: half gone halfway


# --- membership --------------------------------------------------------------------------------------
def test_grievance_moves_toward_its_sources_and_stays_bounded():
    src = GrievanceSources(sanctions=1.0, threat=1.0, suspension=1.0, patron_sent_away=1.0)
    target = grievance_target(src, MP)
    assert target == 1.0
    g = 0.0
    for _ in range(200):
        g = grievance_week(g, src, MP)
        assert 0.0 <= g <= 1.0
    assert g == pytest.approx(1.0, abs=1e-3)
    assert grievance_week(0.5, GrievanceSources(), MP) < 0.5


def test_partner_measures_count_in_part():
    own = grievance_target(GrievanceSources(sanctions=1.0), MP)
    partner = grievance_target(GrievanceSources(partner_sanctions=1.0), MP)
    assert 0 < partner < own


def test_exit_rises_with_grievance_and_an_alternative():
    assert exit_probability(ExitInputs(0.8, False), MP) > exit_probability(ExitInputs(0.1, False), MP)
    assert exit_probability(ExitInputs(0.5, True), MP) > exit_probability(ExitInputs(0.5, False), MP)


# --- coups -------------------------------------------------------------------------------------------
def test_coup_hazard_is_off_by_default():
    assert coup_probability(CoupInputs(0.0, 1.0, 5), CoupParams()) == 0.0


def test_coup_hazard_rises_with_instability_threat_and_neighbours():
    on = CoupParams(enabled=True)
    base = coup_probability(CoupInputs(0.8, 0.0, 0), on)
    assert coup_probability(CoupInputs(0.2, 0.0, 0), on) > base
    assert coup_probability(CoupInputs(0.8, 0.9, 0), on) > base
    assert coup_probability(CoupInputs(0.8, 0.0, 2), on) > base
