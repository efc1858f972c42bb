"""Fingerprint the model's behaviour: hashes of every table of seeded runs of every shipped scenario.

A restructure that must not change what the model does is checked by writing a fingerprint before and
after and comparing them::

    python scripts/fingerprint.py --out /tmp/before.json
    ... change the code ...
    python scripts/fingerprint.py --compare /tmp/before.json

Covered: every scenario in scenarios/ and scenarios/history/ (except files starting with "_"), every
lesson in scenarios/lessons/, each at several seeds, with the outcomes row, the weekly timeline and the
event log hashed separately (so a mismatch says which table moved). Uses only the public API
(``sim.load_scenario``, ``sim.run``), which a restructure keeps.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (0, 1, 7, 2023, 424242)


def _frame_hash(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format="%.12g", lineterminator="\n")
    return hashlib.sha256(buf.getvalue().encode()).hexdigest()[:16]


def _outcome_hash(row: dict[str, Any]) -> str:
    def norm(v: Any) -> Any:
        if isinstance(v, float):
            return f"{v:.12g}"
        if v is None or (hasattr(pd, "isna") and not isinstance(v, (list, dict, str)) and pd.isna(v)):
            return None
        return str(v)
    data = json.dumps({k: norm(v) for k, v in sorted(row.items())}, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def scenario_files() -> list[Path]:
    out = sorted((ROOT / "scenarios").glob("*.yaml"))
    out += sorted(p for p in (ROOT / "scenarios" / "history").glob("*.yaml") if not p.name.startswith("_"))
    out += sorted((ROOT / "scenarios" / "lessons").glob("*.yaml"))
    return out


def fingerprint(seeds: tuple[int, ...] = SEEDS) -> dict[str, dict[str, str]]:
    sys.path.insert(0, str(ROOT))
    import sim

    result: dict[str, dict[str, str]] = {}
    for path in scenario_files():
        try:
            s = sim.load_scenario(path)
        except Exception as e:  # a lesson may not be a full scenario on its own
            result[str(path.relative_to(ROOT))] = {"load_error": type(e).__name__}
            continue
        entry: dict[str, str] = {}
        for seed in seeds:
            rec = sim.run(s, seed=seed)
            entry[f"{seed}/outcomes"] = _outcome_hash(rec.outcomes)
            entry[f"{seed}/timeline"] = _frame_hash(rec.timeline)
            entry[f"{seed}/events"] = _frame_hash(rec.events)
        result[str(path.relative_to(ROOT))] = entry
        print(f"{path.relative_to(ROOT)}: {len(seeds)} seeds", file=sys.stderr)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", type=Path, help="write the fingerprint to this JSON file")
    g.add_argument("--compare", type=Path, help="compare with a fingerprint written before")
    args = ap.parse_args()
    fp = fingerprint()
    if args.out:
        args.out.write_text(json.dumps(fp, indent=1, sort_keys=True) + "\n")
        print(f"wrote {args.out}: {sum(len(v) for v in fp.values())} hashes")
        return 0
    ref = json.loads(args.compare.read_text())
    bad = [f"{k}: {sub}" for k in sorted(set(ref) | set(fp))
           for sub in sorted(set(ref.get(k, {})) | set(fp.get(k, {})))
           if ref.get(k, {}).get(sub) != fp.get(k, {}).get(sub)]
    for b in bad:
        print(f"DIFFERS {b}")
    n = sum(len(v) for v in ref.values())
    print(f"{n - len(bad)} of {n} hashes match" + ("" if not bad else f"; {len(bad)} differ"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
