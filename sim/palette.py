"""The colours of Liptako: one palette for the paper figures (:mod:`sim.figures`) and the instructor's
page (:mod:`sim.viz`), so that a regime, a bloc or a rung looks the same on paper and on the projector.

Colours are hex strings (matplotlib and SVG read them alike). The figures are locked by sha256
(``experiments/*.lock.json``), so these are the figures' colours; the page adopted them. Colours that
only the page uses (postures, the event feed) are here too, so that every colour has one home.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "BLOC_COLORS",
    "BLOC_FALLBACK",
    "COMBINATION_COLORS",
    "DECLARATION_COLOR",
    "FEED_COLORS",
    "FEED_DEFAULT",
    "LAND",
    "MUTUAL_DEFENCE_COLOR",
    "OKABE_ITO",
    "PAGE_COLORS",
    "POSTURE_COLORS",
    "REGIME_COLORS",
    "RUNG_CMAP",
    "RUNG_COLORS",
    "SEA",
    "SERIES_COLORS",
    "WAR_COLOR",
    "bloc_colors",
    "lighten",
]

# Each state's regime (keys: sim.enums.Regime values).
REGIME_COLORS = {"civilian": "#9ecae1", "transitional": "#fdd49e", "military": "#a6761d"}

# Blocs keep one colour in every figure and on the page; other blocs take the fallback colours in turn.
BLOC_COLORS = {"ecowas": "#59a14f", "aes": "#4e79a7", "au": "#b07aa1", "g5": "#f28e2b", "g5_sahel": "#f28e2b"}
BLOC_FALLBACK = ("#e15759", "#76b7b2", "#edc948", "#9c755f", "#bab0ac", "#ff9da7")
# A state in several blocs at once, on a membership map: one colour per combination, in turn.
COMBINATION_COLORS = ("#e15759", "#f1ce63", "#b6992d", "#ff9d9a", "#9c755f", "#86bcb6")

# The escalation ladder, rung 0 (none) to 6 (force): matplotlib's "OrRd" colour map in len(Rung) steps
# (the figures draw with the map by name; tests/test_palette.py checks the two agree).
RUNG_CMAP = "OrRd"
RUNG_COLORS = ("#fff7ec", "#fee1ba", "#fdc38d", "#fc8d59", "#e7533a", "#bf100a", "#7f0000")

# Lines of several series: matplotlib's default cycle "C0".."C9" (tab10), which the figures draw with.
SERIES_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf")

# Links between states in alliance networks.
MUTUAL_DEFENCE_COLOR = "#b2182b"  # a collective-defence clause in force between two parties
DECLARATION_COLOR = "#b2182b"  # a declared (or promised) defence of a state
WAR_COLOR = "#000000"  # an attacker fighting its target

# Map ground: the sea, and land outside the states drawn.
SEA = "#e8f1f8"
LAND = "#e6e6e6"  # matplotlib's grey "0.9"

# The page only: colours safe for colour-blind viewers (Okabe & Ito 2008, "Color Universal Design"):
# orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black.
OKABE_ITO = {"orange": "#e69f00", "sky_blue": "#56b4e9", "bluish_green": "#009e73", "yellow": "#f0e442",
             "blue": "#0072b2", "vermillion": "#d55e00", "reddish_purple": "#cc79a7", "black": "#000000"}
# The page only: a state's posture in the crises of the moment (edge and hatching of the map); hatching
# tells them apart as well as colour.
POSTURE_COLORS = {"target": OKABE_ITO["vermillion"], "intervening": OKABE_ITO["blue"],
                  "defending": OKABE_ITO["reddish_purple"], "sanctioning": "#404040"}
# The page only: the two settings of the "odds across many runs" panel, and the page's accents.
PAGE_COLORS = {"odds_a": OKABE_ITO["blue"], "odds_b": OKABE_ITO["orange"], "link": "#0b5394",
               "muted": "#555555"}
# The page only: the left border of each event in the feed, by log kind (sim.enums.LogKind values).
FEED_COLORS = {
    "coup": "#8c2d04", "refusal_to_cede_power": "#8c2d04", "crisis": RUNG_COLORS[5], "rung_up": RUNG_COLORS[4],
    "rung_down": OKABE_ITO["sky_blue"], "vote_fail": "#969696", "launch_withheld": OKABE_ITO["reddish_purple"],
    "intervention": OKABE_ITO["vermillion"], "assist": OKABE_ITO["bluish_green"], "abandon": "#525252",
    "war_end": OKABE_ITO["vermillion"], "declaration": OKABE_ITO["reddish_purple"],
    "exit_notice": OKABE_ITO["blue"], "exit": OKABE_ITO["blue"], "dissolution": OKABE_ITO["blue"],
    "in_force": OKABE_ITO["bluish_green"],
}
FEED_DEFAULT = "#737373"


def bloc_colors(blocs: Iterable[str]) -> dict[str, str]:
    """A fixed colour per bloc id: the house colours, then the fallback colours in sorted order."""
    out, k = {}, 0
    for b in sorted(blocs):
        if b in BLOC_COLORS:
            out[b] = BLOC_COLORS[b]
        else:
            out[b] = BLOC_FALLBACK[k % len(BLOC_FALLBACK)]
            k += 1
    return out


def lighten(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` mixed with white: 0 keeps it, 1 is white (RGB floats in [0, 1])."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)
