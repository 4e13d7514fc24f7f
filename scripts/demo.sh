#!/usr/bin/env bash
# `npm run demo`: build, then run the end-to-end demo (bench/demo.ts) from the project root.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
node dist/bench/demo.js "$@"
