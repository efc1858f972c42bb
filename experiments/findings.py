"""The findings about the charter, the declaration and Nigeria's constraint, with intervals (issue 11).

    .venv/bin/python experiments/findings.py [--runs 1000] [--roots 5] [--jobs 2] [--out experiments/findings]

Every contrast is measured with common random numbers: in root seed r both arms run the seeds
r x 10^6 + 0 .. runs-1, so the difference is taken run by run and its standard error is the paired one.
The contrasts (each "high minus low"):

- ``declaration``: Mali's and Burkina Faso's declaration of 31 Jul 2023 added to ``no_charter``.
- ``charter``: the Liptako-Gourma Charter (in force 16 Sep 2023) added to ``no_charter``.
- ``charter_and_declaration``: ``niger_2023`` against ``no_charter``.
- ``nigeria``: in ``no_charter``, Nigeria's domestic constraint (its start value and the Senate's of
  5 Aug 2023) 1 against 0. Issue 11's target: P(force) lower by more than two paired SEs in every root
  seed, through withheld pledges (``pledge_withheld`` rows of the event log, counted per arm).
- ``art6_half`` and ``art6_full``: in ``niger_2023``, Art. 6's bindingness 0.5 and 1 (the scenario's own)
  against 0. Target: raising it never raises P(force) (no difference above zero by two paired SEs).

The behaviour patterns of docs/calibration.md are reported from the same runs: Niger 2023 reaches the
standby force in most runs; The Gambia 2017 sees force in most runs (its own arm, root seed 0 only).

Each root seed's runs are written to OUT/raw/root_R.csv as soon as they finish; a second call with the
same --runs reads them back instead of running them again (an interrupted call resumes).

Writes OUT/findings.csv (one row per contrast, outcome and root seed, plus the pooled rows),
OUT/arms.csv (each arm's shares per root) and OUT/manifest.json. These are the numbers README and
docs/calibration.md quote. Prints what it writes.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NIGERIA = ["states.NGA.domestic_constraint={v}", "events.nigeria_senate.value={v}"]
ART6 = "treaties.liptako_gourma.clauses.art6.bindingness={v}"

# arm name: (scenario file, --set overrides)
ARMS: dict[str, tuple[str, list[str]]] = {
    "no_charter": ("no_charter.yaml", []),
    "declaration_only": ("niger_2023.yaml", ["treaties.liptako_gourma=null"]),
    "charter_only": ("niger_2023.yaml", ["events.declaration_mli_bfa=null"]),
    "niger_2023": ("niger_2023.yaml", []),
    "nigeria_0": ("no_charter.yaml", [s.format(v=0.0) for s in NIGERIA]),
    "nigeria_1": ("no_charter.yaml", [s.format(v=1.0) for s in NIGERIA]),
    "art6_0": ("niger_2023.yaml", [ART6.format(v=0.0)]),
    "art6_05": ("niger_2023.yaml", [ART6.format(v=0.5)]),
    "gambia_2017": ("gambia_2017.yaml", []),
}
ONCE = {"gambia_2017"}  # arms of a pattern, not of a contrast: root seed 0 only
# contrast name: (low arm, high arm)
CONTRASTS: dict[str, tuple[str, str]] = {
    "declaration": ("no_charter", "declaration_only"),
    "charter": ("no_charter", "charter_only"),
    "charter_and_declaration": ("no_charter", "niger_2023"),
    "nigeria": ("nigeria_0", "nigeria_1"),
    "art6_half": ("art6_0", "art6_05"),
    "art6_full": ("art6_0", "niger_2023"),  # niger_2023's Art. 6 has bindingness 1
}
OUTCOMES = ("force", "standby", "withheld")


def _arm(job: tuple[str, list[str], list[int]]) -> list[tuple[int, int, int]]:
    """(force 0/1, standby reached 0/1, pledges withheld) for each seed of one arm."""
    from sim.enums import LogKind, Rung
    from sim.runner import run
    from sim.scenario import load_scenario

    scen, sets, seeds = job
    s = load_scenario(ROOT / "scenarios" / scen, sets)
    out = []
    for seed in seeds:
        rec = run(s, seed, timeline=False, events=True)
        ev = rec.events
        withheld = int((ev["kind"] == LogKind.PLEDGE_WITHHELD.value).sum()) if len(ev) else 0
        o = rec.outcomes
        out.append((int(bool(o["intervention"])), int(o["max_escalation"] >= Rung.STANDBY), withheld))
    return out


def paired(low: Sequence[float], high: Sequence[float]) -> tuple[float, float]:
    """Mean of high - low, run by run, and its standard error."""
    d = [h - lo for lo, h in zip(low, high, strict=True)]
    n = len(d)
    m = sum(d) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1)) if n > 1 else 0.0
    return m, sd / math.sqrt(n)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000, help="paired runs an arm and root seed (default 1000)")
    ap.add_argument("--roots", type=int, default=5, help="root seeds (default 5)")
    ap.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    ap.add_argument("--out", type=Path, default=ROOT / "experiments/findings", help="output directory")
    a = ap.parse_args(argv)
    import pandas as pd

    from sim.store import provenance, write_json

    t0 = time.perf_counter()
    chunk = max(1, a.runs // (4 * a.jobs))
    out: Path = a.out
    (out / "raw").mkdir(parents=True, exist_ok=True)
    res: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    with ProcessPoolExecutor(a.jobs) as pool:
        for r in range(a.roots):
            raw = out / "raw" / f"root_{r}.csv"
            if raw.exists():
                old = pd.read_csv(raw)
                if (old.groupby("arm").size() == a.runs).all():
                    for arm, g in old.groupby("arm"):
                        res[str(arm), r] = list(g[["force", "standby", "withheld"]].itertuples(index=False,
                                                                                           name=None))
                    print(f"  root {r}: read back from {raw}", file=sys.stderr)
                    continue
            seeds = [r * 10**6 + i for i in range(a.runs)]
            parts = [seeds[i:i + chunk] for i in range(0, len(seeds), chunk)]
            for arm, (scen, sets) in ARMS.items():
                if arm in ONCE and r > 0:
                    continue
                res[arm, r] = [x for p in pool.map(_arm, [(scen, sets, q) for q in parts]) for x in p]
            rows_r = [{"arm": arm, "seed": r * 10**6 + i, "force": v[0], "standby": v[1], "withheld": v[2]}
                      for (arm, rr), vals in res.items() if rr == r for i, v in enumerate(vals)]
            tmp = raw.with_suffix(".tmp")
            pd.DataFrame(rows_r).to_csv(tmp, index=False, lineterminator="\n")
            tmp.replace(raw)
            print(f"  root {r} done ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    arms = [{"arm": arm, "root": r, "scenario": ARMS[arm][0], "set": " ".join(ARMS[arm][1]), "runs": a.runs,
             "p_force": sum(x[0] for x in v) / a.runs, "p_standby": sum(x[1] for x in v) / a.runs,
             "withheld_rows": sum(x[2] for x in v)} for (arm, r), v in res.items()]
    rows = []
    for name, (lo, hi) in CONTRASTS.items():
        for k, outcome in enumerate(OUTCOMES):
            pooled_lo: list[float] = []
            pooled_hi: list[float] = []
            for r in range(a.roots):
                x = [float(v[k]) for v in res[lo, r]]
                y = [float(v[k]) for v in res[hi, r]]
                pooled_lo += x
                pooled_hi += y
                m, se = paired(x, y)
                rows.append({"contrast": name, "outcome": outcome, "root": str(r), "low": lo, "high": hi,
                             "runs": len(x), "mean_low": sum(x) / len(x), "mean_high": sum(y) / len(y),
                             "difference": m, "paired_se": se, "z": m / se if se > 0 else float("nan"),
                             "ci_low": m - 1.96 * se, "ci_high": m + 1.96 * se})
            m, se = paired(pooled_lo, pooled_hi)
            rows.append({"contrast": name, "outcome": outcome, "root": "pooled", "low": lo, "high": hi,
                         "runs": len(pooled_lo), "mean_low": sum(pooled_lo) / len(pooled_lo),
                         "mean_high": sum(pooled_hi) / len(pooled_hi), "difference": m, "paired_se": se,
                         "z": m / se if se > 0 else float("nan"), "ci_low": m - 1.96 * se,
                         "ci_high": m + 1.96 * se})
    table = pd.DataFrame(rows)
    table.to_csv(out / "findings.csv", index=False, float_format="%.5g", lineterminator="\n")
    pd.DataFrame(arms).to_csv(out / "arms.csv", index=False, float_format="%.5g", lineterminator="\n")
    wall = time.perf_counter() - t0
    write_json({"kind": "findings", "runs": a.runs, "roots": a.roots,
                "seeds": "root r: r x 10^6 + 0 .. runs-1 (common random numbers in every arm)",
                "arms": {k: {"scenario": v[0], "set": v[1]} for k, v in ARMS.items()},
                "contrasts": {k: list(v) for k, v in CONTRASTS.items()}, "wall_seconds": round(wall, 1),
                **provenance()}, out / "manifest.json")
    force = table[table["outcome"] == "force"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(force[["contrast", "root", "mean_low", "mean_high", "difference", "paired_se", "z", "ci_low",
                     "ci_high"]].to_string(index=False))
    report(table, pd.DataFrame(arms))
    print(f"{len(ARMS)} arms x {a.roots} roots x {a.runs} runs in {wall:.0f} s -> {out}/")
    return 0


def report(table: pd.DataFrame, arms: pd.DataFrame) -> None:
    """The targets of issue 11 and the behaviour patterns, met or not, from the tables."""
    f = table[(table["outcome"] == "force") & (table["root"] != "pooled")]
    nig = f[f["contrast"] == "nigeria"]
    ok = bool((nig["difference"] < -2 * nig["paired_se"]).all())
    w = arms.groupby("arm")["withheld_rows"].sum()
    print(f"target: Nigeria's constraint 0 -> 1 lowers P(force) by > 2 paired SE in every root: "
          f"{'met' if ok else 'NOT met'} (z by root: {', '.join(f'{z:+.1f}' for z in nig['z'])}); "
          f"pledge_withheld rows: {int(w.get('nigeria_0', 0))} at 0, {int(w.get('nigeria_1', 0))} at 1")
    a6 = f[f["contrast"].isin(["art6_half", "art6_full"])]
    ok6 = bool((a6["difference"] <= 2 * a6["paired_se"]).all())
    print(f"target: raising Art. 6 bindingness never raises P(force): {'met' if ok6 else 'NOT met'} "
          f"(largest z {a6['z'].max():+.1f})")
    by = arms.groupby("arm")[["p_force", "p_standby"]].mean()
    print(f"pattern: Niger 2023 reaches the standby force in most runs: P = {by.loc['niger_2023', 'p_standby']:.3f}"
          f" -> {'holds' if by.loc['niger_2023', 'p_standby'] > 0.5 else 'fails'}")
    print(f"pattern: force in The Gambia 2017 in most runs: P = {by.loc['gambia_2017', 'p_force']:.3f} -> "
          f"{'holds' if by.loc['gambia_2017', 'p_force'] > 0.5 else 'fails'}")


if __name__ == "__main__":
    raise SystemExit(main())
