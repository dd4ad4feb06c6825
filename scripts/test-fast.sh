#!/usr/bin/env bash
# The fast subset, for the edit-build-test loop: a debug build, no root, no libvirtd. It
# leaves out the tests tagged root, libvirt or slow (Tests/TestSupport/TestScope.swift); the
# README's test command, which CI runs, runs every test. Needs what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
# The tests run the built `rocks` and `ledger-soak` executables, so build everything first.
swift build --build-tests
ROCKS_TESTS=fast swift test --skip-build "$@"
