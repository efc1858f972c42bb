"""The figure library draws from small stored tables, says what it shows, and writes the same bytes twice."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim import figures as F
from sim import geo
from sim.enums import Rung
from sim.figures import timelines as T
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "scenarios" / "niger_2023.yaml")


def _dates(n: int) -> list[str]:
    return [str(d.date()) for d in pd.date_range("2023-07-26", periods=n, freq="7D")]


@pytest.fixture(scope="module")
def timeline() -> pd.DataFrame:
    """Four runs, 10 weeks: ECOWAS's rung against Niger climbs to run_id (0..3) from week 2; personnel."""
    rows = []
    dates = _dates(10)
    for run in range(4):
        for w in range(10):
            if w >= 2:
                rows.append((run, w, dates[w], "rung", "ecowas", "NER", float(min(run + 1, 6))))
            for sid, base in (("MLI", 35000.0), ("BFA", 14000.0)):
                rows.append((run, w, dates[w], "personnel", sid, "", base - 100.0 * run))
    return pd.DataFrame(rows, columns=["run_id", "week", "date", "variable", "actor", "target", "value"])


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    """Run 0: coup in Niger, the AES states give notice to ECOWAS and leave; run 1: nothing."""
    ev = [
        (0, 1, "2023-08-02", "coup", "NER", "", "event:coup", "", "{}"),
        (0, 1, "2023-08-02", "declaration", "MLI,BFA", "NER", "declaration:d", "", "{}"),
        (0, 27, "2024-01-31", "exit_notice", "MLI,BFA", "ecowas", "ecowas_treaty.art91", "", "{}"),
        (0, 79, "2025-01-29", "exit", "MLI", "ecowas", "ecowas_treaty.art91", "", "{}"),
        (1, 1, "2023-08-02", "coup", "NER", "", "event:coup", "", "{}"),
    ]
    return pd.DataFrame(ev, columns=["run_id", "week", "date", "kind", "actor", "target", "clause", "text",
                                     "details"])


