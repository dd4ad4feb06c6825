#!/usr/bin/env bash
# Builds every fuzz target with libFuzzer and AddressSanitizer, then runs each for SECONDS
# (default 20), one per core at a time, from its committed corpus in fixtures/fuzz/<target>;
# `fuzz.sh build` only builds. Prints each target's executions, speed, coverage and new
# inputs; exits 1 when a check fails or the sanitizer reports, keeping the input under
# .fuzz-crashes/<target>/ (fix the cause, then commit the input to fixtures/fuzz/<target>/ as
# a regression input). CI runs it briefly; long runs (docs/benchmarks.md) give it more seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
# The backtracer, on a crash inside a sanitized process, hangs for many minutes.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan-suppressions.txt
seconds=${1:-20}
targets=(fuzz-json fuzz-record fuzz-signed-request fuzz-grammar fuzz-names fuzz-note fuzz-proof fuzz-airboss)

# One product at a time (building every product sanitized fails on the executables), in a
# build folder of its own. --sanitize=fuzzer links libFuzzer but, for Swift, adds no coverage
# counters: the -sanitize-coverage flags do, without which libFuzzer runs blind.
flags=(--scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address
       -Xswiftc -DFUZZING -Xswiftc -sanitize-coverage=edge,trace-cmp,pc-table,inline-8bit-counters)
for target in "${targets[@]}"; do
    swift build "${flags[@]}" --product "$target" 2>&1 | grep -v "Cannot export local symbol" | tail -1
done
[ "$seconds" = build ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One target per core at a time: each is a single process and thread.
run() {
    local target=$1
    mkdir -p "$work/$target" ".fuzz-crashes/$target"
    # New inputs go to the scratch corpus, never into fixtures/.
    local code=0
    ".build-fuzz/debug/$target" "$work/$target" "fixtures/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=4096 -max_len=70000 -print_final_stats=1 -artifact_prefix=".fuzz-crashes/$target/" \
        >"$work/$target.log" 2>&1 || code=$?
    echo "$code" > "$work/$target.code"
}
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
    run "$target" &
done
wait
status=0
printf '%-20s %12s %10s %6s %6s %s\n' target executions exec/s cov new result
for target in "${targets[@]}"; do
    code=$(cat "$work/$target.code")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$target.log")
    cov=$(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -1 | cut -d' ' -f2)
    new=$(sed -n 's/^stat::new_units_added: *//p' "$work/$target.log")
    result=ok
    if [ "$code" -ne 0 ]; then
        result="FAILED (exit $code; input in .fuzz-crashes/$target/)"
        grep -E "fuzz check failed|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY" "$work/$target.log" | head -5 >&2 || true
        status=1
    fi
    printf '%-20s %12s %10s %6s %6s %s\n' "$target" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${new:-?}" "$result"
done
exit $status
