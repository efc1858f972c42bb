"""History matching (sim.history.matching) against implausibilities worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.history.matching import V_FORCE, V_RUNG, identification, implausibility, kept

OBS = pd.DataFrame([
    {"episode": "a", "observed_rung": 2, "observed_force": False, "rung_sourced": True, "force_sourced": True},
    {"episode": "b", "observed_rung": 5, "observed_force": False, "rung_sourced": True, "force_sourced": True},
    {"episode": "c", "observed_rung": 6, "observed_force": True, "rung_sourced": False, "force_sourced": False},
])


def _fc(point: int, episode: str, rungs: list[float], p_force: float) -> dict[str, float | int | str]:
    return {"point": point, "episode": episode, "p_force": p_force,
            **{f"p_rung_{k}": v for k, v in enumerate(rungs)}}


def test_implausibility_by_hand() -> None:
    per = pd.DataFrame([
        _fc(0, "a", [0, 0, 1, 0, 0, 0, 0], 0.5),   # rung right (I = 0); force 0.5 vs 0: 0.5 / sqrt(0.25 + 0.05)
        _fc(0, "b", [0, 1, 0, 0, 0, 0, 0], 0.0),   # rung 1 for sure vs 5: 4 / 0.75; force right: 0
        _fc(0, "c", [1, 0, 0, 0, 0, 0, 0], 0.0),   # unsourced: not counted
        _fc(1, "a", [0, 0, 0.5, 0.5, 0, 0, 0], 0.0),  # mean 2.5, var 0.25: 0.5 / sqrt(0.25 + 0.5625)
        _fc(1, "b", [0, 0, 0, 0, 0, 1, 0], 0.0),
        _fc(1, "c", [1, 0, 0, 0, 0, 0, 0], 0.0),
    ])
    imp = implausibility(per, OBS).set_index("point")
    assert V_RUNG == 0.5625 and V_FORCE == 0.05
    assert imp.loc[0, "terms"] == 4  # two sourced rungs, two sourced forces; episode c left out
    assert imp.loc[0, "i_max"] == pytest.approx(4 / 0.75)
    assert imp.loc[0, "i_second"] == pytest.approx(0.5 / math.sqrt(0.30))
    assert imp.loc[1, "i_max"] == pytest.approx(0.5 / math.sqrt(0.8125))
    assert imp.loc[1, "i_second"] == pytest.approx(0.0)
    # point 0 misses one episode badly: the second largest (0.91) keeps it; a cutoff of 0.5 rules it out
    assert kept(imp.reset_index()) == [0, 1]
    assert kept(imp.reset_index(), cutoff=0.5) == [1]


def test_identification_spans() -> None:
    pts = pd.DataFrame({"point": range(11), "w": [float(i) for i in range(11)],
                        "v": [float(i % 2) * 10 for i in range(11)]})
    ident = identification(pts, keep=[4, 5, 6], space=[("w", 0.0, 10.0), ("v", 0.0, 10.0)]).set_index("weight")
    # w: the design's 5-95% span is 0.5..9.5 (9); the kept points' is 4.1..5.9 (1.8): share 0.2, identified
    assert ident.loc["w", "span_share"] == pytest.approx(1.8 / 9.0)
    assert bool(ident.loc["w", "identified"])
    # v: the kept points (0, 10, 0) still span 0..10 almost whole: not identified
    assert not bool(ident.loc["v", "identified"])
    assert ident.loc["v", "span_share"] > 0.5