@pytest.fixture(scope="module")
def outcomes() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 120
    a = np.repeat([0.0, 0.5, 1.0], n // 3)
    b = np.tile([0.2, 0.8], n // 2)
    return pd.DataFrame({
        "run_id": np.arange(n),
        "scenario": np.where(np.arange(n) < 60, "charter", "no_charter"),
        "bind": a, "dom": b,
        "intervention": np.arange(n) % 4 == 0,  # exactly 1 in 4
        "max_escalation": rng.integers(0, 7, n),
        "war_weeks": rng.integers(0, 20, n),
    })


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(plt.Text)).replace("\n", " ")


# --- bytes ----------------------------------------------------------------------------------------


def test_same_tables_give_identical_png_and_svg_bytes(tmp_path, timeline, outcomes):
    def draw(d: Path) -> list[Path]:
        panels = [F.Panel((F.Series("rung", "ecowas", "NER", "ECOWAS", fill=0.0),), "rung", rungs=True)]
        out = F.save(F.timeline_panels(timeline, panels, "t", "cap"), d / "tl")
        out += F.save(F.outcome_heatmap(outcomes, "bind", "dom", "intervention", "h", "cap", xlabel="x",
                                        ylabel="y", value_label="P"), d / "hm")
        return out

    a, b = draw(tmp_path / "a"), draw(tmp_path / "b")
    assert [p.suffix for p in a] == [".png", ".svg", ".png", ".svg"]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    svg = a[1].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg  # no timestamp, no software stamp
    assert b"tIME" not in a[0].read_bytes()  # PNG has no time chunk


# --- timelines ------------------------------------------------------------------------------------


def test_timeline_bands_median_and_fill(timeline):
    fig, ax = plt.subplots()
    drawn = F.draw_timeline_bands(ax, timeline, [F.Series("rung", "ecowas", "NER", "E", fill=0.0)])
    assert drawn == ["E"]
    y = ax.get_lines()[0].get_ydata()
    # runs reach rungs 1,2,3,4 from week 2: median 2.5; before that every run is at 0 (fill)
    assert y[0] == 0.0 and y[1] == 0.0 and y[5] == pytest.approx(2.5)
    plt.close(fig)


def test_timeline_sums_actors_and_expands_star(timeline):
    m = T._series_matrix(timeline, F.Series("personnel", ("MLI", "BFA"), scale=0.001))
    assert m.loc[0, 0] == pytest.approx(49.0) and m.loc[0, 3] == pytest.approx(48.4)
    ex = T._expand(timeline, [F.Series("personnel", "*")])
    assert [s.actor for s in ex] == ["BFA", "MLI"]


def test_timeline_panels_labels_and_missing_variable(timeline):
    panels = [F.Panel((F.Series("rung", "ecowas", "NER", "ECOWAS → Niger", fill=0.0),), "escalation rung",
                      "A", rungs=True),
              F.Panel((F.Series("strength", "*"),), "fighters", "B")]
    fig = F.timeline_panels(timeline, panels, "Baseline", "scenario x; 4 runs; root seed 1")
    text = _texts(fig)
    assert "no such variable in the stored timeline" in text
    assert "scenario x; 4 runs; root seed 1" in text and Rung.STANDBY.label in text
    assert fig.axes[-1].get_xlabel() == "date (weekly steps)"
    plt.close(fig)


def test_series_from_dict_lists_become_tuples():
    s = F.Series.from_dict({"variable": "deployed", "actor": ["MLI", "BFA"], "scale": 0.001})
    assert s.actor == ("MLI", "BFA") and s.name == "deployed MLI+BFA"


# --- outcomes -------------------------------------------------------------------------------------


def test_outcome_probabilities_bars_and_wilson(outcomes):
    fig = F.outcome_probabilities(outcomes, {"intervention": "force", "max_escalation>=7": "never"}, "t", "c",
                                  group="scenario", order=["no_charter", "charter"])
    bars = [p for p in fig.axes[0].patches if p.get_width() > 0]
    assert [round(b.get_width(), 6) for b in bars] == [0.25, 0.25]  # the impossible test has width 0
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["no_charter", "charter"]
    plt.close(fig)
    lo, hi = F.wilson_interval(15, 60)
    assert lo < 0.25 < hi and F.wilson_interval(0, 10)[0] == 0.0


def test_heatmap_cells_are_shares_of_runs(outcomes):
    fig = F.outcome_heatmap(outcomes, "bind", "dom", "intervention", "h", "cap", xlabel="x (0-1)",
                            ylabel="y (0-1)", value_label="P(intervention)")
    grid = fig.axes[0].get_images()[0].get_array()
    want = outcomes.assign(i=outcomes["intervention"].astype(float)).pivot_table(
        index="dom", columns="bind", values="i", aggfunc="mean").to_numpy()
    np.testing.assert_allclose(np.asarray(grid), want)
    assert "runs per cell" in _texts(fig)
    plt.close(fig)


def test_heatmap_bins_many_levels(outcomes):
    df = outcomes.assign(bind=np.linspace(0, 1, len(outcomes)))
    fig = F.outcome_heatmap(df, "bind", "dom", "war_weeks", "h", "c", xlabel="x", ylabel="y", value_label="v",
                            stat="mean", bins=4)
    assert fig.axes[0].get_images()[0].get_array().shape == (2, 4)
    plt.close(fig)
    with pytest.raises(ValueError, match="stat"):
        F.outcome_heatmap(df, "bind", "dom", "war_weeks", "h", "c", xlabel="x", ylabel="y", value_label="v",
                          stat="mode")


def test_outcome_lines_one_line_per_hue(outcomes):
    fig = F.outcome_lines(outcomes, "bind", "intervention", "t", "c", hue="dom", xlabel="x", ylabel="P")
    # by hand: force in runs 0, 4, 8, ... (even, so all at dom = 0.2): in each bind block of 40 runs, 10 of the
    # 20 runs at dom 0.2 and none of the 20 at dom 0.8; each line flat over bind, with its Wilson band:
    # 10/20 -> 0.2993-0.7007, 0/20 -> 0-0.1611 (Newcombe 1998)
    levels = sorted(float(np.asarray(ln.get_ydata(), float)[0]) for ln in fig.axes[0].get_lines()
                    if len(ln.get_xdata()) == 3 and np.ptp(np.asarray(ln.get_ydata(), float)) == 0)
    assert levels == pytest.approx([0.0, 0.0, 0.1611, 0.2993, 0.5, 0.7007], abs=1e-4)
    assert len(fig.axes[0].get_legend().get_texts()) == 2
    plt.close(fig)


# --- sensitivity ----------------------------------------------------------------------------------


def test_sobol_bars_sorted_by_total_index():
    t = pd.DataFrame({"outcome": ["o"] * 3, "parameter": ["a", "b", "c"], "S1": [0.1, 0.3, 0.0],
                      "S1_conf": [0.01] * 3, "ST": [0.2, 0.6, 0.05], "ST_conf": [0.02] * 3})
    fig = F.sensitivity_bars(t, "t", "c", param_labels={"b": "B label"})
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert labels == ["c", "a", "B label"]  # largest ST on top (last tick)
    plt.close(fig)


def test_morris_bars_and_missing_columns():
    t = pd.DataFrame({"outcome": ["o", "o"], "parameter": ["a", "b"], "mu_star": [0.5, 0.1],
                      "mu_star_conf": [0.1, 0.05], "sigma": [0.2, 0.0]})
    fig = F.sensitivity_bars(t, "t", "c")
    widths = sorted(round(p.get_width(), 3) for p in fig.axes[0].patches)
    assert widths == [0.0, 0.1, 0.2, 0.5]
    plt.close(fig)
    with pytest.raises(ValueError, match="ST"):
        F.sensitivity_bars(t, "t", "c", method="sobol")


# --- membership, regimes, links, networks, maps ----------------------------------------------------


def test_membership_follows_notices_exits_and_suspension_rung(scenario, events, timeline):
    m = F.membership_at(scenario, events, timeline, "2024-06-01").set_index(["run_id", "bloc", "state"])
    assert m.loc[(0, "ecowas", "MLI"), "status"] == "leaving"
    assert m.loc[(0, "ecowas", "BFA"), "status"] == "leaving"  # a joint notice names both
    assert m.loc[(1, "ecowas", "MLI"), "status"] == "suspended"  # suspended since 2021 in the scenario
    assert m.loc[(1, "ecowas", "NGA"), "status"] == "member"
    # timeline: run 1 stands at rung 2 (suspension) against Niger, run 0 at rung 1
    assert m.loc[(1, "ecowas", "NER"), "status"] == "suspended"
    assert m.loc[(0, "ecowas", "NER"), "status"] == "member"
    later = F.membership_at(scenario, events, timeline, "2025-03-01").set_index(["run_id", "bloc", "state"])
    assert later.loc[(0, "ecowas", "MLI"), "status"] == "left"


def test_regimes_and_links(scenario, events, timeline):
    r = F.regimes_at(scenario, events, "2023-07-30").set_index(["run_id", "state"])["regime"]
    assert r.loc[(0, "NER")] == "civilian"
    r = F.regimes_at(scenario, events, "2023-08-05").set_index(["run_id", "state"])["regime"]
    assert r.loc[(0, "NER")] == "military" and r.loc[(1, "MLI")] == "military"
    before = F.links_at(scenario, events, timeline, "2023-09-01")
    after = F.links_at(scenario, events, timeline, "2023-10-01")
    md = after[(after["kind"] == "mutual_defence") & (after["ref"] == "liptako_gourma.art6")]
    assert set(zip(md[md["run_id"] == 1]["a"], md[md["run_id"] == 1]["b"], strict=True)) == {
        ("BFA", "MLI"), ("BFA", "NER"), ("MLI", "NER")}
    assert before[before["ref"] == "liptako_gourma.art6"].empty  # in force from 16 Sep 2023
    dec = after[after["kind"] == "declaration"]
    assert sorted(dec["a"]) == ["BFA", "MLI"] and set(dec["b"]) == {"NER"}


def test_network_and_maps_draw(scenario, events, timeline):
    fig = F.alliance_network(scenario, events, timeline, "2024-06-01", "Network", "cap",
                             blocs=["ecowas", "aes"])
    text = _texts(fig)
    assert "ECOWAS" in text and "NER" in text and "declared support" in text
    plt.close(fig)
    fig = F.map_network_panels(scenario, events, timeline, ["2023-08-09", "2025-03-01"], "M", "cap",
                               blocs=["ecowas", "aes"])
    assert len(fig.axes) == 4 and "membership (most common across runs)" in _texts(fig)
    plt.close(fig)
    fig = F.regime_map(scenario, events, "2023-09-01", "Regimes", "cap")
    assert "military" in _texts(fig)
    plt.close(fig)
    fig = F.rung_map(timeline, "ecowas", "2023-09-01", "Rung", "cap")
    assert "median rung of ecowas's response" in _texts(fig)
    plt.close(fig)


def test_outline_file_covers_the_region():
    o = geo.load_outlines()
    need = {"BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "NER", "NGA", "SEN", "SLE",
            "TGO", "TCD", "MRT", "DZA", "LBY", "CMR", "CAF", "SDN"}
    assert need <= set(o)
    ner = max(o["NER"], key=len)
    assert ner.shape[1] == 2 and 0 < ner[:, 0].mean() < 16 and 11 < ner[:, 1].mean() < 24
    assert (ROOT / "sim" / "data" / "west_africa.geojson").stat().st_size < 300_000
    feats = json.loads((ROOT / "sim" / "data" / "west_africa.geojson").read_text())["features"]
    assert [f["properties"]["iso3"] for f in feats] == sorted(f["properties"]["iso3"] for f in feats)


def test_geo_draw_map_colours_and_rejects_unknown_category():
    fig, ax = plt.subplots()
    sm = geo.draw_map(ax, {"NER": 6.0, "MLI": 0.0})
    assert sm.norm.vmin == 0.0 and sm.norm.vmax == 6.0
    with pytest.raises(ValueError, match="no colour"):
        geo.draw_map_categories(ax, {"NER": "military"}, {"civilian": "blue"})
    plt.close(fig)
