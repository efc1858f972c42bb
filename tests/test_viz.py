"""The instructor's page: lessons, switches, panels, and the page itself rendered with ``solara.render``."""

from __future__ import annotations

import re
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
import yaml

from sim.enums import Rung
from sim.scenario import load_scenario
from sim.viz import components as C
from sim.viz.app import Page, model_params
from sim.viz.classroom import ClassroomModel
from sim.viz.lessons import (
    ART6_CHOICES,
    AS_IN_LESSON,
    NIGERIA_CHOICES,
    Switches,
    apply_switches,
    build,
    list_lessons,
    scenarios_dir,
)

LESSON_FILES = sorted((scenarios_dir() / "lessons").glob("*.yaml"))
NIGER = "01_niger_2023_charter"


# --- lessons ----------------------------------------------------------------------------------------


def test_the_required_lessons_exist_and_come_first_in_the_picker() -> None:
    entries = list_lessons()
    lessons = [e for e in entries if e.lesson is not None]
    assert len(lessons) >= 3
    assert entries[: len(lessons)] == lessons  # lessons before plain scenarios
    extended = {yaml.safe_load(e.path.read_text())["extends"] for e in lessons}
    assert {"../niger_2023.yaml", "../no_charter.yaml", "../gambia_2017.yaml"} <= extended
    assert len({e.title for e in entries}) == len(entries)  # titles pick one entry each
    assert any(load_scenario(e.path).armed_groups for e in lessons)  # a rebellion-and-insurgency lesson


@pytest.mark.parametrize("path", LESSON_FILES, ids=[p.stem for p in LESSON_FILES])
def test_each_lesson_loads_and_teaches(path: Path) -> None:
    raw = yaml.safe_load(path.read_text())
    assert (path.parent / raw["extends"]).resolve().parent == scenarios_dir().resolve()
    s = load_scenario(path)
    assert s.lesson is not None and len(s.lesson.text) > 200 and len(s.lesson.questions) >= 2
    base = load_scenario(path.parent / raw["extends"])
    assert s.states == base.states and s.events == base.events  # a lesson adds text, not a new history


def test_charter_switch_drops_the_treaty_and_the_declaration() -> None:
    on, _, applied_on = build(NIGER)
    off, _, applied_off = build(NIGER, Switches(charter=False))
    assert "liptako_gourma" in on.treaties and "declaration_mli_bfa" in on.events
    assert "liptako_gourma" not in off.treaties and "declaration_mli_bfa" not in off.events
    assert set(on.treaties) - set(off.treaties) == {"liptako_gourma"}
    assert applied_on.changed == [] and len(applied_off.changed) == 1


def test_art6_and_nigeria_switches_set_their_fields() -> None:
    s, _, applied = build(NIGER, Switches(art6_bindingness=0.3, nigeria_constraint=0.0))
    assert s.treaties["liptako_gourma"].clauses["art6"].bindingness == 0.3
    assert s.states["NGA"].domestic_constraint == 0.0
    assert s.events["nigeria_senate"].value == 0.0
    assert len(applied.changed) == 2 and applied.no_effect == []


def test_a_switch_without_hold_changes_nothing_and_says_so() -> None:
    base, _, _ = build("03_gambia_2017")
    s, _, applied = build("03_gambia_2017", Switches(charter=False, art6_bindingness=0.0, france_stays=True))
    assert s.model_dump() == base.model_dump()
    assert len(applied.no_effect) == 3 and applied.changed == []


def test_france_stays_drops_only_frances_withdrawals_and_revocations() -> None:
    raw = {
        "events": {
            "fr_out": {"kind": "withdrawal", "actor": "france", "target": "NER"},
            "fr_consent": {"kind": "consent_revocation", "actor": "NER", "target": "france"},
            "un_out": {"kind": "withdrawal", "actor": "minusma", "target": "MLI"},
            "fr_in": {"kind": "deploy", "actor": "france", "target": "TCD"},
            "coup": {"kind": "coup", "actor": "NER"},
        },
        "external_powers": {"france": {"name": "France", "revocable": True}},
    }
    out, applied = apply_switches(raw, Switches(france_stays=True))
    assert set(out["events"]) == {"un_out", "fr_in", "coup"}
    assert out["external_powers"]["france"]["revocable"] is False
    assert set(raw["events"]) == {"fr_out", "fr_consent", "un_out", "fr_in", "coup"}  # input untouched
    assert applied.changed and "fr_out" in applied.changed[0]


