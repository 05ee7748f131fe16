#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs dependencies, builds, and runs
# every CTest test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j "$jobs"
