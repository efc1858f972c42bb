"""How long do all paper figures take to regenerate from scratch? Target: <= 15 minutes on 2 cores.

Runs every experiments/fig*.yaml (and the experiments their figures also read) into a fresh temporary
directory with ``run.py figures``, then prints the wall time per experiment and in total.

    .venv/bin/python benchmarks/bench_figures.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MINUTES = 15.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="liptako-bench-figures-") as tmp:
        t0 = time.perf_counter()
        cmd = [sys.executable, "run.py", "figures", "-q", "-j", str(a.jobs), "--results", tmp]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
        return proc.returncode
    runs = 0
    for line in proc.stdout.splitlines():
        m = re.match(r"\s+(\S+): (\d+) runs \(\d+ failed.*?\) in ([\d.]+) s", line)
        if m:
            runs += int(m.group(2))
            print(f"  {m.group(1):<32} {int(m.group(2)):>6} runs  {float(m.group(3)):7.1f} s")
    print(f"all figures from scratch: {runs} runs, {wall / 60:.1f} min wall on {a.jobs} processes "
          f"(target <= {TARGET_MINUTES:.0f} min: {'met' if wall <= TARGET_MINUTES * 60 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