def test_classroom_model_takes_the_pages_labels() -> None:
    params = model_params()
    assert set(params) == {"lesson", "charter", "art6", "nigeria", "france_stays", "seed"}
    m = ClassroomModel(lesson=params["lesson"]["values"][0], charter=False,
                       nigeria=list(NIGERIA_CHOICES)[1], art6=AS_IN_LESSON, seed=3)
    assert "liptako_gourma" not in m.spec.treaties
    assert m.spec.states["NGA"].domestic_constraint == NIGERIA_CHOICES[list(NIGERIA_CHOICES)[1]]
    assert m.seed == 3
    with pytest.raises(ValueError, match="unknown choice"):
        ClassroomModel(art6="very binding")
    assert set(ART6_CHOICES.values()) - {None} <= {0.0, 0.3, 0.6, 1.0}


def test_same_lesson_and_seed_repeat_exactly() -> None:
    a, b = ClassroomModel(seed=11), ClassroomModel(seed=11)
    for _ in range(12):
        a.step()
        b.step()
    assert a.world.log.rows == b.world.log.rows and len(a.world.log.rows) > 5


def test_play_stops_at_the_scenarios_end() -> None:
    m = ClassroomModel(lesson="03_gambia_2017", seed=1)
    while m.running:
        m.step()
    assert m.world.week == m.world.n_weeks
    m.step()
    assert m.world.week == m.world.n_weeks and not m.running


# --- panels -------------------------------------------------------------------------------------------


def test_postures_after_the_coup() -> None:
    m = ClassroomModel(seed=7)
    assert C.postures(m.world) == {}
    m.step()  # week 1: the coup, ECOWAS condemns, Mali and Burkina Faso declare for Niger
    p = C.postures(m.world)
    assert p["NER"] == "target"
    assert p["MLI"] == p["BFA"] == "defending"
    m2 = ClassroomModel(seed=7, charter=False)
    m2.step()
    assert "MLI" not in C.postures(m2.world) and "BFA" not in C.postures(m2.world)


def test_ladder_table_shows_rung_now_and_highest() -> None:
    sig = (("ECOWAS", "Niger", 2, 4, None), ("African Union", "Niger", 0, 1, 9))
    out = C.ladder_html(sig)
    assert out.count('class="liptako-rung"') == 2
    assert 'data-rung="2"' in out and "ended week 9" in out
    # filled up to the rung held now: ECOWAS's condemn and suspend cells, nothing for the AU
    assert [out.count(c) for c in C.RUNG_COLORS[1:4]] == [1, 1, 0]
    assert out.count("2px solid #333") == 4 + 1  # outlines up to the highest rung reached
    assert "No bloc" in C.ladder_html(())


def test_feed_is_newest_first_escaped_and_names_the_clause() -> None:
    rows = [(w, f"2023-08-0{w}", "rung_up", "ecowas", "NER", f"clause.{w}", f"Week {w}: <b>step</b>", "{}")
            for w in range(1, 4)]
    out = C.feed_html(rows)
    assert out.index("clause.3") < out.index("clause.1")
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert out.count('class="liptako-event"') == 3 and "3 events so far" in out
    assert C.feed_html(rows * 40, limit=10).count('class="liptako-event"') == 10


def test_map_and_network_are_svg_cached_by_signature() -> None:
    m = ClassroomModel(seed=7)
    for _ in range(3):
        m.step()
    C.clear_figure_cache()
    svg_map = C.render_map(C.map_signature(m.world))
    assert svg_map.startswith('<svg class="liptako-map"') and svg_map.endswith("</svg>")
    assert 'data-state="NER" data-posture="target"' in svg_map  # Niger hatched as the target
    assert 'data-state="MLI" data-posture="defending"' in svg_map
    assert svg_map.count("<path d=") > len(m.world.states)  # every country of the outline file is drawn
    net = C.render_network(C.network_signature(m.world))
    assert net.count("<circle") == len(m.world.states)
    assert net.count('class="promise"') == 2 and net.count('class="measure"') >= 1  # MLI, BFA -> NER
    assert C.render_map(C.map_signature(m.world)) is svg_map  # same state, same picture, not redrawn
    assert C.render_map.cache_info().hits == 1


def test_forces_series_follow_the_timeline() -> None:
    m = ClassroomModel(seed=7)
    assert C.forces_signature(m)[1] == ()  # nobody abroad at the start
    for _ in range(2):
        m.step()
    sent = m.world.states["SEN"].deploy(1000.0)  # as an intervention would
    assert sent == 1000.0
    for _ in range(2):
        m.step()
    x_max, deployed, *_rest = C.forces_signature(m)
    assert x_max == 26  # the week axis starts at half a year and grows a quarter at a time
    m2 = ClassroomModel(lesson="03_gambia_2017", seed=1)
    for _ in range(30):
        m2.step()
    assert C.forces_signature(m2)[0] == 39 and m2.world.n_weeks == 52
    assert [name for name, _ in deployed] == ["Senegal"]
    assert deployed[0][1] == ((0, 0.0), (1, 0.0), (2, 0.0), (3, 1000.0), (4, 1000.0))


