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


def median_ms(s: Scenario, repeats: int) -> tuple[float, float, float]:
    run(s, 0)  # warm-up
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        run(s, 1000 + i)
        times.append((time.perf_counter() - t0) * 1000)
    q = statistics.quantiles(times, n=10)
    return statistics.median(times), q[0], q[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    full = scenario_from_dict(*load_raw(BASELINE), str(BASELINE))
    core = core_only(BASELINE)
    rows = [("core only", core), ("full system", full)]
    print(f"{full.name}: {full.weeks} weeks, median of {args.repeats} runs (timeline and events built)")
    res = {}
    for label, s in rows:
        med, lo, hi = median_ms(s, args.repeats)
        res[label] = med
        print(f"  {label:<12} {med:7.1f} ms   (10-90%: {lo:.1f}-{hi:.1f} ms)")
    print(f"  full / core  {res['full system'] / res['core only']:7.2f}x   target: full <= 30 ms "
          f"({'met' if res['full system'] <= 30 else 'not met'})")


if __name__ == "__main__":
    main()
