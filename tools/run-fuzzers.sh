#!/usr/bin/env bash
# run-fuzzers.sh SECONDS WORKDIR FUZZER...: each fuzzer for SECONDS from tests/fuzz/corpus/NAME
# (copied, so the repository is not changed), fixed seed; prints executions; fails on any finding.
set -u
secs=$1; work=$2; shift 2
fail=0
for f in "$@"; do
	name=$(basename "$f"); name=${name#fuzz_}
	corpus="$work/corpus-$name"; crashes="$work/crashes-$name"
	rm -rf "$corpus"; mkdir -p "$corpus" "$crashes"
	cp tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	log="$work/$name.log"
	if "$f" -seed=1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" \
		"$corpus" >"$log" 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}')
		[ -n "$execs" ] || execs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
		echo "fuzz $name: ok, $execs executions in ${secs}s"
	else
		fail=1
		echo "fuzz $name: FINDING (see $log, input in $crashes/)"
		tail -30 "$log"
	fi
done
exit $fail
