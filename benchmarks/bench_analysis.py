"""How long does ``run.py analyze`` take on a 1,000-run LHS, PRIM included (target: 30 s), and the
notebook-style tour docs/examples/first_look.py on an ensemble, a sweep and a history result (target: 10 s)?

Runs the results it needs into a fresh temporary directory (a 250-point x 4-replicate LHS over three
parameters of niger_2023, a 50-run ensemble and a 5-run history check), then times each command as a user
runs it (a new process, imports included) and prints the wall times.

    .venv/bin/python benchmarks/bench_analysis.py [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ANALYZE_S = 30.0
TARGET_TOUR_S = 10.0


def _run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return wall


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", type=Path, default=None, help="write the results here and keep them")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="liptako-bench-analysis-") as tmp_s:
        tmp = a.keep or Path(tmp_s)
        tmp.mkdir(parents=True, exist_ok=True)
        exp = tmp / "lhs_1000.yaml"
        exp.write_text(textwrap.dedent(f"""\
            name: lhs_1000
            scenario: {ROOT / "scenarios" / "niger_2023.yaml"}
            parameters:
              treaties.liptako_gourma.clauses.art6.bindingness: {{low: 0.0, high: 1.0}}
              events.nigeria_senate.value: {{low: 0.2, high: 1.0}}
              parameters.council.launch_p_win: {{low: 0.3, high: 0.9}}
            design: {{kind: lhs, n: 250}}
            replicates: 4
            seed: 11
            outcomes: [intervention, max_escalation, war, war_weeks, intervention_week, sanction_weeks]
            """))
        py, j = sys.executable, str(a.jobs)
        sweep = tmp / "lhs"
        if not (sweep / "manifest.json").exists():
            wall = _run([py, "run.py", "sweep", str(exp), "--out", str(sweep), "-j", j, "-q"])
            print(f"sweep of 1,000 runs: {wall:.1f} s")
        analyze = _run([py, "run.py", "analyze", str(sweep)])
        print(f"run.py analyze on a 1,000-run LHS (SRC, PRCC, feature scores, PRIM, convergence): {analyze:.1f} s "
              f"(target {TARGET_ANALYZE_S:.0f} s) {'ok' if analyze <= TARGET_ANALYZE_S else 'OVER'}")
        ens, hist = tmp / "ens", tmp / "hist"
        if not (ens / "manifest.json").exists():
            _run([py, "run.py", "run", "-n", "50", "-j", j, "--out", str(ens), "--no-figures", "-q"])
        if not (hist / "manifest.json").exists():
            _run([py, "run.py", "history", "-n", "5", "-j", j, "--out", str(hist), "-q"])
        figs = tmp / "figs"
        figs.mkdir(exist_ok=True)
        tour = _run([py, str(ROOT / "docs" / "examples" / "first_look.py"), str(ens), str(sweep), str(hist),
                     str(figs)])
        print(f"docs/examples/first_look.py (load three results, one figure each): {tour:.1f} s "
              f"(target {TARGET_TOUR_S:.0f} s) {'ok' if tour <= TARGET_TOUR_S else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
