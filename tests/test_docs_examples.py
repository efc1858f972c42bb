"""docs/examples/first_look.py, the notebook-style tour of docs, runs on an ensemble, a sweep and a history
result (small ones made here) using only ``sim.__all__``, and saves one figure of each."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import sim
from sim.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "examples" / "first_look.py"


def test_the_tour_uses_only_the_public_api() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "sim"}
    imports = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}
    assert used and used <= set(sim.__all__), used - set(sim.__all__)
    assert imports <= {"sys", "Path", "sim"}, imports


def test_the_tour_runs_on_three_kinds_of_results(tmp_path: Path) -> None:
    scen = ROOT / "scenarios" / "examples" / "four_states.yaml"
    assert cli_main(["run", str(scen), "-n", "4", "--jobs", "1", "--out", str(tmp_path / "ens"), "--no-figures",
                     "-q"]) == 0
    exp = tmp_path / "e.yaml"
    exp.write_text(textwrap.dedent(f"""\
        name: e
        scenario: {scen}
        parameters:
          treaties.pact_treaty.clauses.defence.bindingness: [0.0, 1.0]
        design: {{kind: grid}}
        replicates: 2
        seed: 4
        """))
    assert cli_main(["sweep", str(exp), "--out", str(tmp_path / "sw"), "--jobs", "1", "-q"]) == 0
    hist = tmp_path / "scenarios" / "history"  # one episode, with the world it extends
    hist.mkdir(parents=True)
    for rel in ("gambia_2017.yaml", "history/gambia_2017.yaml"):
        (tmp_path / "scenarios" / rel).write_text((ROOT / "scenarios" / rel).read_text(encoding="utf-8"))
    episode = (ROOT / "scenarios" / "history" / "gambia_2017.yaml").read_text(encoding="utf-8")
    (hist / "gambia_2017_again.yaml").write_text(episode + "name: gambia_2017_again\n")  # leave-one-out needs two
    assert cli_main(["history", str(hist), "-n", "2", "--jobs", "1", "--out", str(tmp_path / "hi"), "-q"]) == 0
    figs = tmp_path / "figs"
    figs.mkdir()
    res = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "ens"), str(tmp_path / "sw"),
                          str(tmp_path / "hi"), str(figs)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "P(intervention) = " in res.stdout and "history: 2 episodes" in res.stdout
    for f in ("ensemble.png", "sweep.png", "history.png"):
        assert (figs / f).stat().st_size > 5000, f
