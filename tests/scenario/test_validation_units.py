"""The loader, the safe YAML reader and the error locations, message by message, in-process.

tests/test_inputs.py runs the malformed-input corpus through the command line (the user's view); these check
the same functions directly and fast enough for scripts/mutation.py to run per mutant: each message's exact
text and line, each limit at and beyond its value (written against the mutants it found alive).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import ScenarioError
from sim.scenario.errors import format_loc, where
from sim.scenario.loading import MAX_EXTENDS, _merge, load_raw, load_scenario, read_yaml, scenario_from_dict
from sim.scenario.safeyaml import MAX_DEPTH, MAX_NODES, parse_text, read_text
from tests.scenario.minimal import MINIMAL, write


def messages(fn, *args) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        fn(*args)
    return e.value.messages


# --- errors -----------------------------------------------------------------------------------------


def test_where_finds_the_nearest_enclosing_field() -> None:
    pos = {("a",): ("f.yaml", 3), ("a", "b"): ("f.yaml", 4), ("c",): ("--set c=1", 0), (): ("f.yaml", 1)}
    assert where(pos, ("a", "b", "x", 2), "d") == "f.yaml:4"
    assert where(pos, ("a", "z"), "d") == "f.yaml:3"
    assert where(pos, ("c", "q"), "d") == "--set c=1"
    assert where(pos, ("zz",), "d") == "f.yaml:1"  # the top level encloses everything
    assert where({}, ("a",), "d") == "d"
    assert format_loc(("states", "NER", "borders", 0)) == "states.NER.borders.0"
    assert format_loc(()) == "(top level)"
    e = ScenarioError(["one", "two"])
    assert e.messages == ["one", "two"] and str(e) == "one\ntwo"


# --- read_text --------------------------------------------------------------------------------------


def test_read_text_refuses_what_is_not_a_small_utf8_file(tmp_path: Path) -> None:
    assert messages(read_text, tmp_path / "none.yaml") == [f"{tmp_path / 'none.yaml'}: cannot read: No such file "
                                                           "or directory"]
    assert messages(read_text, tmp_path) == [f"{tmp_path}: is a directory, not a file"]
    assert messages(read_text, Path("/dev/null")) == ["/dev/null: not a regular file (a device, a pipe or a "
                                                      "socket); give a YAML file"]
    p = tmp_path / "s.yaml"
    p.write_bytes(b"a: 1\n" * 3)  # 15 bytes
    assert read_text(p, limit=15) == "a: 1\n" * 3
    assert messages(read_text, p, 14) == [f"{p}: 15 bytes: larger than the limit of 14 bytes (a scenario or "
                                          "experiment is a few kB)"]
    p.write_bytes(b"a: 1\nb: \xe9t\xe9\n")
    assert messages(read_text, p) == [f"{p}:2: not UTF-8 text (byte 0xe9 at offset 8); save the file as UTF-8"]
    p.write_bytes("\ufeffa: é\n".encode())  # a byte-order mark is dropped
    assert read_text(p) == "a: é\n"


# --- parse_text -------------------------------------------------------------------------------------


def test_parse_text_gives_data_and_lines() -> None:
    data, pos = parse_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "f")
    assert data == {"a": 1, "b": ["x", {"c": 2}]}
    assert pos == {(): ("f", 1), ("a",): ("f", 1), ("b",): ("f", 2), ("b", 0): ("f", 3), ("b", 1): ("f", 4),
                   ("b", 1, "c"): ("f", 4)}
    assert parse_text("a: 1\n", "f", positions=False) == ({"a": 1}, {})
    assert parse_text("", "f") == (None, {})
    assert parse_text("# only a comment\n", "f") == (None, {})


def test_a_key_given_twice() -> None:
    assert messages(parse_text, "a: 1\nb: 2\na: 3\n", "f") == [
        "f:3: a: given twice in one mapping (first on line 1); keep one"]
    assert messages(parse_text, "s:\n  x: 1\n  y: 2\n  x: 1\n", "f") == [
        "f:4: s.x: given twice in one mapping (first on line 2); keep one"]
    # a merge key's keys may be overridden; the mapping's own key still counts once
    data, _ = parse_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 5\n", "f")
    assert data["c"] == {"x": 5, "y": 2}


def test_impossible_dates() -> None:
    assert messages(parse_text, "start: 2017-02-30\n", "f") == [
        "f:1: start: '2017-02-30' is not a date (day is out of range for month)"]
    assert parse_text("start: 2017-02-28\n", "f")[0]["start"].isoformat() == "2017-02-28"


def test_nesting_depth_at_and_beyond_the_limit() -> None:
    assert MAX_DEPTH == 64
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_text(ok, "f")[0] is not None
    deep = "x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH  # the mapping makes it 65
    assert messages(parse_text, deep, "f") == [
        "f:1: nested more than 64 levels deep (the scenario format needs fewer than 10)"]


def test_alias_expansion_at_and_beyond_the_limit() -> None:
    assert MAX_NODES == 200_000

    # a top list (1 value) holding a list of 999 scalars (1,000 values with the list), that list aliased n
    # times (1,000 values each) and k plain scalars: 1 + 1000 + 1000 n + k values
    def doc(n: int, k: int = 0) -> str:
        return ("- &a [" + ", ".join(["1"] * 999) + "]\n" + "".join("- *a\n" for _ in range(n))
                + "".join("- 1\n" for _ in range(k)))

    assert len(parse_text(doc(198), "f")[0]) == 199  # 199,001
    assert len(parse_text(doc(198, 999), "f")[0]) == 199 + 999  # exactly 200,000: read
    assert messages(parse_text, doc(198, 1000), "f") == [  # 200,001
        "f:1199: more than 200,000 values once aliases are expanded (an alias bomb?)"]
    assert messages(parse_text, doc(199), "f") == [
        "f:200: more than 200,000 values once aliases are expanded (an alias bomb?)"]


def test_an_alias_inside_its_own_value() -> None:
    assert messages(parse_text, "a: &x\n  b: *x\n", "f") == [
        "f:2: not valid YAML: the alias *x refers to a value that contains it (a value cannot contain itself)"]


def test_yaml_errors_name_their_line() -> None:
    # the parser's own problem, not its context ("while parsing a flow sequence")
    assert messages(parse_text, "a: 1\nb: [1, 2\n", "f") == ["f:3: not valid YAML: did not find expected ',' or ']'"]
    assert messages(parse_text, "a: !!python/name:os.system x\n", "f")[0].startswith("f:1: not valid YAML: ")
    assert messages(parse_text, "a: 1\n? [1, 2]\n: x\n", "f") == ["f:2: not valid YAML: a key must be a plain value"]
    # the reader's errors carry no mark: line 1 and the first line of the error
    assert messages(parse_text, "a: 1\nb: \x07\n", "f") == [
        "f:1: not valid YAML: unacceptable character #x0007: control characters are not allowed"]
    # an alias to nothing is the composer's error, not a crash of the size count
    assert messages(parse_text, "a: 1\nb: *zz\n", "f") == ["f:2: not valid YAML: found undefined alias"]
    assert messages(parse_text, "2017-02-30\n", "f") == [
        "f:1: (top level): '2017-02-30' is not a date (day is out of range for month)"]


def test_merge_keys_are_not_duplicates() -> None:
    data, _ = parse_text("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n", "f")
    assert data["c"] == {"x": 1, "y": 2}
    assert messages(parse_text, "c:\n  x: 1\n  <<: {x: 2}\n  x: 3\n", "f") == [
        "f:4: c.x: given twice in one mapping (first on line 2); keep one"]


def test_an_aliased_value_is_walked_once() -> None:
    # the node graph is walked last key first; a node reached again through an alias is not walked again,
    # and the walk goes on with the other fields
    _, pos = parse_text("a: 1\nbase: &b {x: 1}\nc: *b\n", "f")
    assert pos[("a",)] == ("f", 1) and pos[("base",)] == ("f", 2) and pos[("c",)] == ("f", 3)
    assert (("c", "x") in pos) + (("base", "x") in pos) == 1


def test_nesting_counts_closed_collections_out() -> None:
    # a list closed at depth 3 leaves depth 2: 63 more levels inside make 65 (refused), 62 make 64 (read)
    def doc(k: int) -> str:
        return "[[[], " + "[" * k + "]" * k + "]]"

    assert parse_text(doc(62), "f")[0] is not None
    assert messages(parse_text, doc(63), "f") == [
        "f:1: nested more than 64 levels deep (the scenario format needs fewer than 10)"]


def test_read_text_guards_against_a_file_that_grows_or_cannot_be_opened(tmp_path: Path, monkeypatch) -> None:
    import builtins
    import os as _os

    from sim.scenario import safeyaml

    p = tmp_path / "s.yaml"
    p.write_bytes(b"a: 1\n" * 4)  # 20 bytes
    real_stat = _os.stat

    class Small:  # stat says 10 bytes (the file grew after it was checked)
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(safeyaml.os, "stat", lambda q: Small(real_stat(q)))
    assert messages(read_text, p, 12) == [f"{p}: larger than the limit of 12 bytes"]
    assert read_text(p, 20) == "a: 1\n" * 4
    monkeypatch.undo()

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(builtins, "open", refuse)
    assert messages(read_text, p) == [f"{p}: cannot read: Permission denied"]


# --- read_yaml and the extends chain ----------------------------------------------------------------


def test_read_yaml_needs_a_mapping_with_text_keys(tmp_path: Path) -> None:
    p = write(tmp_path, "- a\n- b\n")
    assert messages(read_yaml, p) == [f"{p}:1: the top level must be a mapping of fields"]
    p = write(tmp_path, "name: x\n3: y\n")
    assert messages(read_yaml, p) == [f"{p}:2: 3: a field name must be text"]
    p = write(tmp_path, "")
    assert messages(read_yaml, p) == [f"{p}:1: the top level must be a mapping of fields"]


def test_merge_is_deep_and_null_removes_a_section() -> None:
    base = {"a": {"x": 1, "y": {"z": 2}}, "b": 3, "c": {"k": 1}, "l": [1, 2]}
    over = {"a": {"y": {"w": 4}}, "b": None, "c": None, "l": [3], "n": {"q": 1}}
    assert _merge(base, over) == {"a": {"x": 1, "y": {"z": 2, "w": 4}}, "b": None, "l": [3], "n": {"q": 1}}
    assert base == {"a": {"x": 1, "y": {"z": 2}}, "b": 3, "c": {"k": 1}, "l": [1, 2]}  # the base is kept
    assert _merge({"a": 1}, {"a": {"x": 1}}) == {"a": {"x": 1}}  # a mapping over a value replaces it


def test_extends_errors_name_the_chain(tmp_path: Path) -> None:
    p = write(tmp_path, "name: x\nextends: 3\n", "a.yaml")
    assert messages(load_raw, p) == [f"{p}:2: extends: must be a file name"]
    p = write(tmp_path, "name: x\nextends: '  '\n", "a.yaml")
    assert messages(load_raw, p) == [f"{p}:2: extends: must be a file name"]
    p = write(tmp_path, "extends: gone.yaml\n", "a.yaml")
    assert messages(load_raw, p) == [f"{p}:1: extends: no such file {tmp_path / 'gone.yaml'}"]
    a = write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    b = write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    bb = tmp_path / "b.yaml"
    assert messages(load_raw, a) == [f"{a} extends {bb}: {bb} extends {tmp_path / 'a.yaml'}: {tmp_path / 'a.yaml'}:1: "
                                     f"extends: circular chain {a.resolve()} -> {b.resolve()} -> {a.resolve()}"]
    write(tmp_path, "- not a mapping\n", "c.yaml")
    d = write(tmp_path, "extends: c.yaml\n", "d.yaml")
    assert messages(load_raw, d) == [f"{d} extends {tmp_path / 'c.yaml'}: {tmp_path / 'c.yaml'}:1: the top level "
                                     "must be a mapping of fields"]


def test_the_extends_chain_limit(tmp_path: Path) -> None:
    assert MAX_EXTENDS == 16

    def chain(n: int) -> Path:  # f0 extends f1 ... extends f{n}, which has no extends
        d = tmp_path / f"c{n}"
        d.mkdir()
        for i in range(n):
            write(d, f"extends: f{i + 1}.yaml\nk{i}: {i}\n", f"f{i}.yaml")
        return write(d, f"k{n}: {n}\n", f"f{n}.yaml") and d / "f0.yaml"

    data, _ = load_raw(chain(15))  # 16 files
    assert data == {f"k{i}": i for i in range(16)}
    msg = messages(load_raw, chain(16))  # 17 files: the 17th is refused
    assert len(msg) == 1 and msg[0].endswith("c16/f16.yaml:1: extends: a chain of more than 16 files")


def test_the_chain_keeps_set_positions_and_the_child_wins(tmp_path: Path) -> None:
    base = write(tmp_path, "name: base\nx: 1\n", "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nx: 2\n", "child.yaml")
    data, pos = load_raw(child)
    assert data == {"name": "base", "x": 2}
    assert pos[("x",)] == (str(child), 2) and pos[("name",)] == (f"{child} extends {base}: {base}", 1)
    assert ("extends",) in pos  # the child's own line of it


# --- scenario_from_dict -----------------------------------------------------------------------------


def test_messages_of_the_field_checks(tmp_path: Path) -> None:
    data, pos = load_raw(write(tmp_path, MINIMAL.replace("personnel: 1000}", "personnel: 1000, size: 3}")
                               .replace("start: 2020-01-01\n", "")))
    msgs = messages(scenario_from_dict, data, pos, "s.yaml")
    f = tmp_path / "s.yaml"
    assert msgs == [f"{f}:1: start: required field is missing", f"{f}:4: states.AAA.size: unknown field"]
    assert messages(scenario_from_dict, {"name": "x"}) == ["<scenario>: start: required field is missing",
                                                           "<scenario>: end: required field is missing",
                                                           "<scenario>: states: required field is missing"]
    bad = {"name": "x", "start": "2020-01-01", "end": "2020-06-01", "states": {"A": {"name": "A"}},
           "focus": "Q"}
    assert messages(scenario_from_dict, bad, None, "f.yaml") == ["f.yaml: focus: 'Q' is not a state of this scenario"]
    s = scenario_from_dict({k: v for k, v in bad.items() if k != "focus"})
    assert s.weeks == 21  # 152 days


def test_overrides_are_applied_and_checked(tmp_path: Path) -> None:
    p = write(tmp_path, MINIMAL)
    assert load_scenario(p, ["states.AAA.personnel=7"]).states["AAA"].personnel == 7
    assert load_scenario(p).states["AAA"].personnel == 1000
    msgs = messages(load_scenario, p, ["states.AAA.personnel=-7"])
    assert len(msgs) == 1 and msgs[0] == ("--set states.AAA.personnel: states.AAA.personnel: Input should be "
                                        "greater than or equal to 0")


# --- dotted paths -----------------------------------------------------------------------------------


def test_paths_into_lists_stop_at_their_end() -> None:
    from sim.scenario.paths import get_path, set_if_present, set_path

    data = {"a": [10, 20], "b": {"c": 1}}
    assert get_path(data, "a.1") == 20
    with pytest.raises(KeyError, match=r"^'a.2'$"):
        get_path(data, "a.2")  # one past the end
    set_path(data, "a.1", 7)
    assert data["a"] == [10, 7]
    with pytest.raises(KeyError, match=r"^'2'$"):
        set_path(data, "a.2", 1)  # a list is not extended by a path
    assert data["a"] == [10, 7]
    with pytest.raises(KeyError, match=r"^'x'$"):
        set_path(data, "a.x", 1)  # a list has no named keys
    with pytest.raises(KeyError, match=r"^'x'$"):
        set_path(data, "b.c.x", 1)  # a number is not a section
    assert set_if_present(data, "b.d", 2) and data["b"] == {"c": 1, "d": 2}
    assert not set_if_present(data, "q.d", 2) and "q" not in data


def test_parse_value() -> None:
    from sim.scenario.paths import parse_value

    assert parse_value("0.5") == 0.5 and parse_value("[1, 2]") == [1, 2] and parse_value("null") is None
    assert parse_value("a: b: c") == "a: b: c"  # not YAML: the text itself
    assert parse_value("x" * 100_000) == "x" * 100_000
    assert messages(parse_value, "x" * 100_001) == ["--set: a value of 100,001 characters (at most 100,000)"]


def test_overrides_with_an_equals_sign_in_the_value_and_removal() -> None:
    from sim.scenario.paths import apply_overrides, split_overrides

    pos: dict = {}
    out = apply_overrides({"a": {"b": 1}, "e": {"x": {"k": 1}, "y": {"k": 2}}}, pos,
                          ["a.note=x=y", "e.y=null", "n.m=3"])
    assert out == {"a": {"b": 1, "note": "x=y"}, "e": {"x": {"k": 1}}, "n": {"m": 3}}
    assert pos[("a", "note")] == ("--set a.note", 0) and pos[("n",)] == ("--set n.m", 0)
    assert messages(apply_overrides, {"a": {"b": 1}}, {}, ["a.b.c.d=1"]) == [
        "--set a.b.c.d: 'a.b.c' is not a section"]
    assert messages(apply_overrides, {"a": [1]}, {}, ["a.c=1"]) == ["--set a.c: 'a' is not a section"]
    assert messages(apply_overrides, {"a": {"l": [1]}}, {}, ["a.l.c=1"]) == ["--set a.l.c: 'a.l' is not a section"]
    deep = apply_overrides({"t": {"c": {"k": {"z": 1}, "j": {"z": 2}}}}, {}, ["t.c.k=null"])
    assert deep == {"t": {"c": {"j": {"z": 2}}}}  # the last key of the path is removed, at any depth
    assert messages(apply_overrides, {}, {}, ["a.b"]) == ["--set a.b: expected PATH=VALUE"]
    rest, params = split_overrides(["parameters.support.w_norm=x=1", "states.A.personnel=3", "plain"])
    assert params == {"parameters.support.w_norm": "x=1"} and rest == ["states.A.personnel=3", "plain"]


def test_with_parameters_messages_and_nested_paths(tmp_path: Path) -> None:
    from sim.scenario.paths import with_parameters

    s = load_scenario(write(tmp_path, MINIMAL))
    t = with_parameters(s, {"support.rung_cost": [0.1] * 6, "parameters.accord.activity": [1.0, 0.5, 0.0]})
    assert t.parameters.support.rung_cost == [0.1] * 6 and t.parameters.accord.activity == [1.0, 0.5, 0.0]
    # "--set" (the default) and then the path, whichever way the flag itself is shown
    for path in ("support.nope.deeper", "support.w_norm.x"):
        (msg,) = messages(with_parameters, s, {path: 1})
        assert msg.startswith("--set") and msg.endswith(f": parameters.{path}: no such parameter"), msg
    assert messages(with_parameters, s, {"nope": 1}, "calibration") == [
        "calibration: parameters.nope: no such parameter"]


def test_positions_of_an_extends_chain_keep_set_lines(tmp_path: Path) -> None:
    # a base field placed by --set in the base's own positions stays "--set ...", not "child extends base: --set"
    from sim.scenario.loading import load_raw as lr

    base = write(tmp_path, "name: b\nx: 1\n", "base.yaml")
    child = write(tmp_path, "extends: base.yaml\ny: 2\n", "child.yaml")
    _, pos = lr(child)
    assert pos[("x",)] == (f"{child} extends {base}: {base}", 2)
    assert pos[("extends",)] == (str(child), 1)


def test_errors_name_the_file_when_no_field_is_placed(tmp_path: Path) -> None:
    p = write(tmp_path, MINIMAL.replace("members: [AAA, BBB]", "members: [AAA, ZZZ]"))
    assert messages(load_scenario, p) == [f"{p}:10: blocs.club.members.1: 'ZZZ' is not a state of this scenario"]
    bad = write(tmp_path, "name: x\n3: y\n", "k.yaml")
    assert messages(read_yaml, bad) == [f"{bad}:2: 3: a field name must be text"]
    assert where({("a",): ("f", 2)}, (), "d") == "d"  # nothing encloses the top level
    assert where({(): ("f", 1)}, (), "d") == "f:1"


# --- field metadata ---------------------------------------------------------------------------------


def test_field_bounds_as_text() -> None:
    from pydantic import BaseModel

    from sim.scenario.fields import P, field_bounds

    class M(BaseModel):
        a: float = P(0.5, "u", "d", "assumption", ge=0, le=1)
        b: float = P(0.5, "u", "d", "assumption", gt=0, le=3)
        c: float = P(0.5, "u", "d", "assumption", ge=0)
        d: float = P(0.5, "u", "d", "assumption", gt=0.25)
        e: float = P(0.5, "u", "d", "assumption", le=2.5)
        f: float = P(0.5, "u", "d", "assumption", lt=1)
        g: float = P(0.5, "u", "d", "assumption", ge=0.66, lt=0.75)
        h: float = P(0.5, "u", "d", "assumption")

    got = {n: field_bounds(f) for n, f in M.model_fields.items()}
    assert got == {"a": "[0, 1]", "b": "(0, 3]", "c": ">= 0", "d": "> 0.25", "e": "<= 2.5", "f": "< 1",
                   "g": "[0.66, 0.75)", "h": ""}


def test_parameter_table_rows() -> None:
    from sim.scenario.fields import parameter_table
    from sim.scenario.parameters import CombatParams, ModelParams

    rows = {r["path"]: r for r in parameter_table(ModelParams)}
    bp = rows["combat.breakpoint"]
    field = CombatParams.model_fields["breakpoint"]  # (its default and source may be recalibrated)
    assert bp == {"path": "combat.breakpoint", "default": field.default, "unit": "share of initial force",
                  "source": field.json_schema_extra["x-source"], "bounds": "(0, 1)",
                  "description": "A side whose force falls below this share of its initial strength breaks"}
    assert rows["combat.max_weeks"]["bounds"] == ">= 1" and rows["combat.max_weeks"]["unit"] == "weeks"
    assert all(p.count(".") == 1 for p in rows)  # sections descended into, one level
    assert "coups.enabled" not in rows  # a switch, not a documented number


def test_number_fields_are_found_by_shape(monkeypatch) -> None:
    from sim.scenario import fields
    from sim.scenario.parameters import SupportParams
    from sim.scenario.spec import ArmedGroupSpec, EventSpec, StateSpec, TriggerSpec

    monkeypatch.setattr(fields, "_NUMERIC_CACHE", {})  # worked out afresh, not read from an earlier call
    state = fields._numeric_fields(StateSpec)
    assert state == {n: "scalar" for n in ("personnel", "quality", "ci_share", "stability", "democratic_norm",
                                           "coup_risk", "domestic_constraint", "trade_exposure", "leadership",
                                           "reputation", "pledge", "lon", "lat")} | {"stationed": "dict"}
    assert fields._numeric_fields(ArmedGroupSpec) == {"strength": "dict", "capacity": "dict", "lethality": "scalar"}
    assert fields._numeric_fields(SupportParams)["rung_cost"] == "list"
    assert fields._numeric_fields(TriggerSpec) == {}  # a list of events is not a list of numbers
    assert "value" not in fields._numeric_fields(EventSpec)  # a number or a text: either is a value
    assert set(fields._NUMERIC_CACHE) == {StateSpec, ArmedGroupSpec, SupportParams, TriggerSpec, EventSpec}


@pytest.mark.parametrize(("field", "value"), [
    ("personnel", "5"), ("personnel", True), ("stationed", {"AAA": "3"}), ("stationed", {"AAA": True})])
def test_a_number_field_takes_a_number(tmp_path: Path, field: str, value) -> None:
    base = {"name": "x", "start": "2020-01-01", "end": "2020-06-01", "states": {"AAA": {"name": "A"}}}
    base["states"]["AAA"][field] = value
    (msg,) = messages(scenario_from_dict, base)
    assert msg.startswith(f"<scenario>: states.AAA.{field}"), msg


def test_a_list_of_numbers_takes_numbers() -> None:
    base = {"name": "x", "start": "2020-01-01", "end": "2020-06-01", "states": {"AAA": {"name": "A"}},
            "parameters": {"support": {"war_risk": [0, 0, 0, 0.1, "0.5", True]}}}
    msgs = messages(scenario_from_dict, base)
    assert [m.split(":")[1].strip() for m in msgs] == ["parameters.support.war_risk.4",
                                                      "parameters.support.war_risk.5"]


def test_tags_and_numbers_the_format_does_not_read(tmp_path: Path) -> None:
    from sim.scenario.safeyaml import missing

    tail = "is not used by this format (write the value as text, a number, a list or a mapping)"
    assert messages(parse_text, "a: 1\nb: !!binary aGVsbG8=\n", "f") == [
        f"f:2: not valid YAML: the tag !!binary {tail}"]
    assert messages(parse_text, "a: !!set {x: null}\n", "f") == [f"f:1: not valid YAML: the tag !!set {tail}"]
    (msg,) = messages(parse_text, "a: " + "1" * 5000 + "\n", "f")
    assert msg.startswith("f:1: not valid YAML: a number of 5,000 digits (Exceeds the limit (4300 digits)")
    assert len(msg) == len("f:1: not valid YAML: ") + 120  # the reason cut at 120 characters
    assert parse_text("a: " + "1" * 4000 + "\n", "f")[0]["a"] == int("1" * 4000)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert missing(tmp_path / "none.yaml") == "no such file"
    assert missing(loop) == "cannot open (Too many levels of symbolic links)"
    assert missing(Path("a\0b")) == "not a file name (it holds a NUL character)"
    assert missing(tmp_path) is None
