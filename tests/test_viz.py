"""The instructor's page: lessons, switches, panels, and the page itself rendered with ``solara.render``."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
import yaml

from sim.enums import Rung
from sim.palette import FEED_COLORS, OKABE_ITO, PAGE_COLORS, POSTURE_COLORS, RUNG_COLORS
from sim.scenario import load_scenario
from sim.viz import components as C
from sim.viz import feed as F
from sim.viz import odds as O
from sim.viz.app import Classroom, lesson_titles
from sim.viz.classroom import ClassroomModel
from sim.viz.export import events_csv, export_name
from sim.viz.forces_svg import forces_svg
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
from sim.viz.map_svg import region_view, render_map
from sim.viz.network_svg import render_network
from sim.viz.text_panels import RUNG_SHORT, glossary_html, ladder_html

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
    assert applied.changed and "2 scheduled withdrawals" in applied.changed[0]
    assert "fr_out" not in applied.changed[0]  # no internal ids on the page


def test_classroom_model_takes_the_pages_labels() -> None:
    titles = lesson_titles()
    assert titles == [e.title for e in list_lessons() if e.lesson is not None]  # titles, no file names
    assert not any(".yaml" in t or t.startswith("Scenario:") for t in titles)
    m = ClassroomModel(lesson=titles[0], charter=False,
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
    out = ladder_html(sig)
    assert out.count('class="liptako-rung"') == 2
    assert 'data-rung="2"' in out and "ended week 9" in out
    # filled up to the rung held now: ECOWAS's condemn and suspend cells, nothing for the AU
    assert [out.count(f"background:{c}") for c in RUNG_COLORS[1:4]] == [1, 1, 0]
    assert out.count("3px solid #222") == 4 + 1  # outlines up to the highest rung reached
    assert "table-layout:fixed" in out and all(f">{w}</th>" in out for w in RUNG_SHORT[1:])
    assert "No bloc" in ladder_html(())


def test_glossary_explains_every_rung_and_each_actor() -> None:
    out = glossary_html([("aes", "Alliance of Sahel States", "a bloc"), ("xyz", "Somebody", "an armed group")])
    assert out.startswith('<details class="liptako-glossary">')  # folded: one click opens it
    assert all(f"<b>{w}</b>" in out for w in RUNG_SHORT[1:])
    assert "Liptako-Gourma Charter" in out and "Somebody</b>: an armed group" in out


def test_feed_is_newest_first_escaped_and_dated() -> None:
    rows = [(w, f"2023-08-0{w}", "rung_up", "ecowas", "NER", f"rule:r{w}", f"Week {w}, 2023-08-0{w}: <b>step</b> {w}.",
             {}) for w in range(1, 4)]
    entries = F.feed_entries(rows, {})
    out = F.feed_html(entries, {}, "#000")
    assert out.index("3 August 2023") < out.index("1 August 2023")
    assert "<b>" not in out and "&lt;b&gt;" in out and "Week 1," not in out
    assert out.count('class="liptako-event"') == 3 and "3 events so far" in out
    assert F.feed_html(entries * 40, {}, "#000", limit=10).count('class="liptako-event"') == 10


def test_clause_tags_are_short_and_readable() -> None:
    treaties = load_scenario(scenarios_dir() / "niger_2023.yaml").treaties
    tag = F.clause_tag
    assert tag("ecowas_democracy.art45/rule:qualified_majority", treaties) == \
        "ECOWAS 2001 Protocol, Art. 45 — qualified majority"
    assert tag("liptako_gourma.art6", treaties) == "Liptako-Gourma Charter, Art. 6"
    assert tag("rule:presence", treaties) == "Model rule — foreign forces need the host's consent"
    assert tag("event:coup_niger", treaties) == "scheduled event (history)"
    assert tag("bloc:aes", treaties) == "founding of a bloc"


def test_plain_sentence_moves_numbers_and_sources_out_of_the_sentence() -> None:
    treaties = load_scenario(scenarios_dir() / "niger_2023.yaml").treaties
    s, nums, note = F.plain_sentence("Week 2, 2023-08-09: Nigeria: domestic_constraint changes from 0.3 to 0.8. "
                                     "Nigeria's Senate urges diplomacy (FACTS §2 [DPOST]); 0.8 is an assumption.",
                                     treaties)
    assert s == "Nigeria's domestic constraint on war changes from 0.3 to 0.8."
    assert "FACTS" in note and nums == []
    s, nums, _ = F.plain_sentence("Week 1, 2023-08-02: ECOWAS moves to condemnation against Niger (11 yes, 0 no, "
                                  "0 abstain).", treaties)
    assert s == "ECOWAS moves to condemnation against Niger." and nums == ["11 yes, 0 no, 0 abstain"]
    s, _, _ = F.plain_sentence("Week 5, 2023-08-30: The last troops of United States leave Niger; it takes effect "
                               "in 0 weeks.", treaties)
    assert s == "The last troops of the United States leave Niger; it takes effect at once."
    s, _, _ = F.plain_sentence("Week 8, 2023-09-20: Mali honours liptako_gourma.art6 against terrorism.", treaties)
    assert s == "Mali honours Liptako-Gourma Charter, Art. 6 against terrorism."


@pytest.mark.parametrize("lesson", [p.stem for p in LESSON_FILES])
def test_feed_shows_no_internal_ids_after_a_year(lesson: str) -> None:
    m = ClassroomModel(lesson=lesson, seed=3)
    for _ in range(52):
        m.step()
    entries = C.feed_rows(m)
    assert len(entries) == len(m.world.log.rows) > 3
    shown = " ".join(f"{e.date} {e.sentence} {e.tag}" for e in entries)
    leaks = re.findall(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+:[a-z_]+|FACTS|§|\.yaml|assumption|in 0 weeks", shown)
    assert leaks == []
    assert all(re.match(r"\d{1,2} [A-Z][a-z]+ \d{4}$", e.date) for e in entries)
    assert all(e.sentence.endswith(".") and e.sentence[0].isupper() for e in entries)
    csv = events_csv(m).splitlines()
    assert csv[0] == "week,date,what happened,clause or rule,numbers,source note" and len(csv) == len(entries) + 1
    assert export_name(m, "csv") == f"{lesson.split('_', 1)[1]}_seed3_week52.csv"


def test_map_and_network_are_svg_cached_by_signature() -> None:
    m = ClassroomModel(seed=7)
    for _ in range(3):
        m.step()
    C.clear_figure_cache()
    view = C.map_view(m)
    svg_map = render_map(C.map_signature(m.world), view)
    assert svg_map.startswith('<svg class="liptako-map"') and svg_map.endswith("</svg>")
    assert 'data-state="NER" data-posture="target"' in svg_map  # Niger hatched as the target
    assert 'data-state="MLI" data-posture="defending"' in svg_map
    assert svg_map.count("<path d=") > len(m.world.states)  # every country of the outline file is drawn
    assert ">Niger</text>" in svg_map and ">Nigeria</text>" in svg_map  # country names, not codes
    for entry in ("imposing sanctions", "promised to defend the target", "military government", "not in the lesson"):
        assert entry in svg_map  # every legend entry, drawn or not
    net = render_network(C.network_signature(m.world))
    assert net.count("<circle") == len(m.world.states) + 1 and ">Burkina</text>" in net  # + the legend's
    assert net.count('class="legend"') == 5 and "legend-note" in net
    assert net.count('class="promise"') == 2 and net.count('class="measure"') >= 1  # MLI, BFA -> NER
    assert render_map(C.map_signature(m.world), view) is svg_map  # same state, same picture, not redrawn
    assert render_map.cache_info().hits == 1


def test_the_map_zooms_to_the_lessons_region() -> None:
    gambia = ClassroomModel(lesson="03_gambia_2017", seed=1)
    lon0, lon1, lat0, lat1 = C.map_view(gambia)
    assert C.lesson_states(gambia.spec)[0] == "GMB"
    assert lon0 < -16.8 and lon1 > -13.8 and lat0 < 13.0 and lat1 > 13.8  # The Gambia inside
    assert lon1 - lon0 <= 14 and lat1 - lat0 <= 10  # and large: not all West Africa
    niger = C.map_view(ClassroomModel(seed=7))
    assert niger[0] < -12 and niger[1] > 14  # Mali to Nigeria
    assert region_view([]) == (-25.5, 25.0, 3.0, 26.5)


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
    svg = forces_svg(sig)
    assert svg.startswith("<svg") and svg.count("<polyline") == 4
    assert "France &lt;Barkhane&gt; in the region" in svg and "Mali abroad" in svg
    assert ">5<" in svg  # axis top: 2.6 thousand rounds up to 5
    empty = forces_svg((52, (), (), (), ()))
    assert empty.count("<polyline") == 0 and "No armed groups in this scenario." in empty


# --- the page -------------------------------------------------------------------------------------------


def _render() -> tuple[object, object]:
    return solara.render(Classroom(in_sidebar=False), handle_error=False)


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
    for label in ("Reset", "Play", "Step", "Run 200 runs"):
        rc.find(v.Btn, children=[label]).assert_single()  # type: ignore[attr-defined]
    rc.find(v.Select, label="Speed").assert_single()  # type: ignore[attr-defined]
    rc.find(v.Select, label="Compare with").assert_single()  # type: ignore[attr-defined]
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
    feed = _html(rc, "liptako-feed")
    assert "scheduled event (history)" in feed and "event:coup_niger" not in feed  # readable tag, no id
    assert "ECOWAS 2001 Protocol, Art. 45 — qualified majority" in feed
    assert "2 August 2023" in feed and "<details" in feed  # dated; the numbers one click away
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
    # one short label and one colour per rung, in the ladder's order (0 none .. 6 force)
    assert len(RUNG_SHORT) == len(RUNG_COLORS) == len(Rung)
    assert RUNG_SHORT == ["none", "condemn", "suspend", "sanctions", "ultimatum", "standby force", "force"]
    for r in Rung:  # each short label names its rung (the first word of the rung's name or label)
        words = RUNG_SHORT[r].split()
        assert words[0] in (r.name.lower(), r.label.split()[0], "force" if r is Rung.INTERVENTION else ""), r


def test_page_colours_are_colour_blind_safe() -> None:
    # categorical colours of the page: Okabe and Ito's set (or greys), which viewers with any common
    # colour-vision deficiency tell apart; the ladder is a one-hue ramp (light to dark) read by lightness
    safe = set(OKABE_ITO.values())
    assert {POSTURE_COLORS[k] for k in ("target", "intervening", "defending")} <= safe
    assert {PAGE_COLORS["odds_a"], PAGE_COLORS["odds_b"]} <= safe
    for kind in ("assist", "intervention", "rung_down", "declaration"):
        assert FEED_COLORS[kind] in safe

    def lightness(c: str) -> float:
        r, g, b = (int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    assert all(lightness(a) > lightness(b) for a, b in itertools.pairwise(RUNG_COLORS))


def test_odds_count_rungs_and_force_with_wilson_intervals() -> None:
    a, b = O.compare(NIGER, Switches(), 5, "without the charter", runs=4)
    assert a.runs == b.runs == 4 and a.label == "as set on the page" and b.label == "without the charter"
    assert list(a.reached) == sorted(a.reached, reverse=True) and a.reached[0] <= 4
    p, lo, hi = a.interval(a.force)
    assert lo <= p <= hi and 0 <= lo and hi <= 1
    out = O.odds_html(a, b, "ECOWAS", "Niger")
    assert out.count("95%:") == 14 and "used force" in out and "(4 runs)" in out
    odd = O.Odds("x", 100, (100, 90, 50, 20, 5, 0), 0)
    assert odd.interval(0) == (0.0, 0.0, pytest.approx(0.037, abs=1e-3))  # Wilson: not (0, 0)
    assert set(O.COMPARISONS) >= {"without the charter", "France stays"}


def test_serve_refuses_a_bad_or_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from sim.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert re.search(r"between 0 and 65,?535", capsys.readouterr().err)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        assert main(["serve", "--port", str(busy)]) == 2
    assert f"cannot listen on 127.0.0.1:{busy}" in capsys.readouterr().err
