#!/usr/bin/env bash
# `make security-scan`: sqlmap against every declared parameter and path segment of every
# route (scripts/security-scan.mjs), on SQLite and then on PostgreSQL (a throwaway cluster
# from scripts/pg-temp.sh). Output under build/security-scan/DATE-TIME/KIND/, the summary
# of each kind in KIND.txt beside it. Exit status 1 when any kind found a problem.
#   SCAN_KINDS="sqlite pg"  which backends (default both)
#   LEVEL, RISK, JOBS, ONLY passed on as --level, --risk, --jobs, --only
set -u -o pipefail

cd "$(dirname "$0")/.." || exit 1
[ -x "${JZ_BIN:-build/jiazheng}" ] || { echo "security-scan: build ${JZ_BIN:-build/jiazheng} first (make)" >&2; exit 1; }
command -v sqlmap >/dev/null || { echo "security-scan: no sqlmap (sh scripts/deps.sh scan)" >&2; exit 1; }

OUT=build/security-scan/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
PG_DIR=""
cleanup() {
	[ -z "$PG_DIR" ] || sh scripts/pg-temp.sh stop "$PG_DIR" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

opts=()
[ -z "${LEVEL:-}" ] || opts+=(--level "$LEVEL")
[ -z "${RISK:-}" ] || opts+=(--risk "$RISK")
[ -z "${JOBS:-}" ] || opts+=(--jobs "$JOBS")
[ -z "${ONLY:-}" ] || opts+=(--only "$ONLY")
[ -z "${RANGE:-}" ] || opts+=(--range "$RANGE")

status=0
for kind in ${SCAN_KINDS:-sqlite pg}; do
	if [ "$kind" = pg ] && [ -z "$PG_DIR" ]; then
		PG_DIR=$(mktemp -d -t jz-scan-pg.XXXXXX) && rmdir "$PG_DIR" || exit 1
		JZ_PG_URL=$(sh scripts/pg-temp.sh start "$PG_DIR") || { echo "security-scan: no PostgreSQL" >&2; exit 1; }
		export JZ_PG_URL
	fi
	echo "==== $kind"
	node scripts/security-scan.mjs --kind "$kind" --out "$OUT/$kind" "${opts[@]}" | tee "$OUT/$kind.txt" || status=1
done
echo "security-scan: results in $OUT"
exit $status
