"""Rewrite the golden baseline on purpose: ``make golden`` (or ``python -m tests.update_golden``).

The golden files hold the outcomes of a few seeded runs of each shipped core scenario. They change only
when the model changes on purpose; review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

from pathlib import Path

from sim.ensemble import run_ensemble
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = {"niger_2023": 12, "gambia_2017": 12}
ROOT_SEED = 424242


def golden_frame(name: str):
    s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    res = run_ensemble(s, CASES[name], seed=ROOT_SEED, jobs=1, timeline=False, events=True)
    out = res.outcomes.copy()
    out["events"] = res.events.groupby("run_id").size().reindex(out["run_id"]).to_numpy()
    return out


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        path = GOLDEN / f"{name}_outcomes.csv"
        golden_frame(name).to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
