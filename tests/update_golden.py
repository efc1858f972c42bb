"""Rewrite the golden baseline on purpose: ``make golden`` (or ``python -m tests.update_golden``).

The golden files hold the outcomes of a few seeded runs of each shipped core scenario. They change only
when the model changes on purpose. The command prints what changed (per file: which columns, in how many
runs, the first changed values, old -> new) so that a model change is never accepted unseen; review that and
the diff of tests/golden/ before committing it. A file whose values did not change is left as it was.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

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


def to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def describe_changes(old_csv: str | None, new_csv: str, shown: int = 3) -> list[str]:
    """What differs between two golden tables, one line per changed column (empty when equal)."""
    if old_csv is None:
        return ["new file"]
    if old_csv == new_csv:
        return []
    old, new = pd.read_csv(io.StringIO(old_csv)), pd.read_csv(io.StringIO(new_csv))
    lines = []
    if list(old.columns) != list(new.columns):
        gone, added = sorted(set(old.columns) - set(new.columns)), sorted(set(new.columns) - set(old.columns))
        lines.append(f"columns: removed {gone or 'none'}, added {added or 'none'}")
    if len(old) != len(new):
        lines.append(f"rows: {len(old)} -> {len(new)}")
    n = min(len(old), len(new))
    for col in [c for c in new.columns if c in old.columns]:
        a, b = old[col].iloc[:n], new[col].iloc[:n]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            differs = ~((a == b) | (a.isna() & b.isna()))
        else:  # a missing text is missing on both sides (pandas' str columns keep NaN through astype(str))
            differs = ~((a.astype(str) == b.astype(str)) | (a.isna() & b.isna()))
        diff = differs.to_numpy().nonzero()[0]
        if len(diff):
            ex = ", ".join(f"run {i}: {a.iloc[i]} -> {b.iloc[i]}" for i in diff[:shown])
            lines.append(f"{col}: {len(diff)} of {n} runs changed ({ex}{', ...' if len(diff) > shown else ''})")
    return lines or ["formatting only (same values)"]


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        path = GOLDEN / f"{name}_outcomes.csv"
        new = to_csv(golden_frame(name))
        old = path.read_text() if path.exists() else None
        changes = describe_changes(old, new)
        rel = path.relative_to(ROOT)
        if not changes:
            print(f"{rel}: unchanged")
            continue
        path.write_text(new)
        print(f"{rel}: rewritten")
        for line in changes:
            print(f"  {line}")


if __name__ == "__main__":
    main()
