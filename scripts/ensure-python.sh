#!/usr/bin/env bash
# Makes the Python references of requirements.txt importable, for the comparison tests and
# benchmarks. Quick when they already are (one interpreter start). Uses, in this order:
# $ZHIST_PYTHON, the project's .venv if present, python3; where python3 refuses pip installs
# (Debian's own Python is "externally managed"), it makes .venv, which test/helpers/python.ts
# then prefers.
set -euo pipefail
cd "$(dirname "$0")/.."

# Exit 0 when every pinned package is importable at exactly its pinned version.
satisfied() {
  "$1" - requirements.txt <<'PY' 2>/dev/null
import sys, importlib.metadata as md
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, version = line.partition("==")
    if md.version(name) != version:
        sys.exit(1)
import boost_histogram, hist, zarr, uhi, numpy
PY
}

install_into() {
  echo "ensure-python: installing requirements.txt with $1" >&2
  "$1" -m pip install --disable-pip-version-check --no-input -q -r requirements.txt
}

if [[ -n "${ZHIST_PYTHON:-}" ]]; then
  satisfied "$ZHIST_PYTHON" || install_into "$ZHIST_PYTHON"
  exit 0
fi
if [[ -x .venv/bin/python ]]; then
  satisfied .venv/bin/python || install_into .venv/bin/python
  exit 0
fi
if satisfied python3; then
  exit 0
fi
if ! install_into python3; then
  echo "ensure-python: python3 refused the install; using a virtual environment in .venv" >&2
  python3 -m venv .venv
  install_into .venv/bin/python
fi
satisfied "${ZHIST_PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3 )}" || {
  echo "ensure-python: the references still do not import at the pinned versions" >&2
  exit 1
}
