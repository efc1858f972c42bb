"""Lessons and the counterfactual switches of the instructor's page.

A lesson is a scenario file in ``scenarios/lessons/`` that ``extends:`` a scenario of ``scenarios/`` and
adds a ``lesson: {title, text, questions}`` block (:class:`sim.scenario.Lesson`). The page lists the
lessons by title, then the plain scenarios of ``scenarios/`` by file name.

The switches change the scenario *data* before it is validated, so a switched run is an ordinary
scenario (the same thing ``run.py run --set ...`` would build) and one seed still repeats exactly:

- charter off: drop the Liptako-Gourma Charter and the 31 July 2023 declaration of Mali and Burkina Faso;
- Art. 6 bindingness: ``treaties.liptako_gourma.clauses.art6.bindingness``;
- Nigeria's domestic constraint on war: ``states.NGA.domestic_constraint`` and the value set by the
  Senate's resolution (``events.nigeria_senate.value``);
- France stays: drop the scheduled events that withdraw France's forces or revoke its presence, and
  make its presence irrevocable (``external_powers.france.revocable: false``) so that no host sends it
  away later by the presence rule.

A switch that the lesson gives no hold to (no charter, no Nigeria) changes nothing and says so.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.scenario import Lesson, Scenario, ScenarioError, load_raw, scenario_from_dict
from sim.scenario.paths import set_if_present

__all__ = [
    "ART6_CHOICES",
    "AS_IN_LESSON",
    "NIGERIA_CHOICES",
    "LessonEntry",
    "Switches",
    "apply_switches",
    "build",
    "find_lesson",
    "list_lessons",
    "scenarios_dir",
]

AS_IN_LESSON = "as in the lesson"
# Choices shown on the page, label -> value (None: leave the lesson's own value).
ART6_CHOICES: dict[str, float | None] = {
    AS_IN_LESSON: None,
    "1.0 - a duty to assist, as signed": 1.0,
    "0.6 - a firm promise": 0.6,
    "0.3 - help if it suits them": 0.3,
    "0.0 - no duty at all": 0.0,
}
NIGERIA_CHOICES: dict[str, float | None] = {
    AS_IN_LESSON: None,
    "0.0 - free to go to war": 0.0,
    "0.3 - usual checks": 0.3,
    "0.8 - Senate against force (Aug 2023)": 0.8,
    "1.0 - war ruled out at home": 1.0,
}

# The ids the switches act on (those of scenarios/niger_2023.yaml and of the external powers).
CHARTER_TREATY = "liptako_gourma"
CHARTER_DECLARATION = "declaration_mli_bfa"
NIGERIA = "NGA"
NIGERIA_SENATE_EVENT = "nigeria_senate"
FRANCE = "france"
# Event kinds that end a foreign presence: a withdrawal, or a host revoking its consent.
_PRESENCE_ENDS = re.compile(r"withdraw|revok|revocation|consent|expel|departure", re.IGNORECASE)


def scenarios_dir() -> Path:
    """The project's ``scenarios/`` folder (the page is run from a checkout of the project)."""
    return Path(__file__).resolve().parents[2] / "scenarios"


@dataclass(frozen=True)
class LessonEntry:
    """One choice of the page's picker."""

    title: str
    path: Path
    lesson: Lesson | None  # None for a plain scenario


