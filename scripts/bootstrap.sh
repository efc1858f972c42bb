#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv with a Python >= 3.12,
# installing the pinned versions of requirements.lock. Usage: scripts/bootstrap.sh [EXTRAS]
# EXTRAS is a comma-separated list of optional groups from pyproject.toml (e.g. "test,dask,viz").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
extras="${1:-}"

good() {  # prints the interpreter's path if it runs and is >= 3.12
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && echo "$1"
}
find_python() {
  local c
  if [ -n "${PYTHON:-}" ]; then good "$PYTHON" && return 0; fi
  for c in python3.14 python3.13 python3.12 python3 python; do
    command -v "$c" >/dev/null 2>&1 && good "$(command -v "$c")" && return 0
  done
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
  for c in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -V -r); do
    [ -x "$c/bin/python3" ] && good "$c/bin/python3" && return 0
  done
  for c in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && good "$c" && return 0
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! good .venv/bin/python >/dev/null; then
  if ! py="$(find_python)"; then
    cat >&2 <<'MSG'
Liptako needs Python 3.12 or newer, and none was found (tried $PYTHON, python3.14..python3 on PATH,
pyenv's versions and /usr/bin/python3.1x). Install one, then run this command again, e.g.:
  pyenv install 3.12            (https://github.com/pyenv/pyenv)
  uv python install 3.12        (https://docs.astral.sh/uv/)
  apt-get install python3.12 python3.12-venv   (Debian/Ubuntu with 3.12 packaged)
or point PYTHON at one: PYTHON=/path/to/python3.12 make
MSG
    exit 1
  fi
  echo "bootstrap: creating .venv with $py ($("$py" --version 2>&1))" >&2
  rm -rf .venv
  "$py" -m venv .venv
fi

spec="."
[ -n "$extras" ] && spec=".[$extras]"
stamp=".venv/.liptako-installed"
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16) $extras"
if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
  echo "bootstrap: installing pinned dependencies ($spec)" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e "$spec"
  echo "$want" >> "$stamp"
fi

# The instructor's page loads its JavaScript from a CDN; keep a local copy so it works offline.
case ",$extras," in
  *,viz,*) .venv/bin/python scripts/install_offline_assets.py ;;
esac
