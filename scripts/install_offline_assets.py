#!/usr/bin/env python
"""Put the instructor page's browser assets in Solara's CDN proxy cache, so the page works offline.

Solara fetches its JavaScript and CSS from a public CDN at run time; a classroom without internet
would see a blank page. This script reads which npm packages the installed Solara asks for
(sim.viz.assets.required_packages), fetches each with ``npm pack`` from the npm registry and unpacks
it into the cache (default ``.venv/share/solara/cdn``, overridable with SOLARA_ASSETS_PROXY_CACHE_DIR).
Packages already there are skipped, so running it again is fast. Called by scripts/bootstrap.sh
whenever the ``viz`` extra is installed.

Usage: .venv/bin/python scripts/install_offline_assets.py [--cache-dir DIR] [--force]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.viz.assets import cache_dir, missing_packages, package_dir, required_packages


def fetch(spec: str, dest: Path, work: Path) -> int:
    """``npm pack`` one package and unpack it to ``dest`` (atomically: a temporary sibling, then rename)."""
    out = subprocess.run(
        ["npm", "pack", spec, "--pack-destination", str(work), "--silent", "--no-fund", "--no-audit"],
        capture_output=True, text=True, check=False, cwd=work,
    )
    tgz = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if out.returncode != 0 or not tgz or not (work / tgz).is_file():
        raise RuntimeError(f"npm pack {spec} failed: {out.stderr.strip() or out.stdout.strip()}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
    try:
        with tarfile.open(work / tgz) as tar:
            tar.extractall(tmp, filter="data")
        top = [p for p in tmp.iterdir() if p.is_dir()]
        if len(top) != 1:
            raise RuntimeError(f"{tgz}: expected one top-level folder, found {[p.name for p in top]}")
        if dest.exists():
            shutil.rmtree(dest)
        top[0].rename(dest)
        return sum(f.stat().st_size for f in dest.rglob("*") if f.is_file())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, default=None, help=f"cache directory (default {cache_dir()})")
    ap.add_argument("--force", action="store_true", help="fetch every package again")
    args = ap.parse_args(argv)
    root = args.cache_dir or cache_dir()
    specs = required_packages()
    todo = specs if args.force else missing_packages(root, specs)
    if not todo:
        print(f"offline assets: all {len(specs)} packages present in {root}")
        return 0
    if shutil.which("npm") is None:
        print("offline assets: npm is not installed, so the page's JavaScript cannot be stored for offline "
              "use.\n  Install Node.js/npm (Debian: apt-get install npm) and run "
              "scripts/install_offline_assets.py again;\n  without it the page still works while online.",
              file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    total = 0
    with tempfile.TemporaryDirectory(prefix="liptako-npm-") as work:
        for spec in todo:
            try:
                size = fetch(spec, package_dir(spec, root), Path(work))
            except (RuntimeError, OSError, tarfile.TarError) as e:
                print(f"offline assets: {e}", file=sys.stderr)
                return 1
            total += size
            print(f"offline assets: {spec:45s} {size / 1e6:6.1f} MB")
    wall = time.perf_counter() - t0
    print(f"offline assets: {len(todo)} packages, {total / 1e6:.0f} MB in {wall:.0f} s -> {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
