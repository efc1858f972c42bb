"""The scenario format: a typed, validated, immutable description of one case.

A scenario names its dates, the states with their figures, the blocs with their members and decision
rules, the treaties with their clauses (as data), the rule parameters, and scheduled events. It is read
from YAML with a safe loader (:func:`load_scenario`), may ``extends:`` another file and override a few
fields, and takes ``--set path=value`` overrides. Any error names the file, the line and the field.

The package, by job (each name below is also importable from ``sim.scenario``, lazily, so that importing
one module does not import the others):

- :mod:`sim.scenario.fields`: :func:`P` (a documented parameter field), :class:`Strict`, :func:`parameter_table`;
- :mod:`sim.scenario.parameters`: the rule parameter sections (what :mod:`sim.rules` imports);
- :mod:`sim.scenario.spec`: states, blocs, treaties, events, armed groups, powers, :class:`Scenario`;
- :mod:`sim.scenario.loading`: YAML with line positions, ``extends:``, validation, :func:`load_scenario`;
- :mod:`sim.scenario.paths`: dotted paths (``--set``, experiments, history, the page's switches);
- :mod:`sim.scenario.checks`: cross-references between the sections;
- :mod:`sim.scenario.errors`: :class:`ScenarioError` and the file:line of a field;
- :mod:`sim.scenario.hashing`: :func:`scenario_hash`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario.errors import Pos, ScenarioError
    from sim.scenario.fields import P, Strict, parameter_table
    from sim.scenario.hashing import scenario_hash
    from sim.scenario.loading import load_raw, load_scenario, read_yaml, scenario_from_dict
    from sim.scenario.parameters import (
        AccordParams,
        AssistanceParams,
        CombatParams,
        CouncilParams,
        CounterTerrorismParams,
        CoupParams,
        InsurgencyParams,
        MembershipParams,
        ModelParams,
        PresenceParams,
        SanctionsParams,
        SupportParams,
    )
    from sim.scenario.paths import apply_overrides, get_path, set_path, with_parameters
    from sim.scenario.spec import (
        AccordSpec,
        ArmedGroupSpec,
        BlocSpec,
        ClauseSpec,
        EventSpec,
        ExternalPowerSpec,
        Lesson,
        Observed,
        Scenario,
        StateSpec,
        TreatySpec,
        TriggerSpec,
    )

_WHERE = {
    **dict.fromkeys(["Pos", "ScenarioError"], "sim.scenario.errors"),
    **dict.fromkeys(["P", "Strict", "parameter_table"], "sim.scenario.fields"),
    "scenario_hash": "sim.scenario.hashing",
    **dict.fromkeys(["load_raw", "load_scenario", "read_yaml", "scenario_from_dict"], "sim.scenario.loading"),
    **dict.fromkeys(["AccordParams", "AssistanceParams", "CombatParams", "CouncilParams", "CounterTerrorismParams",
                     "CoupParams", "InsurgencyParams", "MembershipParams", "ModelParams", "PresenceParams",
                     "SanctionsParams", "SupportParams"], "sim.scenario.parameters"),
    **dict.fromkeys(["apply_overrides", "get_path", "set_path", "with_parameters"], "sim.scenario.paths"),
    **dict.fromkeys(["AccordSpec", "ArmedGroupSpec", "BlocSpec", "ClauseSpec", "EventSpec", "ExternalPowerSpec",
                     "Lesson", "Observed", "Scenario", "StateSpec", "TreatySpec", "TriggerSpec"],
                    "sim.scenario.spec"),
}

__all__ = [
    "AccordParams",
    "AccordSpec",
    "ArmedGroupSpec",
    "AssistanceParams",
    "BlocSpec",
    "ClauseSpec",
    "CombatParams",
    "CouncilParams",
    "CounterTerrorismParams",
    "CoupParams",
    "EventSpec",
    "ExternalPowerSpec",
    "InsurgencyParams",
    "Lesson",
    "MembershipParams",
    "ModelParams",
    "Observed",
    "P",
    "Pos",
    "PresenceParams",
    "SanctionsParams",
    "Scenario",
    "ScenarioError",
    "StateSpec",
    "Strict",
    "SupportParams",
    "TreatySpec",
    "TriggerSpec",
    "apply_overrides",
    "get_path",
    "load_raw",
    "load_scenario",
    "parameter_table",
    "read_yaml",
    "scenario_from_dict",
    "scenario_hash",
    "set_path",
    "with_parameters",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
