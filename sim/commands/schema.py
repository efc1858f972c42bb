"""``run.py schema``: print the JSON Schema of the scenario format (for editors)."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("schema", help="print the scenario format's JSON Schema",
                   description="Print the JSON Schema of the scenario format; scenarios/schema.json is this output.")


def scenario_schema_text() -> str:
    from sim.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Liptako scenario"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main(args: argparse.Namespace) -> int:
    print(scenario_schema_text(), end="")
    return 0
