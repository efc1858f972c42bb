"""Phase 9, external presence: withdrawals under way proceed, patrons arrive, hosts weigh revoking a
power's consent (:mod:`sim.rules.presence`); a revocation orders the power out
(:func:`sim.actions.order_out`)."""

from __future__ import annotations

import numpy as np

from sim import actions
from sim.enums import LogKind, Regime
from sim.rules.presence import ConsentInputs, decide_revoke, withdrawal_remaining
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Troops move, then each host of a revocable power decides (``rng``: the presence generator)."""
    if not world.powers:
        return
    week = world.week
    for pw in world.powers.values():
        for host, (start, end) in list(pw.leaving.items()):
            if week >= end:
                pw.troops[host] = 0.0
                del pw.leaving[host]
                pw.withdrawn[host] = week
                world.withdrawal_events.append((week, pw.pid, host))
                world.say(LogKind.WITHDRAWN, pw.pid, host, "rule:presence", f"The last troops of {pw.name} "
                          f"leave {world.name(host)}.", weeks=week - start)
            else:
                initial = world.leaving_troops.get((pw.pid, host), 0.0)
                pw.troops[host] = withdrawal_remaining(initial, start, end, week)
        for host, (arrive, n) in list(pw.entering.items()):
            if week >= arrive:
                del pw.entering[host]
                pw.troops[host] = pw.troops.get(host, 0.0) + n
                pw.entered.setdefault(host, week)
                world.say(LogKind.PATRON_ENTERS, pw.pid, host, "rule:presence", f"{pw.name} arrives in "
                          f"{world.name(host)} with {n:,.0f} troops.", troops=n)
    for pw in world.powers.values():
        if not pw.revocable:
            continue
        for host in pw.hosts():
            if host in pw.leaving:
                continue
            st = world.states[host]
            ready = any(q is not pw and host in q.spec.patron_for and host not in q.revoked_by
                        for q in world.powers.values())
            x = ConsentInputs(st.regime is Regime.MILITARY, world.sanctioned.get(host, 0.0), ready)
            revoke, pr = decide_revoke(x, params.presence, rng)
            if revoke:
                world.say(LogKind.CONSENT_REVOKED, host, pw.pid, "rule:presence", f"{world.name(host)} "
                          f"revokes its consent to {pw.name}'s presence (weekly chance {pr:.1%}).",
                          probability=pr, sanctions=x.sanctions, patron_ready=ready)
                actions.order_out(world, pw, host, pw.spec.withdrawal_weeks, "rule:presence", "")
