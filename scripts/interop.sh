#!/usr/bin/env bash
# Installs the outside tools that the interop tests drive, so that they check our output against
# implementations we did not write:
# - the official AsyncAPI parser and playwright-core (npm, pinned in scripts/interop/package-lock.json),
#   into scripts/interop/node_modules;
# - the CloudEvents SDK for Python (PyPI, pinned in scripts/interop/requirements.txt), into the
#   virtual environment scripts/interop/.venv;
# - Debian's Chromium, which playwright-core drives headless (/usr/bin/chromium).
# The tests never skip when one is missing: they fail and point here. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/interop"

need() { command -v "$1" >/dev/null 2>&1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need node && need npm || apt_install nodejs npm
# playwright-core 1.65 needs Node.js 20 or newer (Debian 12's own nodejs package is 18).
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old: playwright-core needs Node.js 20 or newer;" \
    "install Node.js 20 (for example from nodejs.org or NodeSource) and run this again" >&2
  exit 1
fi
# node_modules/.installed-from is the lock file the installed tree came from.
if ! cmp -s package-lock.json node_modules/.installed-from; then
  echo "interop: npm ci (AsyncAPI parser, playwright-core)"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json node_modules/.installed-from
fi
node -e 'import("@asyncapi/parser").then(() => import("playwright-core"))' \
  || { echo "error: the npm tools in scripts/interop do not load" >&2; exit 1; }

need python3 || apt_install python3
# Debian splits venv and ensurepip into python3-venv; without them `venv` fails half-way.
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  echo "interop: python virtual environment"
  rm -rf .venv
  python3 -m venv .venv || { rm -rf .venv; echo "error: python3 -m venv failed" >&2; exit 1; }
fi
if ! .venv/bin/python -c 'import cloudevents' 2>/dev/null \
  || ! .venv/bin/python -m pip freeze 2>/dev/null | grep -qxF -f <(grep -v '^#' requirements.txt); then
  echo "interop: pip install -r requirements.txt (CloudEvents SDK)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi

[ -x /usr/bin/chromium ] || { echo "interop: apt-get install chromium"; apt_install chromium; }
/usr/bin/chromium --version >/dev/null 2>&1 \
  || { echo "error: /usr/bin/chromium does not run" >&2; exit 1; }
echo "interop: AsyncAPI parser, playwright-core, CloudEvents SDK for Python and Chromium ready"
