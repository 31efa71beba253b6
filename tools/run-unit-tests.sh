#!/usr/bin/env bash
# Runs every host unit-test binary, keeps going after a failure, and ends with
# one summary line "unit: N passed, N failed" (binaries, not cases).
set -u
pass=0; fail=0; failed=()
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$(basename "$t")"); fi
done
[ $fail -eq 0 ] || echo "failed: ${failed[*]}"
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
