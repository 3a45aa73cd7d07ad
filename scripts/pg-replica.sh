#!/bin/sh
# A PostgreSQL primary with one streaming replica, both throwaway, on 127.0.0.1 (for the
# scale-out test and for trying serve --db-read by hand).
#   pg-replica.sh start DIR   primary in DIR/primary (scripts/pg-temp.sh start), a hot
#                             standby in DIR/replica streaming from it (pg-temp.sh
#                             standby); prints two lines: the primary's URL, then the
#                             replica's (database jiazheng_test on each).
#   pg-replica.sh stop DIR    stops both and removes DIR.
# As root the clusters run as the `postgres` user, as pg-temp.sh does.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "pg-replica: $*" >&2; exit 1; }

start() {
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	# The clusters' owner must reach DIR/primary and DIR/replica.
	[ "$(id -u)" -ne 0 ] || chmod 0755 "$dir"
	primary=$(sh "$here/pg-temp.sh" start "$dir/primary") || die "the primary did not start"
	replica=$(sh "$here/pg-temp.sh" standby "$dir/primary" "$dir/replica") ||
		die "the replica did not start"
	echo "$primary"
	echo "$replica"
}

stop() {
	[ -d "$1" ] || return 0
	sh "$here/pg-temp.sh" stop "$1/replica" || true
	sh "$here/pg-temp.sh" stop "$1/primary" || true
	rm -rf "$1"
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
