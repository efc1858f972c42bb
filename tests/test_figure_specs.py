"""Figure kinds and fields are checked when an experiment loads (validate and sweep --dry-run)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.experiment import load_experiment
from sim.figure_specs import FIGURE_KINDS
from sim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parent.parent


def _exp(tmp_path: Path, figures: str) -> Path:
    p = tmp_path / "e.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: e
        scenario: {ROOT / "scenarios" / "niger_2023.yaml"}
        parameters:
          parameters.council.launch_p_win: [0.3, 0.5]
        design: {{kind: grid}}
        seed: 1
        figures:
        """) + textwrap.indent(textwrap.dedent(figures), "  "))
    return p


def test_the_drawing_functions_and_the_checked_kinds_agree() -> None:
    from sim.paper import KINDS

    assert set(KINDS) == set(FIGURE_KINDS)


def test_every_shipped_experiment_passes() -> None:
    files = sorted((ROOT / "experiments").glob("*.yaml"))
    assert len(files) >= 8
    for f in files:
        load_experiment(f)  # raises on any figure problem


def test_unknown_kind_field_and_axis_name_file_line_and_field(tmp_path: Path) -> None:
    p = _exp(tmp_path, """\
        - name: a
          kind: scatter
        - name: b
          kind: heatmap
          params:
            x: parameters.council.launch_p_win
            y: nope
            colour: red
        """)
    with pytest.raises(ScenarioError) as e:
        load_experiment(p)
    msgs = e.value.messages
    assert any(m.startswith(f"{p}:9: figures.0.kind: unknown figure kind 'scatter'") for m in msgs)
    assert any(":14: figures.1.params.y: 'nope' is not a varied parameter" in m for m in msgs)
    assert any(":15: figures.1.params.colour: unknown field for a heatmap figure" in m for m in msgs)
    assert any("figures.1.params.outcome: required field is missing" in m for m in msgs)


def test_timeline_panels_and_dates_are_checked(tmp_path: Path) -> None:
    p = _exp(tmp_path, """\
        - name: t
          kind: timeline
          params:
            panels:
              - {ylabel: rung, series: [{actor: ecowas}]}
        - name: m
          kind: regime_map
          params: {title: x}
        """)
    with pytest.raises(ScenarioError) as e:
        load_experiment(p)
    msgs = " | ".join(e.value.messages)
    assert "figures.0.params.panels.0.series.0.variable: required field is missing" in msgs
    assert "figures.1.params.dates: required field is missing (date or dates)" in msgs


def test_validate_and_dry_run_catch_a_bad_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _exp(tmp_path, "- {name: a, kind: scatter}\n")
    assert cli_main(["validate", str(p)]) == 2
    assert "unknown figure kind 'scatter'" in capsys.readouterr().err
    assert cli_main(["sweep", str(p), "--dry-run"]) == 2
    assert "unknown figure kind 'scatter'" in capsys.readouterr().err
    assert cli_main(["validate", str(ROOT / "experiments" / "fig4_sensitivity.yaml")]) == 0
