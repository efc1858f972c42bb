"""``run.py serve``: the instructor's page in the browser (Mesa SolaraViz, served by Solara).

Listens on localhost by default. The page's JavaScript and CSS come from the local copy that the
install put in Solara's CDN cache (scripts/install_offline_assets.py), so a classroom needs no internet.
"""

from __future__ import annotations

import argparse

DEFAULT_PORT = 8765
DEFAULT_HOST = "127.0.0.1"
APP = "sim.viz.app"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="start the instructor's page in the browser",
        description="Start the instructor's page (lessons, map, alliances, escalation ladder, event feed) "
        "and print its address. Open that address in a browser; stop with Ctrl+C.",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port (default {DEFAULT_PORT}; 0 = any free port)")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}, this computer only; "
                   "0.0.0.0 lets other computers of the room connect)")


def main(args: argparse.Namespace) -> int:
    import importlib.util
    import os
    import socket
    import sys

    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port}: must be between 0 and 65535", file=sys.stderr)
        return 2
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
    if port == 0:
        with socket.socket() as s:
            s.bind((args.host, 0))
            port = s.getsockname()[1]
    else:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((args.host, port))
            except OSError as e:
                print(f"error: cannot listen on {args.host}:{port}: {e.strerror}; try --port {port + 1}",
                      file=sys.stderr)
                return 2
    # Solara reads its settings from the environment when it is imported (below, by its command line).
    os.environ.update(server_env(cache_dir()))
    print(f"Liptako instructor's page: http://{args.host}:{port}/   (stop with Ctrl+C)", flush=True)

    from solara.__main__ import cli as solara_cli  # Solara's own `solara run` command line

    argv = ["run", APP, "--host", args.host, "--port", str(port), "--production", "--no-open",
            "--no-check-version", "--log-level", "warning"]
    try:
        solara_cli(argv, standalone_mode=False)
    except SystemExit as e:  # uvicorn exits through sys.exit on a failed start
        return int(e.code or 0)
    return 0
