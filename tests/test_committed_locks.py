"""The committed figure lock files hold for a fresh run (issue 15): the cheapest figure experiment,
fig5_defence_vs_insurgency (200 runs keeping outcomes and a timeline summary: 40 s here, against 51 s for
fig6 and 72 s for fig1, measured; fig2-4 run 512 to 1,800 runs), is run from scratch and its tables' and
figures' hashes must equal those in the committed experiments/fig5_defence_vs_insurgency.lock.json, which the
test reads as it is (it never writes a lock of its own).

Every lock is checked the same way by ``run.py reproduce`` (all six, about an hour here). When the model
changes on purpose, ``run.py reproduce --update-lock`` rewrites the locks; until they are committed this
test fails and names what differs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.commands.figures import draw_figures, load_input
from sim.commands.reproduce import fingerprint, lock_path
from sim.experiment import load_experiment

ROOT = Path(__file__).resolve().parent.parent
CHEAPEST = ROOT / "experiments" / "fig5_defence_vs_insurgency.yaml"


def test_the_committed_lock_of_the_cheapest_figure_matches_a_fresh_run(tmp_path: Path) -> None:
    exp = load_experiment(CHEAPEST)
    lock = lock_path(exp)
    name = "fig5_defence_vs_insurgency"
    assert lock == ROOT / "experiments" / f"{name}.lock.json" and lock.is_file()
    committed = json.loads(lock.read_text(encoding="utf-8"))
    assert committed["experiment"] == name
    # what the lock pins: the tables the figure is drawn from and both figure files
    assert set(committed["tables"]) == {f"{name}/{t}" for t in ("outcomes", "points", "summary")}
    assert set(committed["figures"]) == {f"{name}.png", f"{name}.svg"}

    fi = load_input(exp, tmp_path, 2, quiet=True, run_missing=True)
    files = draw_figures(fi, tmp_path / exp.spec.name / "figures")
    got = fingerprint(fi, files)
    assert got["problems"] == []
    assert len(fi.results.outcomes) == 200  # the experiment as committed: 5 points x 40 runs, all finished
    differ = sorted(f"{section} {k}" for section in ("tables", "figures")
                    for k in set(committed[section]) | set(got[section])
                    if committed[section].get(k) != got[section].get(k))
    assert not differ, (f"a fresh run of {CHEAPEST.name} differs from the committed {lock.name} in: "
                        f"{', '.join(differ)} (if the model changed on purpose: `run.py reproduce "
                        "--update-lock`, review, commit the locks)")
