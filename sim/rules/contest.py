"""Contest success function (Hirshleifer 1989, ratio form)."""

from __future__ import annotations

__all__ = ["p_win"]


def p_win(attacker: float, defender: float, m: float) -> float:
    """Chance that the attacker prevails: ``F_a^m / (F_a^m + F_d^m)``.

    Args:
        attacker: the attacker's effective force (personnel x quality).
        defender: the defender's effective force, allies weighted by their chance of assisting.
        m: decisiveness (1 is the plain ratio form).

    Returns:
        A probability; 0 when the attacker has no force, 1 when only the defender has none.
    """
    if attacker <= 0:
        return 0.0
    if defender <= 0:
        return 1.0
    a, d = attacker**m, defender**m
    return a / (a + d)
