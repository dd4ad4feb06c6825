#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the README's test command and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
# Release mode: the property tests fold about a million records and run four times faster
# optimised. The tests run the built `rocks` and `ledger-soak` executables, so build all first.
swift build -c release --build-tests
# The fuzz targets' sanitized build (a build folder of its own) takes the cores the tests leave
# idle while they wait for guests and daemons: at the lowest priority, so the tests keep theirs.
mkdir -p .build-fuzz
setsid nice -n 19 bash scripts/fuzz.sh build > .build-fuzz/build.log 2>&1 &
fuzz_build=$!
trap 'kill -- -$fuzz_build 2>/dev/null || true' EXIT
swift test -c release --skip-build
wait $fuzz_build || { cat .build-fuzz/build.log; exit 1; }
# Every fuzz target under libFuzzer and AddressSanitizer, briefly: its committed corpus, then
# random inputs for the rest of the 15 seconds.
bash scripts/fuzz.sh 15
