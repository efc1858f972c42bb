"""The parallel entry points work from a plain script without ``if __name__ == "__main__":`` (workers
started by a fork server do not run the script again), and README's Python example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_plain_script_with_jobs_runs_its_body_once(tmp_path: Path) -> None:
    script = tmp_path / "plain.py"
    script.write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(2,), daemon=True).start()  # a thread: no plain fork\n"
        "import sim\n"
        f"s = sim.load_scenario({str(ROOT / 'scenarios' / 'niger_2023.yaml')!r})\n"
        "print('body')\n"
        "ens = sim.run_ensemble(s, replicates=4, seed=7, jobs=2)\n"
        "print('runs', len(ens.outcomes))\n")
    res = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("body") == 1 and res.stdout.count("runs 4") == 1, res.stdout


def test_readme_python_example_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has a Python example"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")  # the example's relative paths, outside the repo
    res = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert re.search(r"P\(intervention\) = [\d.]+% \[[\d.]+%, [\d.]+%\]", res.stdout), res.stdout
    assert (tmp_path / "results" / "example" / "outcomes.png").stat().st_size > 5000
