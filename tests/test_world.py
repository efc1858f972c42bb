"""The World's read-only queries, on the small World of tests/phases."""

from __future__ import annotations

from sim.enums import LogKind
from tests.phases.small import small_world


def test_names_members_and_their_cache():
    w = small_world()
    assert [w.name(x) for x in ("A", "bloc", "g", "p", "nobody")] == ["Aland", "Bloc", "G", "Power", "nobody"]
    first = w.members()
    assert first == {"bloc": ["A", "B", "C"]} and w.members() is first
    w.blocs["bloc"].remove("C")
    assert w.members() is first  # cached until told
    w.membership_changed()
    assert w.members() == {"bloc": ["A", "B"]}


def test_perceived_defence_counts_allies_by_their_chance_of_assisting():
    w = small_world()
    own = w.effective_defence("A")
    assert own == 10000 * w.params.combat.defence_mobilisation * 0.8
    total, probs = w.perceived_defence("bloc", "A")
    assert probs == {} and total == own  # B and C would be the attackers: nobody is left to defend A
    w.blocs["bloc"].suspended.add("C")
    total, probs = w.perceived_defence("bloc", "A")
    assert set(probs) == {"C"} and total > own


def test_theatre_focus_and_say():
    w = small_world()
    assert w.theatre == ["A", "B", "C"]  # A has fighters and troops; the pact's terrorism clause binds B, C
    assert (w.focus, w.focus_bloc) == (None, None) and w.focus_crisis() is None
    w.say(LogKind.SET, "A", "", "test", "hello", x=1.23456)
    r = w.log.rows[0]
    assert r.kind is LogKind.SET and r.week == 1 and r.text.endswith("hello") and r.details == {"x": 1.2346}
