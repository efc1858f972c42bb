"""Phase 9, external presence, on a small World."""

from __future__ import annotations

from sim import actions
from sim.enums import LogKind
from sim.phases import presence
from tests.phases.small import rng, small_world


def test_a_withdrawal_leaves_in_equal_weekly_shares():
    w = small_world()
    pw = w.powers["p"]
    actions.order_out(w, pw, "A", 4, "event:x", "")
    assert pw.leaving["A"] == (1, 5) and "A" in pw.revoked_by
    seen = []
    for week in range(2, 6):
        w.week = week
        presence.run(w, w.params, rng())
        seen.append(pw.troops["A"])
    assert seen == [900.0, 600.0, 300.0, 0.0]
    assert pw.withdrawn == {"A": 5} and w.withdrawal_events == [(5, "p", "A")]
    assert w.log.rows[-1].kind is LogKind.WITHDRAWN

