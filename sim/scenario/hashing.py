"""A scenario's identity: the hash that run manifests, sweeps and lock files record."""

from __future__ import annotations

import hashlib
import json

from sim.scenario.spec import Scenario

__all__ = ["scenario_hash"]


def scenario_hash(s: Scenario) -> str:
    """A stable hash of the validated scenario (sha256 of its canonical JSON)."""
    text = json.dumps(s.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
