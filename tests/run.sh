#!/usr/bin/env bash
# The whole test run, as `make test` starts it after building check-build:
#   unit   cmocka binaries build/tests/test_* (not test_store*) and build/asan/tests/test_*
#   fuzz   each libFuzzer target build/fuzz/fuzz_* for FUZZ_TEST_SECONDS (after its seeds
#          and saved regressions, tests/fuzz/): one pass or one failure per target
#   pg     a throwaway PostgreSQL cluster (scripts/pg-temp.sh), stopped on exit
#   store  build/tests/test_store* once on SQLite and once on PostgreSQL
#   npm    node_modules for the Node tests (npm ci when playwright-core is missing)
#   http   node --test tests/http/ against build/asan/jiazheng, on SQLite and on PostgreSQL
#   e2e    node --test tests/e2e/ (Chromium via playwright-core) against build/jiazheng
# Each suite prints its output; the run ends with one line "N passed, N failed".
# Exit status is 0 only when nothing failed and every suite that has tests ran.
set -u -o pipefail

cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

export CMOCKA_MESSAGE_OUTPUT=stdout
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

UNIT_TIMEOUT=600  # seconds for one cmocka binary
NODE_TIMEOUT=2400 # seconds for one node --test run
TEST_TIMEOUT=300000 # milliseconds for one node test
FUZZ_TEST_SECONDS=${FUZZ_TEST_SECONDS:-3} # of mutation per fuzz target (make fuzz runs long)

PASSED=0
FAILED=0
TMP=$(mktemp -d -t jz-test.XXXXXX) || exit 1
PG_DIR=""
JZ_PG_URL=""

cleanup() {
	if [ -n "$PG_DIR" ]; then
		sh "$ROOT/scripts/pg-temp.sh" stop "$PG_DIR" || true
	fi
	rm -rf "$TMP"
}
# Commands run in the background and are waited for, so that INT and TERM reach
# the traps at once (bash defers traps while a foreground command runs, and
# skips the INT trap when the command exits normally on SIGINT, as node does).
CHILD=""
on_signal() {
	echo "run.sh: $1, stopping" >&2
	if [ -n "$CHILD" ]; then
		kill -TERM "$CHILD" 2>/dev/null
		wait "$CHILD" 2>/dev/null
	fi
	exit "$2"
}
trap cleanup EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM

# waited LIMIT CMD...: runs CMD with stdin closed and a time limit in seconds
# (timeout puts it in its own process group; a signal to us stops it via the trap).
waited() {
	local limit=$1 rc
	shift
	timeout -k 10 "$limit" "$@" </dev/null &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	CHILD=""
	return "$rc"
}

header() {
	printf '\n======== %s ========\n' "$*"
}

# count SUITE PASSED FAILED: adds to the totals and prints the suite's tally.
count() {
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	printf -- '---- %s: passed %d, failed %d\n' "$1" "$2" "$3"
}

# A suite that has tests but could not run counts as one failure.
could_not_run() {
	echo "**** $1 could not run: $2"
	count "$1" 0 1
}

# run_cmocka NAME CMD...: runs one cmocka program and counts its summary lines.
run_cmocka() {
	local name=$1 out rc p f
	shift
	header "$name"
	out="$TMP/cmocka.out"
	waited "$UNIT_TIMEOUT" "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	[ "$rc" -ne 124 ] || echo "**** $name timed out after $UNIT_TIMEOUT s"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\.$/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:$/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "**** $name exited with status $rc without reporting a failed test (crash?)"
		f=1
	elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "**** $name printed no cmocka summary"
		f=1
	fi
	count "$name" "$p" "$f"
}

