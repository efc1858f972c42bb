"""Which browser assets the instructor's page needs, and where they are kept for offline use.

Solara loads its JavaScript and CSS (the Vuetify app, RequireJS, Font Awesome, the grid layout,
Vega, KaTeX, Mermaid) from a public CDN through a local proxy cache. With no internet and an empty
cache the page stays blank. ``scripts/install_offline_assets.py`` fills the cache at install time
with the npm packages listed here; ``run.py serve`` points Solara at the same directory.

This module only reads: it lists the packages the installed Solara asks for and checks the cache.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir", "missing_packages", "required_packages", "server_env"]

CACHE_ENV = "SOLARA_ASSETS_PROXY_CACHE_DIR"

# A CDN reference in Solara's templates and Vue components: "{{cdn}}/@scope/name@version/..."
# or "${this.getCdn()}/name@version/...". The version may be a range such as "5" (vega@5).
_CDN_REF = re.compile(r"(?:\{\{ ?cdn ?\}\}|getCdn\(\)\})/((?:@[a-z0-9._-]+/)?[a-z0-9._-]+@[0-9][a-z0-9._-]*)")
_SCANNED = (".py", ".vue", ".js", ".j2", ".html")
# Font Awesome is named by a setting, not in a template (solara.server.settings.Assets.fontawesome_path).
_FONTAWESOME = re.compile(r'fontawesome_path: str = "/([^/"]+@[^/"]+)/')


def _solara_dir() -> Path:
    spec = importlib.util.find_spec("solara")
    if spec is None or spec.origin is None:
        raise RuntimeError("solara is not installed: install the viz extra (scripts/bootstrap.sh viz)")
    return Path(spec.origin).parent


def required_packages(solara_dir: Path | None = None) -> list[str]:
    """The npm package specs (``name@version``) the installed Solara loads from its CDN, sorted.

    Found by reading Solara's own files, so that a Solara upgrade brings its new versions along.
    Its documentation website (``solara/website``) is not part of a served app and is skipped.
    """
    root = solara_dir or _solara_dir()
    found: set[str] = set()
    for path in root.rglob("*"):
        if path.suffix not in _SCANNED or "website" in path.relative_to(root).parts:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="ignore")
        except OSError:
            continue
        found.update(_CDN_REF.findall(text))
        if path.name == "settings.py":
            found.update(_FONTAWESOME.findall(text))
    return sorted(found)


def cache_dir() -> Path:
    """Solara's CDN proxy cache: ``$SOLARA_ASSETS_PROXY_CACHE_DIR`` if set, else ``<venv>/share/solara/cdn``
    (Solara's own default inside the virtual environment, which git ignores)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(sys.prefix) / "share" / "solara" / "cdn"


def package_dir(spec: str, root: Path | None = None) -> Path:
    """Where one package is unpacked: Solara asks for ``<cache>/<name>@<version>/<file>``."""
    return (root or cache_dir()) / spec


def missing_packages(root: Path | None = None, specs: list[str] | None = None) -> list[str]:
    """Required packages that are not (completely) in the cache."""
    specs = required_packages() if specs is None else specs
    return [s for s in specs if not (package_dir(s, root) / "package.json").is_file()]


def server_env(root: Path | None = None) -> dict[str, str]:
    """Environment for the Solara server: serve assets from the local cache, send no telemetry, show no badge."""
    return {
        CACHE_ENV: str(root or cache_dir()),
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_THEME_SHOW_BANNER": "false",  # no "This website runs on Solara" over the panels
    }
