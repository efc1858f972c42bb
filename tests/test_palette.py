"""One palette: the figures and the page draw regimes, blocs and rungs in the same colours."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from sim import palette as P
from sim.enums import Regime, Rung

HEX = re.compile(r"^#[0-9a-f]{6}$")


def test_every_colour_is_a_hex_string_svg_and_matplotlib_both_read() -> None:
    colours = [*P.REGIME_COLORS.values(), *P.BLOC_COLORS.values(), *P.BLOC_FALLBACK, *P.COMBINATION_COLORS,
               *P.RUNG_COLORS, *P.SERIES_COLORS, P.MUTUAL_DEFENCE_COLOR, P.DECLARATION_COLOR, P.WAR_COLOR,
               P.SEA, P.LAND, *P.POSTURE_COLORS.values(), *P.FEED_COLORS.values(), P.FEED_DEFAULT]
    assert all(HEX.match(c) for c in colours), [c for c in colours if not HEX.match(c)]


def test_the_palette_covers_every_regime_and_rung() -> None:
    assert set(P.REGIME_COLORS) == {r.value for r in Regime}
    assert len(P.RUNG_COLORS) == len(Rung)


def test_rung_colours_are_the_figures_colour_map() -> None:
    cmap = plt.get_cmap(P.RUNG_CMAP, len(Rung))
    assert [to_hex(cmap(i)) for i in range(len(Rung))] == list(P.RUNG_COLORS)


def test_series_colours_are_matplotlibs_default_cycle() -> None:
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [to_hex(c) for c in cycle] == list(P.SERIES_COLORS)
    assert to_hex("C3") == P.SERIES_COLORS[3]


def test_bloc_colours_are_fixed_and_fall_back_in_sorted_order() -> None:
    c = P.bloc_colors(["zeta", "ecowas", "alpha", "aes"])
    assert c["ecowas"] == P.BLOC_COLORS["ecowas"] and c["aes"] == P.BLOC_COLORS["aes"]
    assert (c["alpha"], c["zeta"]) == P.BLOC_FALLBACK[:2]
    assert P.bloc_colors(["ecowas"])["ecowas"] == c["ecowas"]  # independent of the other blocs


def test_lighten_mixes_with_white() -> None:
    assert P.lighten("#000000", 0.0) == (0.0, 0.0, 0.0)
    assert P.lighten("#000000", 1.0) == (1.0, 1.0, 1.0)
    assert P.lighten("#ff0000", 0.5) == (1.0, 0.5, 0.5)


def test_land_is_matplotlibs_grey_the_maps_use() -> None:
    assert to_hex("0.9") == P.LAND
