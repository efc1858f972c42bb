"""Lever effects with common random numbers: P(force) per arm, the paired difference and its SE, per root seed.

    .venv/bin/python benchmarks/levers.py [--runs 1000] [--roots 5] [--lever nigeria|art6|all] [--jobs 2]

Each arm runs the same seeds (root r: seeds r*10**6 + 0..runs-1), so the difference of the two arms is
measured run by run (paired). Levers (issue 11, "levers that act through their mechanism"):

- ``nigeria``: in ``no_charter``, Nigeria's domestic constraint (its start value and the Senate's of
  5 Aug 2023) 0 versus 1. Target: P(force) lower at 1 by more than two paired SEs in every root seed,
  with the withheld pledges visible in the event log (counted here).
- ``art6``: in ``niger_2023``, the bindingness of the charter's Art. 6, 0 versus 1 (and the declaration's).
  Target: never raises P(force).

``--patterns`` also prints the behaviour patterns the calibration is to be checked against (issue 11: tested
after it, never imposed): Niger 2023 reaches the standby force in most runs; ECOWAS uses force in The Gambia
in at least 70% of runs; without the declaration, a binding Art. 6 deters more than a void one.

Prints figures; asserts nothing (not a test).
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LEVERS: dict[str, tuple[str, list[str], list[str]]] = {
    "nigeria": ("no_charter.yaml",
                ["states.NGA.domestic_constraint=0.0", "events.nigeria_senate.value=0.0"],
                ["states.NGA.domestic_constraint=1.0", "events.nigeria_senate.value=1.0"]),
    "art6": ("niger_2023.yaml",
             ["treaties.liptako_gourma.clauses.art6.bindingness=0.0",
              "parameters.assistance.declaration_bindingness=0.0"],
             ["treaties.liptako_gourma.clauses.art6.bindingness=1.0",
              "parameters.assistance.declaration_bindingness=1.0"]),
}


def _arm(args: tuple[str, list[str], list[int]]) -> list[tuple[int, int]]:
    """(force 0/1, withheld pledges) for each seed of one arm."""
    from sim.enums import LogKind
    from sim.runner import run
    from sim.scenario import load_scenario

    scen, sets, seeds = args
    s = load_scenario(ROOT / "scenarios" / scen, sets)
    out = []
    for seed in seeds:
        rec = run(s, seed, timeline=False, events=True)
        ev = rec.events
        withheld = int((ev["kind"] == LogKind.PLEDGE_WITHHELD.value).sum()) if len(ev) and hasattr(
            LogKind, "PLEDGE_WITHHELD") else 0
        out.append((int(bool(rec.outcomes["intervention"])), withheld))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--roots", type=int, default=5)
    ap.add_argument("--lever", default="all", choices=["all", *LEVERS])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--patterns", action="store_true", help="also print the behaviour patterns")
    a = ap.parse_args()
    if a.patterns:
        patterns(a.runs, a.jobs)
    levers = list(LEVERS) if a.lever == "all" else [a.lever]
    chunk = max(1, a.runs // (4 * a.jobs))
    with ProcessPoolExecutor(a.jobs) as pool:
        for name in levers:
            scen, low, high = LEVERS[name]
            print(f"lever {name}: {scen}, {a.runs} paired runs an arm, {a.roots} root seeds")
            print(f"  low:  {' '.join(low)}\n  high: {' '.join(high)}")
            diffs_all: list[float] = []
            for r in range(a.roots):
                seeds = [r * 10**6 + i for i in range(a.runs)]
                parts = [seeds[i:i + chunk] for i in range(0, len(seeds), chunk)]
                lo = [x for p in pool.map(_arm, [(scen, low, p) for p in parts]) for x in p]
                hi = [x for p in pool.map(_arm, [(scen, high, p) for p in parts]) for x in p]
                d = [h[0] - lw[0] for lw, h in zip(lo, hi, strict=True)]
                n = len(d)
                mean = sum(d) / n
                sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1)) if n > 1 else 0.0
                se = sd / math.sqrt(n)
                p_lo, p_hi = sum(x[0] for x in lo) / n, sum(x[0] for x in hi) / n
                w_lo, w_hi = sum(x[1] for x in lo), sum(x[1] for x in hi)
                z = mean / se if se > 0 else float("nan")
                print(f"  root {r}: P(force) low {p_lo:.3f}, high {p_hi:.3f}; high - low {mean:+.3f} "
                      f"(paired SE {se:.3f}, {z:+.1f} SE); withheld pledges logged: low {w_lo}, high {w_hi}")
                diffs_all.extend(d)
            n = len(diffs_all)
            m = sum(diffs_all) / n
            se = math.sqrt(sum((x - m) ** 2 for x in diffs_all) / (n - 1) / n)
            print(f"  pooled over roots: high - low {m:+.3f}, 95% interval [{m - 1.96 * se:+.3f}, "
                  f"{m + 1.96 * se:+.3f}]")


def _outcome(args: tuple[str, list[str], list[int]]) -> list[tuple[int, int]]:
    """(force 0/1, standby reached 0/1) for each seed."""
    from sim.runner import run
    from sim.scenario import load_scenario

    scen, sets, seeds = args
    s = load_scenario(ROOT / "scenarios" / scen, sets)
    out = []
    for seed in seeds:
        o = run(s, seed, timeline=False, events=False).outcomes
        out.append((int(bool(o["intervention"])), int(o["max_escalation"] >= 5)))
    return out


def patterns(runs: int, jobs: int) -> None:
    """The behaviour patterns, root seed 0, with their standard errors."""
    seeds = list(range(runs))
    chunk = max(1, runs // (4 * jobs))
    parts = [seeds[i:i + chunk] for i in range(0, runs, chunk)]
    with ProcessPoolExecutor(jobs) as pool:
        def arm(scen: str, sets: list[str]) -> list[tuple[int, int]]:
            return [x for p in pool.map(_outcome, [(scen, sets, q) for q in parts]) for x in p]

        niger = arm("niger_2023.yaml", [])
        standby = sum(x[1] for x in niger) / runs
        print(f"pattern: Niger 2023 reaches the standby force in most runs: P = {standby:.3f} "
              f"(SE {math.sqrt(standby * (1 - standby) / runs):.3f}) -> {'holds' if standby > 0.5 else 'fails'}")
        g = sum(x[0] for x in arm("gambia_2017.yaml", [])) / runs
        print(f"pattern: ECOWAS uses force in The Gambia in >= 70% of runs: P = {g:.3f} "
              f"(SE {math.sqrt(g * (1 - g) / runs):.3f}) -> {'holds' if g >= 0.7 else 'fails'}")
        nodecl = ["events.declaration_mli_bfa=null"]
        void = arm("niger_2023.yaml", [*nodecl, "treaties.liptako_gourma.clauses.art6.bindingness=0.0"])
        full = arm("niger_2023.yaml", [*nodecl, "treaties.liptako_gourma.clauses.art6.bindingness=1.0"])
        d = [f[0] - v[0] for f, v in zip(full, void, strict=True)]
        m = sum(d) / runs
        se = math.sqrt(sum((x - m) ** 2 for x in d) / (runs - 1) / runs)
        print(f"pattern: without the declaration a binding Art. 6 deters more than a void one: P(force) "
              f"{sum(v[0] for v in void) / runs:.3f} -> {sum(f[0] for f in full) / runs:.3f}, difference "
              f"{m:+.3f} (paired SE {se:.3f}) -> {'holds' if m < -2 * se else 'not shown'}")


if __name__ == "__main__":
    main()
