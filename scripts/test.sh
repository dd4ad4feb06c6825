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
# Swift Testing runs each synchronous test on one of the cooperative pool's threads, one per
# core, and blocks that thread while the test waits. The real-VM suite (LibvirtVMTests) is a
# serial chain that mostly waits for guests, daemons and sshd, so it runs in a process of its
# own and holds neither of the threads the other tests share. The test binary is run directly
# because `swift test` holds the build folder's lock while it runs.
setsid .build/release/rocks-ledgerPackageTests.xctest --testing-library swift-testing \
    --filter LibvirtVMTests > .build/vm-tests.log 2>&1 &
vm_tests=$!
trap 'kill -- -$fuzz_build -$vm_tests 2>/dev/null || true' EXIT
status=0
swift test -c release --skip-build --skip LibvirtVMTests || status=$?
wait $vm_tests || status=$?
echo "--- LibvirtVMTests, run beside the tests above:"
cat .build/vm-tests.log
[ "$status" -eq 0 ] || exit "$status"
wait $fuzz_build || { cat .build-fuzz/build.log; exit 1; }
# Every fuzz target under libFuzzer and AddressSanitizer, briefly: its committed corpus, then
# random inputs for the rest of the 15 seconds.
bash scripts/fuzz.sh 15