def _lesson_block(path: Path) -> Lesson | None:
    """The lesson block of one file (read without resolving ``extends:``), or None."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    block = data.get("lesson") if isinstance(data, dict) else None
    if not isinstance(block, dict):
        return None
    try:
        return Lesson.model_validate(block)
    except ValueError:
        return None


SERVED_ENV = "LIPTAKO_SERVE"  # {"scenario": path, "set": [PATH=VALUE ...]}: `run.py serve SCENARIO --set ...`


def served() -> tuple[Path, list[str]] | None:
    """The scenario (and ``--set`` overrides) that ``run.py serve SCENARIO`` opens the page on, if any;
    the command has validated both before the server started."""
    import json
    import os

    try:
        d = json.loads(os.environ.get(SERVED_ENV) or "null")
        return (Path(d["scenario"]), [str(s) for s in d.get("set", [])]) if isinstance(d, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def list_lessons(root: Path | None = None) -> list[LessonEntry]:
    """The picker's choices: every lesson of ``<root>/lessons`` (by file name), then every scenario of
    ``<root>`` titled by its file name. A lesson file without a valid ``lesson:`` block is listed as a
    scenario; its errors show when it is opened. The scenario ``run.py serve`` was given comes first."""
    sv = served() if root is None else None
    root = root or scenarios_dir()
    out: list[LessonEntry] = []
    if sv is not None:
        block = _lesson_block(sv[0])
        out.append(LessonEntry(block.title if block else f"Scenario: {sv[0].name} (as served)", sv[0], block))
    for p in sorted((root / "lessons").glob("*.yaml")):
        if sv is not None and p.resolve() == sv[0]:
            continue  # listed first already
        block = _lesson_block(p)
        out.append(LessonEntry(block.title if block else f"Scenario: lessons/{p.name}", p, block))
    for p in sorted(root.glob("*.yaml")):
        if sv is not None and p.resolve() == sv[0]:
            continue
        out.append(LessonEntry(f"Scenario: {p.name}", p, None))
    return out


def find_lesson(choice: str | Path, root: Path | None = None) -> LessonEntry:
    """A picker entry by title, by file stem, or by path."""
    entries = list_lessons(root)
    for e in entries:
        if choice in (e.title, e.path.stem, e.path.name):
            return e
    p = Path(choice)
    if p.is_file():
        block = _lesson_block(p)
        return LessonEntry(block.title if block else p.name, p, block)
    titles = ", ".join(e.title for e in entries)
    raise ScenarioError([f"{choice}: no such lesson or scenario (choices: {titles})"])


@dataclass(frozen=True)
class Switches:
    """The counterfactual switches, applied when the page is reset.

    Attributes:
        charter: False drops the Liptako-Gourma Charter and the 31 July declaration.
        art6_bindingness: bindingness of charter Art. 6 (0-1); None keeps the lesson's.
        nigeria_constraint: Nigeria's domestic constraint on war (0-1); None keeps the lesson's.
        france_stays: True drops the scheduled events that end France's presence.
    """

    charter: bool = True
    art6_bindingness: float | None = None
    nigeria_constraint: float | None = None
    france_stays: bool = False


@dataclass
class Applied:
    """What the switches did to one lesson: a line per switch that changed something or could not."""

    changed: list[str] = field(default_factory=list)
    no_effect: list[str] = field(default_factory=list)


def _is_france_leaving(ev: Any) -> bool:
    if not isinstance(ev, dict):
        return False
    actors = ev.get("actor")
    actors = actors if isinstance(actors, list) else [actors]
    involves = FRANCE in actors or ev.get("target") == FRANCE
    return involves and bool(_PRESENCE_ENDS.search(str(ev.get("kind", ""))))


def apply_switches(data: dict[str, Any], sw: Switches) -> tuple[dict[str, Any], Applied]:
    """Apply the switches to raw scenario data (``extends:`` already resolved); returns a new dict."""
    out = copy.deepcopy(data)
    done = Applied()
    treaties = out.get("treaties") or {}
    events = out.get("events") or {}
    if not sw.charter:
        had = CHARTER_TREATY in treaties or CHARTER_DECLARATION in events
        treaties.pop(CHARTER_TREATY, None)
        events.pop(CHARTER_DECLARATION, None)
        (done.changed if had else done.no_effect).append(
            "Charter off: the Liptako-Gourma Charter and the 31 July declaration are removed." if had
            else "Charter off: this lesson has no charter to remove.")
    if sw.art6_bindingness is not None:
        if set_if_present(out, f"treaties.{CHARTER_TREATY}.clauses.art6.bindingness", float(sw.art6_bindingness)):
            done.changed.append(f"Charter Art. 6 bindingness set to {sw.art6_bindingness:.1f}.")
        else:
            done.no_effect.append("Art. 6 bindingness: no charter in this run.")
    if sw.nigeria_constraint is not None:
        v = float(sw.nigeria_constraint)
        in_states = set_if_present(out, f"states.{NIGERIA}.domestic_constraint", v)
        in_senate = set_if_present(out, f"events.{NIGERIA_SENATE_EVENT}.value", v)
        touched = in_states or in_senate
        (done.changed if touched else done.no_effect).append(
            f"Nigeria's domestic constraint on war set to {v:.1f}." if touched
            else "Nigeria's constraint: Nigeria is not in this lesson.")
    if sw.france_stays:
        leaving = [eid for eid, ev in events.items() if _is_france_leaving(ev)]
        for eid in leaving:
            events.pop(eid)
        france = (out.get("external_powers") or {}).get(FRANCE)
        if isinstance(france, dict):  # and no host revokes its consent later, by the presence rule
            france["revocable"] = False
        if leaving:
            n = len(leaving)
            done.changed.append(f"France stays: {n} scheduled withdrawal{'s' if n > 1 else ''} or end"
                                f"{'s' if n > 1 else ''} of consent removed; no host can revoke its consent.")
        elif isinstance(france, dict):
            done.changed.append("France stays: no host can revoke its consent.")
        else:
            done.no_effect.append("France stays: France has no forces in this lesson.")
    return out, done


def build(choice: str | Path, sw: Switches = Switches(), root: Path | None = None
          ) -> tuple[Scenario, LessonEntry, Applied]:
    """Load a lesson (or scenario), apply the switches and validate it.

    Raises:
        ScenarioError: naming the file, the line and the field, as for any scenario.
    """
    entry = find_lesson(choice, root)
    data, pos = load_raw(entry.path)
    sv = served()
    if sv is not None and sv[1] and entry.path == sv[0]:  # run.py serve SCENARIO --set ...
        from sim.scenario.paths import apply_overrides

        data = apply_overrides(data, pos, sv[1])
    data, applied = apply_switches(data, sw)
    return scenario_from_dict(data, pos, str(entry.path)), entry, applied
