"""sim.scenario.checks for the security system and the values that mean nothing together: armed groups,
external powers, bloc patrons and alternatives, the security events, ``set`` events, counts and the
parameter lists. Each case gives the exact (location, message) list that ``cross_references`` must return,
so a check removed, a condition inverted or a message changed fails (written against the mutants
scripts/mutation.py found alive in ``_security_references``, ``_security_event_references``, ``_semantics``
and ``_too_big``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sim.scenario.checks import MAX_COUNT, cross_references
from sim.scenario.spec import Scenario

BASE: dict[str, Any] = {
    "name": "tiny",
    "start": "2020-01-01",
    "end": "2020-06-01",
    "states": {"AAA": {"name": "A", "personnel": 1000}, "BBB": {"name": "B", "borders": ["AAA"]}},
    "blocs": {"club": {"name": "Club", "members": ["AAA", "BBB"]},
              "alt": {"name": "Alt", "members": ["AAA"]}},
    "armed_groups": {"grp": {"name": "G", "kind": "jihadist", "strength": {"AAA": 100}},
                     "sep": {"name": "S", "kind": "separatist", "strength": {"BBB": 50},
                             "accord": {"name": "Acc", "state": "BBB"}}},
    "external_powers": {"pow": {"name": "P", "troops": {"AAA": 10}}},
    "events": {"c1": {"date": "2020-02-01", "kind": "coup", "actor": "AAA"}},
}


def errs(**changes: Any) -> list[tuple[tuple, str]]:
    """cross_references of BASE with top-level sections replaced or, for ``events_add``, events added."""
    data = copy.deepcopy(BASE)
    data["events"].update(changes.pop("events_add", {}))
    for path, value in changes.items():
        node = data
        *head, last = path.split("__")
        for k in head:
            node = node[k]
        node[last] = value
    return cross_references(Scenario.model_validate(data))


def ev(kind: str, actor: Any, target: Any = None, **kw: Any) -> dict[str, Any]:
    return {"e": {"date": "2020-03-01", "kind": kind, "actor": actor, "target": target, **kw}}


def test_the_base_is_clean() -> None:
    assert errs() == []


def test_armed_groups_must_name_states() -> None:
    assert errs(armed_groups__grp__strength={"AAA": 1, "ZZZ": 2}) == [
        (("armed_groups", "grp", "strength", "ZZZ"), "'ZZZ' is not a state")]
    assert errs(armed_groups__grp__capacity={"YYY": 5}) == [
        (("armed_groups", "grp", "capacity", "YYY"), "'YYY' is not a state")]
    assert errs(armed_groups__sep__accord={"name": "Acc", "state": "QQQ"}) == [
        (("armed_groups", "sep", "accord", "state"), "'QQQ' is not a state")]


def test_only_a_separatist_group_has_an_accord() -> None:
    assert errs(armed_groups__grp__accord={"name": "Acc", "state": "AAA"}) == [
        (("armed_groups", "grp", "accord"), "only a separatist group has an accord")]


def test_external_powers_must_name_states() -> None:
    assert errs(external_powers__pow__troops={"AAA": 1, "ZZZ": 2}) == [
        (("external_powers", "pow", "troops", "ZZZ"), "'ZZZ' is not a state")]
    assert errs(external_powers__pow__patron_for=["AAA", "ZZZ"]) == [
        (("external_powers", "pow", "patron_for", 1), "'ZZZ' is not a state")]
    assert errs(external_powers__pow__revoked_by=["YYY"]) == [
        (("external_powers", "pow", "revoked_by", 0), "'YYY' is not a state")]
    assert errs(external_powers__pow__patron_for=["AAA"], external_powers__pow__revoked_by=["BBB"]) == []


def test_bloc_alternatives_and_patrons() -> None:
    assert errs(blocs__club__alternative_to=["alt"], blocs__club__patrons=["pow"]) == []
    assert errs(blocs__club__alternative_to=["alt", "club", "none"]) == [
        (("blocs", "club", "alternative_to", 1), "'club' is not another bloc"),
        (("blocs", "club", "alternative_to", 2), "'none' is not another bloc")]
    assert errs(blocs__club__patrons=["pow", "grp"]) == [
        (("blocs", "club", "patrons", 1), "'grp' is not an external power")]


def test_an_id_is_used_once_across_sections() -> None:
    # sections in the order states, blocs, armed groups, external powers: the later one is named
    assert errs(external_powers={"grp": {"name": "P"}}) == [
        (("external_powers", "grp"), "id 'grp' is also used in armed_groups")]
    assert errs(armed_groups={"club": {"name": "G", "kind": "jihadist", "strength": {}}}) == [
        (("armed_groups", "club"), "id 'club' is also used in blocs")]


@pytest.mark.parametrize("kind", ["withdrawal", "deploy"])
def test_power_events(kind: str) -> None:
    value = 5
    assert errs(events_add=ev(kind, "pow", "AAA", value=value)) == []
    assert errs(events_add=ev(kind, "AAA", "AAA", value=value)) == [
        (("events", "e", "actor"), f"a '{kind}' event needs an external power")]
    assert errs(events_add=ev(kind, "pow", "club", value=value)) == [
        (("events", "e", "target"), f"a '{kind}' event needs a host state as target")]


def test_deploy_and_withdrawal_values() -> None:
    assert errs(events_add=ev("deploy", "pow", "AAA")) == [
        (("events", "e", "value"), "a 'deploy' event needs the number of troops as value")]
    assert errs(events_add=ev("deploy", "pow", "AAA", value="many")) == [
        (("events", "e", "value"), "a 'deploy' event needs the number of troops as value")]
    assert errs(events_add=ev("withdrawal", "pow", "AAA")) == []  # the power's own withdrawal_weeks
    assert errs(events_add=ev("withdrawal", "pow", "AAA", value="soon")) == [
        (("events", "e", "value"), "a 'withdrawal' event's value is the weeks it takes")]
    assert errs(events_add=ev("deploy", "pow", "AAA", value=2.5)) == [
        (("events", "e", "value"), "2.5: must be a whole, non-negative number of troops")]
    assert errs(events_add=ev("withdrawal", "pow", "AAA", value=-1)) == [
        (("events", "e", "value"), "-1.0: must be a whole, non-negative number of weeks")]
    assert errs(events_add=ev("deploy", "pow", "AAA", value=0)) == []
    assert errs(events_add=ev("withdrawal", "pow", "AAA", value=3.0)) == []


def test_rename_events() -> None:
    assert errs(events_add=ev("rename", "pow", value="New")) == []
    assert errs(events_add=ev("rename", "grp", value="New")) == []
    assert errs(events_add=ev("rename", "AAA", value="New")) == [
        (("events", "e", "actor"), "a 'rename' event needs a power or armed group")]
    assert errs(events_add=ev("rename", "pow", value=3)) == [
        (("events", "e", "value"), "a 'rename' event needs the new name as value")]


@pytest.mark.parametrize("kind", ["offensive", "accord_end"])
def test_group_events(kind: str) -> None:
    assert errs(events_add=ev(kind, "AAA", "grp")) == []
    assert errs(events_add=ev(kind, "pow", "grp")) == [
        (("events", "e", "actor"), f"a '{kind}' event needs a state as actor")]
    assert errs(events_add=ev(kind, "AAA", "BBB")) == [
        (("events", "e", "target"), f"a '{kind}' event needs an armed group as target")]


@pytest.mark.parametrize("kind", ["coup", "refusal_to_cede_power", "declaration"])
def test_state_events_need_state_actors(kind: str) -> None:
    assert errs(events_add=ev(kind, ["AAA", "BBB"])) == []
    assert errs(events_add=ev(kind, ["AAA", "club"])) == [
        (("events", "e", "actor"), f"a '{kind}' event needs a state as actor")]


def test_exit_notice_and_set_need_state_actors() -> None:
    assert errs(events_add=ev("exit_notice", "club", "club")) == [
        (("events", "e", "actor"), "a 'exit_notice' event needs a state as actor")]
    assert errs(events_add=ev("set", "pow", field="stability", value=0.5)) == [
        (("events", "e", "actor"), "a 'set' event needs a state as actor")]
    # suspend and readmit are a bloc's acts: a bloc is a fine actor
    assert errs(events_add=ev("suspend", "club", "club")) == []


def test_an_event_names_an_actor() -> None:
    assert errs(events_add=ev("declaration", [])) == [(("events", "e", "actor"), "names no actor")]


def test_set_events() -> None:
    assert errs(events_add=ev("set", "AAA", field="stability", value=0.5)) == []
    assert errs(events_add=ev("set", "AAA", field="stability")) == [
        (("events", "e", "value"), "a 'set' event needs a value")]
    bad = errs(events_add=ev("set", "AAA", field="stability", value=1.5))
    assert bad == [(("events", "e", "value"), "1.5 does not fit states.*.stability: "
                                              "Input should be less than or equal to 1")]
    settable = ("ci_share, coup_risk, democratic_norm, domestic_constraint, landlocked, leadership, personnel, "
                "pledge, quality, regime, reputation, stability, stationed, trade_exposure")
    assert errs(events_add=ev("set", "AAA", field="borders", value=1)) == [
        (("events", "e", "field"), f"'borders' cannot change during a run; one of {settable}")]
    assert errs(events_add=ev("set", "AAA", field="colour", value=1)) == [
        (("events", "e", "field"), "'colour' is not a state field")]
    assert errs(events_add=ev("coup", "AAA", field="stability")) == [
        (("events", "e", "field"), "only a 'set' event has a field, not a 'coup' event")]


def test_counts_beyond_a_billion() -> None:
    assert MAX_COUNT == 10**9
    assert errs(states__AAA__personnel=10**9) == []
    assert errs(states__AAA__personnel=10**9 + 1) == [
        (("states", "AAA", "personnel"), "1,000,000,001: more than 1,000,000,000 (more than any army, group or "
                                         "horizon)")]
    assert errs(armed_groups__grp__strength={"AAA": 2 * 10**9}) == [
        (("armed_groups", "grp", "strength", "AAA"), "2,000,000,000: more than 1,000,000,000 (more than any "
                                                     "army, group or horizon)")]
    assert errs(external_powers__pow__patron_for=["AAA"], states__BBB__stationed={"AAA": 10**10}) == [
        (("states", "BBB", "stationed", "AAA"), "10,000,000,000: more than 1,000,000,000 (more than any army, "
                                                "group or horizon)")]


def test_a_scenario_needs_a_state() -> None:
    data = {"name": "empty", "start": "2020-01-01", "end": "2020-06-01", "states": {}}
    assert cross_references(Scenario.model_validate(data)) == [(("states",), "a scenario needs at least one state")]


def test_parameter_lists() -> None:
    def params(section: str, **kw: Any) -> list[tuple[tuple, str]]:
        data = copy.deepcopy(BASE)
        data["parameters"] = {section: kw}
        return cross_references(Scenario.model_validate(data))

    assert params("support", war_risk=[0.0, 0.0, 0.0, 0.1, 0.5, 1.0]) == []
    assert params("support", war_risk=[0.0, 0.0, -0.1, 0.1, 0.5, 1.01]) == [
        (("parameters", "support", "war_risk", 2), "-0.1 is a probability: must be in [0, 1]"),
        (("parameters", "support", "war_risk", 5), "1.01 is a probability: must be in [0, 1]")]
    assert params("support", war_risk=[0.0, 0.5]) == [
        (("parameters", "support", "war_risk"), "needs 6 values, one per rung above 0")]
    assert params("support", rung_cost=[0.1] * 7) == [
        (("parameters", "support", "rung_cost"), "needs 6 values, one per rung above 0")]
    assert params("accord", activity=[1.0, 0.0, 2.0]) == []
    assert params("accord", activity=[1.0, -0.5, 2.0]) == [
        (("parameters", "accord", "activity", 1), "-0.5: a multiplier must not be negative")]
    assert params("accord", activity=[1.0, 2.0]) == [
        (("parameters", "accord", "activity"), "needs 3 values, one per status")]


def test_events_name_known_actors_targets_and_dates() -> None:
    assert errs(events__c1__actor="XXX") == [
        (("events", "c1", "actor"), "'XXX' is not a state or bloc of this scenario"),
        (("events", "c1", "actor"), "a 'coup' event needs a state as actor")]
    for kind in ("exit_notice", "suspend", "readmit"):
        actor = "AAA" if kind == "exit_notice" else "club"
        assert errs(events_add=ev(kind, actor)) == [
            (("events", "e", "target"), f"a '{kind}' event needs a target bloc")]
    # the first and the last day of the scenario are in it; the day after is not
    assert errs(events__c1__date="2020-06-01") == [] and errs(events__c1__date="2020-01-01") == []
    assert errs(events__c1__date="2020-06-02") == [
        (("events", "c1", "date"), "2020-06-02 is outside the scenario (2020-01-01 to 2020-06-01)")]


def test_the_horizon_and_the_centuries_at_their_ends() -> None:
    assert errs(end="2030-01-02") == [
        (("end",), "3654 days after start: at most 3653 (ten years; the rules are grounded on crises of weeks to "
                   "three years)")]
    assert errs(start="2100-06-01", end="2100-12-31", events__c1__date="2100-07-01") == []  # the last day allowed
    assert errs(start="2100-06-01", end="2101-01-01", events__c1__date="2100-07-01") == [
        (("end",), "2101-01-01 is outside 1900-2100")]


TREATY = {"name": "Pact", "bloc": "club", "clauses": {}}


def clause(**kw: Any) -> list[tuple[tuple, str]]:
    return errs(treaties={"pact": {**TREATY, "clauses": {"c": kw}}})


def test_clause_triggers() -> None:
    assert clause(kind="exit", obligation="leave", notice_weeks=4) == []
    assert clause(kind="exit", obligation="leave", trigger={"event": ["coup"]}) == [
        (("treaties", "pact", "clauses", "c", "trigger"), "a exit clause has no trigger")]
    assert clause(kind="democratic_order", obligation="ladder", means=["diplomatic"], max_rung=3) == [
        (("treaties", "pact", "clauses", "c", "trigger"),
         "a democratic_order clause (ladder) needs a trigger: coup, refusal_to_cede_power")]
    # non-aggression applies without a trigger
    assert clause(kind="non_aggression", obligation="refrain") == []


def test_a_ladder_to_force_needs_armed_force() -> None:
    ladder = {"kind": "democratic_order", "obligation": "ladder", "trigger": {"event": ["coup"]}}
    assert clause(**ladder, means=["diplomatic"], max_rung=4) == []  # an ultimatum needs no troops
    assert clause(**ladder, means=["diplomatic"], max_rung=5) == [
        (("treaties", "pact", "clauses", "c", "max_rung"),
         "rung 5 (standby) needs armed_force among the clause's means")]
    assert clause(**ladder, means=["diplomatic", "armed_force"], max_rung=6) == []