# run_node NAME DIR [VAR=VALUE...]: node --test on DIR with the environment given,
# spec output on the terminal, TAP to a file for counting.
run_node() {
	local name=$1 dir=$2 tap rc p f c
	shift 2
	header "$name"
	tap="$TMP/$(echo "$name" | tr -c 'A-Za-z0-9\n' '_').tap"
	waited "$NODE_TIMEOUT" env "$@" node --test --test-timeout="$TEST_TIMEOUT" \
		--test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$tap" \
		"$dir/" 2>&1
	rc=$?
	[ "$rc" -ne 124 ] || echo "**** $name timed out after $NODE_TIMEOUT s"
	p=$(grep -E '^# pass [0-9]+$' "$tap" 2>/dev/null | tail -n 1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+$' "$tap" 2>/dev/null | tail -n 1 | awk '{print $3}')
	c=$(grep -E '^# cancelled [0-9]+$' "$tap" 2>/dev/null | tail -n 1 | awk '{print $3}')
	p=${p:-0} f=$((${f:-0} + ${c:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# e.g. a failing before/after hook: TAP says "not ok" for the suite but "# fail 0".
		echo "**** $name: node --test exited with status $rc"
		grep -E '^ *not ok ' "$tap" 2>/dev/null
		f=1
	fi
	count "$name" "$p" "$f"
}

has_node_tests() {
	compgen -G "$1/*.test.mjs" >/dev/null
}

# ---- unit ----
unit_ran=0
for t in build/tests/test_* build/asan/tests/test_*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	case "$t" in build/tests/test_store*) continue ;; esac
	run_cmocka "unit $t" "./$t"
	unit_ran=1
done
[ "$unit_ran" -eq 1 ] || { header "unit"; echo "(no unit test binaries yet; skipped)"; }

# ---- fuzz ----
header "fuzz"
fuzz_p=0 fuzz_f=0 fuzz_ran=0
for t in build/fuzz/fuzz_*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	fuzz_ran=1
	# A fresh corpus each time: the seeds and regressions are replayed, then mutated.
	if waited 120 bash tests/fuzz/run.sh --seconds "$FUZZ_TEST_SECONDS" --corpus "$TMP/fuzz" \
		"${t#build/fuzz/fuzz_}" 2>&1; then
		fuzz_p=$((fuzz_p + 1))
	else
		fuzz_f=$((fuzz_f + 1))
	fi
done
if [ "$fuzz_ran" -eq 1 ]; then
	count "fuzz" "$fuzz_p" "$fuzz_f"
elif compgen -G "tests/fuzz/fuzz_*.c" >/dev/null; then
	could_not_run "fuzz" "no targets in build/fuzz/ (make fuzz-build)"
fi

# ---- PostgreSQL ----
STORE_BINS=()
for t in build/tests/test_store*; do
	[ -f "$t" ] && [ -x "$t" ] && STORE_BINS+=("$t")
done
header "PostgreSQL"
if [ ${#STORE_BINS[@]} -eq 0 ] && ! has_node_tests tests/http; then
	echo "(no store or HTTP tests yet; not started)"
else
	PG_DIR=$(mktemp -d -t jz-pg.XXXXXX) || exit 1
	start=$SECONDS
	if JZ_PG_URL=$(sh scripts/pg-temp.sh start "$PG_DIR"); then
		export JZ_PG_URL
		echo "started $JZ_PG_URL in $((SECONDS - start)) s"
	else
		JZ_PG_URL=""
		could_not_run "PostgreSQL" "scripts/pg-temp.sh start failed"
	fi
fi

# create_pg_db NAME: creates database NAME on the temp cluster and prints its URL.
create_pg_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$JZ_PG_URL" -c "CREATE DATABASE $1" >/dev/null &&
		echo "${JZ_PG_URL%/*}/$1"
}

# ---- store ----
if [ ${#STORE_BINS[@]} -eq 0 ]; then
	header "store"
	echo "(no store test binaries yet; skipped)"
fi
n=0
for t in "${STORE_BINS[@]}"; do
	n=$((n + 1))
	run_cmocka "store $t (sqlite)" env JZ_TEST_DB="$TMP/store_$n.db" "./$t"
	if [ -z "$JZ_PG_URL" ]; then
		header "store $t (pg)"
		could_not_run "store $t (pg)" "no PostgreSQL"
	elif url=$(create_pg_db "jiazheng_store_$n"); then
		run_cmocka "store $t (pg)" env JZ_TEST_DB="$url" "./$t"
	else
		header "store $t (pg)"
		could_not_run "store $t (pg)" "could not create database jiazheng_store_$n"
	fi
done

# ---- npm ----
NODE_OK=1
if has_node_tests tests/http || has_node_tests tests/e2e; then
	header "npm"
	if [ -d node_modules/playwright-core ]; then
		echo "node_modules up to date"
	else
		if [ -f package-lock.json ]; then cmd=(npm ci); else cmd=(npm install); fi
		if out=$("${cmd[@]}" --no-audit --no-fund --loglevel=error </dev/null 2>&1); then
			echo "${cmd[*]}: ok"
		else
			printf '%s\n' "$out"
			NODE_OK=0
			could_not_run "npm" "${cmd[*]} failed"
		fi
	fi
fi

# ---- http ----
if ! has_node_tests tests/http; then
	header "http"
	echo "(no tests/http/*.test.mjs yet; skipped)"
elif [ "$NODE_OK" -eq 0 ]; then
	header "http"
	could_not_run "http" "no node_modules"
else
	run_node "http (sqlite)" tests/http JZ_BIN=build/asan/jiazheng JZ_DB_KIND=sqlite
	if [ -n "$JZ_PG_URL" ]; then
		run_node "http (pg)" tests/http JZ_BIN=build/asan/jiazheng JZ_DB_KIND=pg JZ_PG_URL="$JZ_PG_URL"
	else
		header "http (pg)"
		could_not_run "http (pg)" "no PostgreSQL"
	fi
fi

# ---- e2e ----
if ! has_node_tests tests/e2e; then
	header "e2e"
	echo "(no tests/e2e/*.test.mjs yet; skipped)"
elif [ "$NODE_OK" -eq 0 ]; then
	header "e2e"
	could_not_run "e2e" "no node_modules"
else
	run_node "e2e" tests/e2e JZ_BIN=build/jiazheng JZ_DB_KIND=sqlite CHROMIUM=/usr/bin/chromium
fi

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