def test_forces_chart_draws_one_line_per_series() -> None:
    pts = ((0, 0.0), (1, 500.0), (2, 2600.0))
    sig = (52, (("Mali", pts),), (("France <Barkhane>", pts),), (), (("JNIM", pts), ("IS Sahel", pts)))
    svg = C.forces_svg(sig)
    assert svg.startswith("<svg") and svg.count("<polyline") == 4
    assert "France &lt;Barkhane&gt; in the region" in svg and "Mali abroad" in svg
    assert ">5<" in svg  # axis top: 2.6 thousand rounds up to 5
    empty = C.forces_svg((52, (), (), (), ()))
    assert empty.count("<polyline") == 0 and "No armed groups in this scenario." in empty


# --- the page -------------------------------------------------------------------------------------------


def _render() -> tuple[object, object]:
    return solara.render(solara.AppLayout(children=[Page()]), handle_error=False)


def _html(rc: object, css_class: str) -> str:
    found = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets  # type: ignore[attr-defined]
             if css_class in w.unsafe_innerHTML or css_class in str(w.attributes.get("class", ""))]
    assert len(found) == 1, css_class
    return found[0]


def _week(rc: object) -> int:
    m = re.search(r'liptako-clock[^>]*>Week (\d+)', _html(rc, "liptako-clock"))
    assert m is not None
    return int(m.group(1))


def _events(rc: object) -> int:
    m = re.search(r"(\d+) events so far", _html(rc, "liptako-feed"))
    assert m is not None
    return int(m.group(1))


def _click(rc: object, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()  # type: ignore[attr-defined]


def test_page_renders_with_controls_and_every_panel() -> None:
    _box, rc = _render()
    for label in ("Reset", "▶", "Step"):
        rc.find(v.Btn, children=[label]).assert_single()  # type: ignore[attr-defined]
    lesson = _html(rc, "liptako-clock")
    assert _week(rc) == 0 and "26 July 2023" in lesson and list_lessons()[0].title in lesson
    assert _events(rc) == 0
    assert "No bloc has responded" in _html(rc, "liptako-ladder")
    assert "<svg" in _html(rc, "liptako-map") and "<svg" in _html(rc, "liptako-network")
    assert "<svg" in _html(rc, "liptako-forces") and "No armed groups" not in _html(rc, "liptako-forces")


def test_step_advances_the_week_and_the_feed_grows() -> None:
    _box, rc = _render()
    _click(rc, "Step")
    assert _week(rc) == 1
    after_one = _events(rc)
    assert after_one >= 3  # the coup, the crises it opens, the declaration
    assert "Soldiers seize power in a coup in Niger" in _html(rc, "liptako-feed")
    assert "event:coup_niger" in _html(rc, "liptako-feed")  # the rule or clause behind it
    for _ in range(3):
        _click(rc, "Step")
    assert _week(rc) == 4
    assert _events(rc) > after_one
    assert "liptako-rung" in _html(rc, "liptako-ladder")


def test_switches_and_picker_apply_on_reset() -> None:
    _box, rc = _render()
    _click(rc, "Step")
    charter_label = "Liptako-Gourma Charter and the 31 July declaration"
    rc.find(v.Checkbox, label=charter_label).widget.v_model = False  # type: ignore[attr-defined]
    nigeria = rc.find(v.Select, label="Nigeria's domestic constraint on war")  # type: ignore[attr-defined]
    nigeria.widget.v_model = list(NIGERIA_CHOICES)[1]
    assert _week(rc) == 1  # nothing changes before Reset
    _click(rc, "Reset")
    lesson = _html(rc, "liptako-clock")
    assert _week(rc) == 0
    assert "Charter off: the Liptako-Gourma Charter and the 31 July declaration are removed." in lesson
    assert "domestic constraint on war set to 0.0" in lesson
    _click(rc, "Step")
    feed = _html(rc, "liptako-feed")
    assert "Soldiers seize power" in feed and "declaration:declaration_mli_bfa" not in feed

    gambia = next(e for e in list_lessons() if e.path.stem == "03_gambia_2017")
    rc.find(v.Select, label="Lesson").widget.v_model = gambia.title  # type: ignore[attr-defined]
    _click(rc, "Reset")
    lesson = _html(rc, "liptako-clock")
    assert gambia.title in lesson and "9 December 2016" in lesson
    assert "no charter to remove" in lesson


def test_rung_labels_match_the_ladder() -> None:
    assert len(C.RUNG_SHORT) == len(C.RUNG_COLORS) == len(Rung)


def test_serve_refuses_a_bad_or_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from sim.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "between 0 and 65535" in capsys.readouterr().err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        assert main(["serve", "--port", str(busy)]) == 2
    assert f"cannot listen on 127.0.0.1:{busy}" in capsys.readouterr().err
