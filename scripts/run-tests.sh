#!/usr/bin/env bash
# Installs what is missing, builds everything (CLI, viewer, tests, benchmarks) and runs every test;
# then builds the core-only configuration (no FFmpeg, OpenCV or Qt: what GPU hosts build, preset
# `core`) and runs its tests, so that configuration cannot silently stop compiling.
# TEAMOR_SKIP_CORE=1 skips the second part.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default
export QT_QPA_PLATFORM=offscreen
ctest --preset default "$@"
if [ "${TEAMOR_SKIP_CORE:-0}" != "1" ]; then
  cmake --preset core
  cmake --build --preset core
  ctest --preset core "$@"
fi
