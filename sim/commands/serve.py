"""``run.py serve``: the instructor's page in the browser (Mesa SolaraViz, served by Solara).

Listens on localhost by default. The page's JavaScript and CSS come from the local copy that the
install put in Solara's CDN cache (scripts/install_offline_assets.py), so a classroom needs no internet.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8765
DEFAULT_HOST = "127.0.0.1"
APP = "sim.viz.app"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="start the instructor's page in the browser",
        description="Start the instructor's page (lessons, map, alliances, escalation ladder, event feed) "
        "and print its address. Open that address in a browser; stop with Ctrl+C.",
    )
    p.add_argument("scenario", nargs="?", default=None,
                   help="open the page on this scenario or lesson file (default: the first lesson)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field of that scenario, as for run (repeatable)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port (default {DEFAULT_PORT}; 0 = any free port)")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}, this computer only; "
                   "0.0.0.0 lets other computers of the room connect)")


def _check_scenario(args: argparse.Namespace) -> dict[str, Any] | None:
    """Validate the scenario the page opens on with its ``--set`` overrides (as ``run`` would), so that a
    bad file or value is an error now and not in the browser; returns what the page is told."""
    from sim.scenario import load_scenario

    if args.scenario is None and not args.set:
        return None
    path = args.scenario
    if path is None:  # --set alone: the first lesson, which the page opens on
        from sim.viz.lessons import list_lessons

        path = str(list_lessons()[0].path)
    load_scenario(path, args.set)
    return {"scenario": str(Path(path).resolve()), "set": list(args.set)}


def main(args: argparse.Namespace) -> int:
    import errno
    import importlib.util
    import json
    import os
    import socket
    import sys

    from sim.viz.lessons import SERVED_ENV

    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port}: must be between 0 and 65535", file=sys.stderr)
        return 2
    served = _check_scenario(args)  # ScenarioError -> file:line: field, exit 2, before any server starts
    if importlib.util.find_spec("solara") is None:  # found, not imported: its settings come from os.environ
        print("error: the page needs the viz extra: run `make serve` or scripts/bootstrap.sh viz",
              file=sys.stderr)
        return 2

    from sim.viz.assets import cache_dir, missing_packages, server_env

    missing = missing_packages()
    if missing:
        print(f"warning: {len(missing)} browser packages are not stored locally ({', '.join(missing)}); "
              "the page needs internet until you run scripts/install_offline_assets.py", file=sys.stderr)
    port = args.port
    try:
        family = socket.getaddrinfo(args.host, port, type=socket.SOCK_STREAM)[0][0]
    except (OSError, UnicodeError) as e:
        print(f"error: --host {args.host}: not an address of this computer ({getattr(e, 'strerror', e)}); "
              f"use {DEFAULT_HOST} or 0.0.0.0", file=sys.stderr)
        return 2
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((args.host, port))
        except OSError as e:
            flag = f"--host {args.host}" if e.errno == errno.EADDRNOTAVAIL else f"--port {port}"
            hint = f"; try --port {port + 1}" if port and e.errno == errno.EADDRINUSE else ""
            print(f"error: {flag}: cannot listen on {args.host}:{port}: {e.strerror}{hint}", file=sys.stderr)
            return 2
        port = s.getsockname()[1]
    # Solara reads its settings from the environment when it is imported (below, by its command line).
    os.environ.update(server_env(cache_dir()))
    if served is not None:
        os.environ[SERVED_ENV] = json.dumps(served)
    print(f"Liptako instructor's page: http://{args.host}:{port}/   (stop with Ctrl+C)", flush=True)

    from solara.__main__ import cli as solara_cli  # Solara's own `solara run` command line

    argv = ["run", APP, "--host", args.host, "--port", str(port), "--production", "--no-open",
            "--no-check-version", "--log-level", "warning"]
    try:
        solara_cli(argv, standalone_mode=False)
    except SystemExit as e:  # uvicorn exits through sys.exit on a failed start
        return int(e.code or 0)
    return 0
