#!/usr/bin/env bash
# The test command of the README: system packages, then the whole test suite (debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh
swift build --build-tests
swift test --skip-build --parallel
