"""The bibliography is in the repository: every source key cited by a parameter, a scenario or the code is
in docs/sources.md, and `run.py params` shows bounds and points to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r"FACTS §\d[^\n\"']*?\[([A-Z0-9][A-Z0-9, /]*)\]")


def _listed() -> set[str]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| (\S+) \| ", text, flags=re.M)) - {"key"}


def test_every_cited_key_is_in_the_bibliography() -> None:
    listed = _listed()
    assert len(listed) > 80
    cited: dict[str, str] = {}
    files = [*(ROOT / "sim").rglob("*.py"), *(ROOT / "scenarios").rglob("*.yaml")]
    for f in files:
        for grp in KEY.findall(f.read_text(encoding="utf-8")):
            for k in re.split(r"[,/ ]+", grp):
                if k:
                    cited.setdefault(k, str(f.relative_to(ROOT)))
    assert cited, "the parameters cite sources"
    missing = {k: f for k, f in cited.items() if k not in listed}
    assert missing == {}


def test_params_prints_bounds_and_cites_the_bibliography(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["params"]) == 0
    out = capsys.readouterr().out
    assert "bounds" in out.splitlines()[0] and "docs/sources.md" in out
    line = next(x for x in out.splitlines() if x.startswith("parameters.assistance.ref_bindingness "))
    assert "[0, 1]" in line
    assert cli_main(["params", "--markdown"]) == 0
    assert "| bounds |" in capsys.readouterr().out
