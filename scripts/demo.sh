#!/usr/bin/env bash
# `npm run demo`: the demo notebook, headless, on the embedded default (local Zarr store, local
# worker threads). Leaves the executed notebook, the store and the plots in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-python.sh
[[ -x .venv/bin/python ]] && export PATH="$PWD/.venv/bin:$PATH"
npm run --silent build
rm -rf out/demo.zarr out/plots out/demo.ipynb
mkdir -p out
# The kernelspec goes into out/jupyter: the demo touches nothing outside the repository.
node dist/src/cli.js install --prefix out/jupyter >/dev/null
export JUPYTER_PATH="$PWD/out/jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
python3 scripts/run-notebook.py notebooks/demo.ipynb out/demo.ipynb out
echo "out/demo.ipynb (executed), out/demo.zarr (the store), out/plots/*.svg"
