#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the README's test command and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
# Release mode: the property tests fold about a million records and run four times faster
# optimised. The tests run the built `rocks` and `ledger-soak` executables, so build all first.
swift build -c release --build-tests
swift test -c release --skip-build
# Every fuzz target under libFuzzer and AddressSanitizer, briefly: its committed corpus, then
# random inputs for the rest of the 15 seconds.
bash scripts/fuzz.sh 15
