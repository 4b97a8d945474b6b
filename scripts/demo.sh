#!/usr/bin/env bash
# The demo: evaluate the gold patches (all should resolve) and the empty patches (none should)
# on the demo dataset in instances/demo. Images are built on the first run and reused after.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=(node dist/src/cli/main.js)
jobs=${SWE_HARNESS_JOBS:-2}

echo "== gold predictions =="
"${cli[@]}" evaluate --dataset instances/demo --predictions gold --run-id demo-gold -j "$jobs"
echo
echo "== empty predictions =="
"${cli[@]}" evaluate --dataset instances/demo --predictions empty --run-id demo-empty -j "$jobs"
