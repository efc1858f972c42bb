"""Median wall time of one baseline run (serial), and where the time goes.

    .venv/bin/python benchmarks/bench_run.py [--runs 40] [--scenario scenarios/niger_2023.yaml]

Target (core issue): <= 25 ms per 156-week baseline run on a 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

from sim.runner import run
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "niger_2023.yaml"))
    args = ap.parse_args()
    s = load_scenario(args.scenario)
    run(s, 0)  # warm-up: imports, caches
    for label, kw in (("full record (outcomes, timeline, events)", {}),
                      ("outcomes only", {"timeline": False, "events": False})):
        times = []
        for seed in range(args.runs):
            t0 = time.perf_counter()
            run(s, seed, **kw)
            times.append((time.perf_counter() - t0) * 1000)
        q = statistics.quantiles(times, n=10)
        print(f"{s.name}, {s.weeks} weeks, {label}: median {statistics.median(times):.1f} ms "
              f"(p10 {q[0]:.1f}, p90 {q[-1]:.1f}) over {args.runs} runs; target <= 25 ms")
    prof = cProfile.Profile()
    prof.enable()
    for seed in range(10):
        run(s, seed)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
    print("\nwhere the time goes (10 runs, top functions by own time):")
    print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[:4000])


if __name__ == "__main__":
    main()
