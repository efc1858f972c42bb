#!/usr/bin/env bash
# System packages the test suite needs beyond Python's: Debian's Chromium (the real-browser test of the
# instructor's page drives /usr/bin/chromium; Playwright's own browser download does not work offline) and
# npm (scripts/install_offline_assets.py stores the page's JavaScript with `npm pack`).
# Installs what is missing with apt-get when run as root; otherwise says exactly what to run and exits 1.
# Usage: scripts/system_deps.sh        (called by `make test`)
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
system_deps: the tests need ${missing[*]} and this user cannot install them (not root, or no apt-get).
Install them once, then run \`make test\` again:
  sudo apt-get update && sudo apt-get install -y chromium     (Debian/Ubuntu; the browser test uses /usr/bin/chromium)
  npm comes with Node.js (https://nodejs.org, or \`sudo apt-get install -y npm\` where Node.js is not installed)
MSG
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system_deps: installing ${missing[*]} with apt-get (once; about 1-2 minutes)" >&2
apt-get update -qq
# One package per call: Debian's npm conflicts with a Node.js that already ships npm, and installing both in one
# transaction fails with "held broken packages" (ENVIRONMENT.md).
for pkg in "${missing[@]}"; do
  apt-get install -y -qq "$pkg" >/dev/null || { echo "system_deps: could not install $pkg with apt-get" >&2; exit 1; }
done
