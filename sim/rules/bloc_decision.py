"""How a bloc turns its members' votes into a decision."""

from __future__ import annotations

from dataclasses import dataclass

from sim.enums import DecisionRule

__all__ = ["Tally", "Vote", "tally"]

Vote = int  # +1 yes, -1 no, 0 abstain


@dataclass(frozen=True, slots=True)
class Tally:
    passed: bool
    yes: int
    no: int
    abstain: int


def tally(votes: list[Vote], rule: DecisionRule, qualified_share: float) -> Tally:
    """Apply the bloc's rule to its voters' votes.

    - unanimity: every voter votes yes;
    - consensus: at least one yes and no voter objects (abstentions allowed);
    - majority: more than half of all voters vote yes;
    - qualified majority: at least ``qualified_share`` of all voters vote yes.
    No voters means no decision.
    """
    yes = sum(1 for v in votes if v > 0)
    no = sum(1 for v in votes if v < 0)
    ab = len(votes) - yes - no
    n = len(votes)
    if n == 0:
        return Tally(False, 0, 0, 0)
    if rule is DecisionRule.UNANIMITY:
        ok = yes == n
    elif rule is DecisionRule.CONSENSUS:
        ok = no == 0 and yes > 0
    elif rule is DecisionRule.MAJORITY:
        ok = yes > n / 2
    else:
        ok = yes >= qualified_share * n - 1e-9
    return Tally(ok, yes, no, ab)
