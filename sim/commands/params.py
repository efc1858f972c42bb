"""``run.py params``: every rule and state parameter with its unit, default and source."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("params", help="list every parameter with unit, default and source",
                       description="List the documented parameters of the scenario format.")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")


def main(args: argparse.Namespace) -> int:
    from sim.api import parameter_rows

    rows = parameter_rows()
    if args.markdown:
        print("| parameter | default | unit | source | meaning |\n|---|---|---|---|---|")
        for r in rows:
            print(f"| `{r['path']}` | {r['default']} | {r['unit']} | {r['source']} | {r['description']} |")
    else:
        for r in rows:
            print(f"{r['path']:<48} {r['default']!s:<24} [{r['unit']}]  {r['source']}")
    return 0
