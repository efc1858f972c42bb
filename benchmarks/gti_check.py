"""Simulated yearly deaths from terrorism beside the Global Terrorism Index (FACTS.md §3).

Runs an ensemble of ``sahel_2022`` (three full calendar years, 2022-2024) and of ``niger_2023`` and
prints, per state and year, the median and 10-90% range of the simulated jihadist deaths next to the
GTI figure where FACTS.md has one, and the ratio annualised for years the scenario covers in part.
Usage: ``.venv/bin/python benchmarks/gti_check.py [-n RUNS]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sim.ensemble import run_ensemble
from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
# Global Terrorism Index deaths from terrorism, FACTS.md §3 (None: not confirmed there).
GTI: dict[tuple[str, int], int] = {
    ("BFA", 2022): 1135, ("BFA", 2023): 1907, ("BFA", 2024): 1532,
    ("NER", 2023): 479, ("NER", 2024): 930,
    ("MLI", 2024): 604,
}


def weeks_in_year(s: Scenario, year: int) -> int:
    """Simulated weeks whose middle day falls in ``year`` (52 for a full year)."""
    return sum(1 for w in range(1, s.weeks + 1)
               if (s.start + dt.timedelta(weeks=w, days=-3)).year == year)


def table(scenario: str, runs: int, seed: int) -> list[tuple[str, int, int, float, float, float, int | None]]:
    s = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    o = run_ensemble(s, runs, seed=seed, jobs=1, timeline=False, events=False).outcomes
    rows = []
    for col in sorted(c for c in o.columns if c.startswith("terror_deaths_")):
        _, _, sid, year = col.split("_")
        q = o[col].astype(float).quantile([0.1, 0.5, 0.9])
        rows.append((sid, int(year), weeks_in_year(s, int(year)), q[0.5], q[0.1], q[0.9],
                     GTI.get((sid, int(year)))))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--runs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args()
    for scenario in ("sahel_2022", "niger_2023"):
        print(f"\n{scenario}: deaths from jihadist attacks per calendar year ({args.runs} runs; partial "
              f"years are counted within the scenario's dates)")
        print(f"{'state':<6}{'year':>6}{'weeks':>6}{'median':>9}{'10%':>8}{'90%':>8}{'GTI':>8}"
              f"{'sim/GTI':>9}{'annualised':>12}")
        for sid, year, weeks, med, lo, hi, gti in table(scenario, args.runs, args.seed):
            ratio = f"{med / gti:9.2f}" if gti else f"{'':>9}"
            annual = f"{med * 52 / weeks / gti:12.2f}" if gti and weeks else f"{'':>12}"
            print(f"{sid:<6}{year:>6}{weeks:>6}{med:>9.0f}{lo:>8.0f}{hi:>8.0f}{(gti if gti else '-'):>8}"
                  f"{ratio}{annual}")


if __name__ == "__main__":
    main()
