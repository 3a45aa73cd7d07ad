#!/usr/bin/env bash
# Runs the libFuzzer targets built in build/fuzz/ (make fuzz-build):
#   tests/fuzz/run.sh [--seconds N] [--corpus DIR] [NAME...]
# Each target (all of them, or the NAMEs given: idcard, import, ...) first runs every
# input of its seeds (tests/fuzz/corpus/NAME/) and saved regressions
# (tests/fuzz/regressions/NAME/), then mutates them for N seconds (default 60). New
# interesting inputs go to DIR/NAME (default build/fuzz/corpus/NAME, kept between runs);
# a crash, leak, UB report, timeout (10 s) or broken invariant saves its input as
# build/fuzz/crashes/NAME/crash-* (leak-*, timeout-*). Prints one line per target:
# executions, executions per second, coverage (edges, features), corpus size, result.
# Exit status 0 only when every target ran and found nothing.
set -u -o pipefail

cd "$(dirname "$0")/../.." || exit 1
SECONDS_EACH=60
CORPUS=build/fuzz/corpus
NAMES=()
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) SECONDS_EACH=$2; shift 2 ;;
	--corpus) CORPUS=$2; shift 2 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) NAMES+=("$1"); shift ;;
	esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
	for b in build/fuzz/fuzz_*; do
		[ -x "$b" ] && [ -f "$b" ] && NAMES+=("${b#build/fuzz/fuzz_}")
	done
fi
if [ ${#NAMES[@]} -eq 0 ]; then
	echo "run.sh: no targets in build/fuzz/ (make fuzz-build)" >&2
	exit 1
fi

# Inputs larger than this are not tried (a CSV file gets more room than a token).
max_len() {
	case "$1" in
	import) echo 16384 ;;
	json | form) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '%-8s %7s %12s %9s %7s %7s %7s  %s\n' target seconds execs exec/s cov ft corpus result
for name in "${NAMES[@]}"; do
	bin=build/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		printf '%-8s %s\n' "$name" "FAIL: no $bin"
		failed=1
		continue
	fi
	work=$CORPUS/$name crashes=build/fuzz/crashes/$name log=$CORPUS/$name.log
	mkdir -p "$work" "$crashes"
	dirs=("$work" "tests/fuzz/corpus/$name")
	[ -d "tests/fuzz/regressions/$name" ] && dirs+=("tests/fuzz/regressions/$name")
	start=$SECONDS
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$name")" -print_final_stats=1 -artifact_prefix="$crashes/" \
		"${dirs[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		failed=1
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		result="FAIL (status $rc${artifact:+, input $artifact}; log $log)"
	fi
	printf '%-8s %7s %12s %9s %7s %7s %7s  %s\n' "$name" "$((SECONDS - start))" "${execs:-?}" \
		"${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|invariant failed|runtime error' "$log" | head -n 5 | sed 's/^/    /'
	fi
done
exit "$failed"
