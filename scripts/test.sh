#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the README's test command and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
# The tests run the built `rocks` and `ledger-soak` executables, so build everything first.
swift build --build-tests
swift test
