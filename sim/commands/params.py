"""``run.py params``: every rule and state parameter with its unit, bounds, default and source."""

from __future__ import annotations

import argparse

SOURCES_NOTE = ("Sources: docs/sources.md (\"FACTS §N [KEY]\" = its section N and key KEY; "
                "\"assumption\" = no source pins the number down).")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("params", help="list every parameter with unit, bounds, default and source",
                       description="List the documented parameters of the scenario format: default, unit, "
                       "bounds (what validation accepts) and source (cited from docs/sources.md).")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")


def main(args: argparse.Namespace) -> int:
    from sim.api import parameter_rows

    rows = parameter_rows()
    if args.markdown:
        print("| parameter | default | unit | bounds | source | meaning |\n|---|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r['path']}` | {r['default']} | {r['unit']} | {r.get('bounds', '')} | {r['source']} | "
                  f"{r['description']} |")
        print(f"\n{SOURCES_NOTE}")
    else:
        print(f"{'parameter':<48} {'default':<16} {'bounds':<14} [unit]  source")
        for r in rows:
            print(f"{r['path']:<48} {r['default']!s:<16} {r.get('bounds', '') or '-':<14} [{r['unit']}]  {r['source']}")
        print(SOURCES_NOTE)
    return 0
