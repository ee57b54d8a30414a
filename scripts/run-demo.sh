#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on embedded defaults: `teamor demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --target teamor
./build/app/teamor demo --out build/demo "$@"
