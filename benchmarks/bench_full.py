"""Run time of one baseline run with the full Sahel security system, against the core only.

The full system is ``scenarios/niger_2023.yaml`` as shipped (156 weeks). The core-only figure runs the
same scenario with the security system removed: no armed groups, no external powers, no G5 Sahel, no
security events, and the charter's Art. 4 and Art. 5 dropped (the interstate machinery alone). Each
figure is the median of ``--repeats`` runs of ``sim.run(scenario, seed)`` with timeline and events built,
after a warm-up. Target: full system <= 30 ms. Usage: ``.venv/bin/python benchmarks/bench_full.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from sim.runner import run
from sim.scenario import Scenario, load_raw, scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "niger_2023.yaml"
SECURITY_EVENTS = {"withdrawal", "deploy", "rename", "offensive", "accord_end"}


def core_only(path: Path) -> Scenario:
    """The scenario without its security system."""
    data, pos = load_raw(path)
    data["armed_groups"] = {}
    data["external_powers"] = {}
    data["events"] = {k: v for k, v in data.get("events", {}).items() if v["kind"] not in SECURITY_EVENTS}
    data["blocs"] = {k: {f: x for f, x in v.items() if f not in ("patrons", "alternative_to")}
                     for k, v in data["blocs"].items() if k != "g5_sahel"}
    data["treaties"] = {k: v for k, v in data["treaties"].items() if v["bloc"] != "g5_sahel"}
    lg = data["treaties"].get("liptako_gourma")
    if lg is not None:
        lg["clauses"] = {k: v for k, v in lg["clauses"].items() if k not in ("art4", "art5")}
        lg["clauses"]["art6"]["trigger"]["event"] = "attack"
    return scenario_from_dict(data, pos, str(path))


def timings(s: Scenario, repeats: int) -> tuple[float, float, float]:
    """Median wall time, minimum wall time and median CPU time of one run, in ms.

    On a shared machine the CPU time (``time.process_time``) and the minimum are the steadier figures.
    """
    run(s, 0)  # warm-up
    wall, cpu = [], []
    for i in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        run(s, 1000 + i)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    full = scenario_from_dict(*load_raw(BASELINE), str(BASELINE))
    core = core_only(BASELINE)
    rows = [("core only", core), ("full system", full)]
    print(f"{full.name}: {full.weeks} weeks, median of {args.repeats} runs (timeline and events built)")
    res = {}
    print(f"  {'':<12} {'median':>8} {'min':>8} {'CPU':>8}   (ms per run)")
    for label, s in rows:
        med, lo, cpu = timings(s, args.repeats)
        res[label] = (med, lo, cpu)
        print(f"  {label:<12} {med:8.1f} {lo:8.1f} {cpu:8.1f}")
    f, c = res["full system"], res["core only"]
    print(f"  full / core  {f[0] / c[0]:8.2f} {f[1] / c[1]:8.2f} {f[2] / c[2]:8.2f}")
    print(f"  target: full system median <= 30 ms: {'met' if f[0] <= 30 else 'not met'} "
          f"(median {f[0]:.1f} ms; CPU {f[2]:.1f} ms)")


if __name__ == "__main__":
    main()
