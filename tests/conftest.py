"""Shared fixtures: paths and loaded scenarios."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def baseline():
    from sim.scenario import load_scenario

    return load_scenario(SCENARIOS / "niger_2023.yaml")


def run_cli(*args: str, cwd: Path = ROOT):
    """Run ``python run.py ARGS`` in a subprocess; returns the CompletedProcess."""
    import subprocess

    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)
