#!/bin/sh
# Throwaway PostgreSQL cluster for tests.
#   pg-temp.sh start DIR   initialise a cluster in DIR (must not exist or be empty),
#                          listening on 127.0.0.1:<free port> and a unix socket in DIR,
#                          fsync off, trust auth; create database jiazheng_test and
#                          print postgres://postgres@127.0.0.1:PORT/jiazheng_test
#                          (the only thing printed on stdout).
#   pg-temp.sh standby PRIMARY_DIR DIR
#                          a streaming replica of the cluster that `start PRIMARY_DIR`
#                          made: a replication user (password, scram-sha-256 in
#                          pg_hba.conf), pg_basebackup -R into DIR, started as a hot
#                          standby on another free port; waits until the primary's
#                          pg_stat_replication shows it streaming and prints its URL.
#   pg-temp.sh pause DIR   stop the server in DIR (fast shutdown), keeping its data.
#   pg-temp.sh resume DIR  start it again on its port (a primary's fail-over, by hand).
#   pg-temp.sh start DIR crash-safe
#                          the same with synchronous_commit on, for crash tests: every
#                          commit is written to the kernel before it is acknowledged, so
#                          it survives the server being killed (fsync stays off, which
#                          would only lose data if the operating system crashed).
#   pg-temp.sh crash DIR   stops the server the hard way (pg_ctl -m immediate: no
#                          checkpoint, recovery at the next start).
#   pg-temp.sh restart DIR starts a stopped cluster again, on the same port.
#   pg-temp.sh stop DIR    stop it (fast shutdown) and remove DIR.
# PostgreSQL refuses to run as root: as root the cluster runs as the `postgres`
# system user (which owns DIR); otherwise as the current user.
set -eu

die() { echo "pg-temp: $*" >&2; exit 1; }

bindir() {
	# shellcheck disable=SC2012
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
	die "no PostgreSQL server binaries (initdb, pg_ctl) found; run scripts/deps.sh"
}

# Run a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
	elif command -v node >/dev/null 2>&1; then
		node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
	else
		# Fall back to a random high port; start retries on a clash.
		echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	fi
}

# An empty directory DIR for a cluster, owned by the user the cluster runs as.
own_dir() {
	mkdir -p "$1"
	[ -z "$(ls -A "$1")" ] || die "$1 is not empty"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "no 'postgres' user; install the postgresql package"
		chown postgres: "$1"
		# The owner must be able to reach DIR (e.g. under a 0700 mktemp parent).
		chmod 0700 "$1"
		runuser -u postgres -- test -x "$1" ||
			die "user postgres cannot reach $1; use a directory it can traverse"
	fi
}

# start_on_free_port BIN DATA DIR WHAT: starts the cluster in DATA on a free port, trying
# again on another port when one was taken meanwhile; sets $port and writes DIR/port.
start_on_free_port() {
	tries=0
	while :; do
		port=$(free_port)
		if as_owner "$1/pg_ctl" -D "$2" -o "-p $port" -l "$3/server.log" \
			-w -t 30 start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 3 ]; then
			cat "$3/server.log" >&2 2>/dev/null || true
			die "could not start $4"
		fi
	done
	echo "$port" >"$3/port"
}

start() {
	dir=$1
	commit=off
	[ "${2:-}" != crash-safe ] || commit=on
	bin=$(bindir)
	own_dir "$dir"
	dir=$(cd "$dir" && pwd)
	data=$dir/data
	as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
	cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = $commit
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
log_min_messages = warning
CONF
	start_on_free_port "$bin" "$data" "$dir" PostgreSQL
	# pg_ctl -w waited for the socket; make sure TCP answers too.
	i=0
	until as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "PostgreSQL not accepting connections on port $port"
		sleep 0.1
	done
	as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
		-v ON_ERROR_STOP=1 -c 'CREATE DATABASE jiazheng_test' >/dev/null ||
		die "could not create database jiazheng_test"
	echo "postgres://postgres@127.0.0.1:$port/jiazheng_test"
}

# Replication here is password-checked like a real one; the test clusters are local and
# thrown away, so the password is no secret.
REPL_USER=replicator
REPL_PASSWORD=jz-replica-test

standby() {
	primary=$(cd "$1" && pwd) || die "no primary cluster in $1"
	dir=$2
	bin=$(bindir)
	pport=$(cat "$primary/port") || die "no primary cluster in $primary"
	own_dir "$dir"
	dir=$(cd "$dir" && pwd)
	psql_primary() {
		as_owner "$bin/psql" -X -q -At -h "$primary" -p "$pport" -U postgres -d postgres \
			-v ON_ERROR_STOP=1 "$@"
	}
	if [ -z "$(psql_primary -c "SELECT 1 FROM pg_roles WHERE rolname = '$REPL_USER'")" ]; then
		psql_primary -c "CREATE ROLE $REPL_USER WITH REPLICATION LOGIN PASSWORD '$REPL_PASSWORD'" >/dev/null ||
			die "could not create the replication user"
		# First match wins: this line goes before initdb's trust lines.
		hba=$primary/data/pg_hba.conf
		as_owner sh -c "{ echo 'host replication $REPL_USER 127.0.0.1/32 scram-sha-256'; cat '$hba'; } >'$hba.new' && mv '$hba.new' '$hba'"
		psql_primary -c 'SELECT pg_reload_conf()' >/dev/null
	fi
	data=$dir/data
	# -R writes primary_conninfo (with the password) and standby.signal; -X stream copies
	# the WAL written meanwhile.
	as_owner env PGPASSWORD="$REPL_PASSWORD" "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" \
		-U "$REPL_USER" -D "$data" -R -X stream -c fast --no-sync >"$dir/basebackup.log" 2>&1 ||
		{ cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
	echo "unix_socket_directories = '$dir'" | as_owner sh -c "cat >>'$data/postgresql.conf'"
	start_on_free_port "$bin" "$data" "$dir" "the standby"
	i=0
	until [ "$(psql_primary -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || die "the standby did not start streaming"
		sleep 0.1
	done
	echo "postgres://postgres@127.0.0.1:$port/jiazheng_test"
}

pause() {
	[ -f "$1/data/PG_VERSION" ] || die "no cluster in $1"
	as_owner "$(bindir)/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null ||
		die "could not stop the server in $1"
}

resume() {
	[ -f "$1/data/PG_VERSION" ] || die "no cluster in $1"
	as_owner "$(bindir)/pg_ctl" -D "$1/data" -o "-p $(cat "$1/port")" -l "$1/server.log" \
		-w -t 30 start >/dev/null || die "could not start the server in $1 again"
}

crash() {
	dir=$1
	as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null ||
		die "could not stop PostgreSQL in $dir"
}

restart() {
	dir=$1
	port=$(cat "$dir/port") || die "no cluster in $dir"
	as_owner "$(bindir)/pg_ctl" -D "$dir/data" -o "-p $port" -l "$dir/server.log" \
		-w -t 30 start >/dev/null || die "could not start PostgreSQL in $dir again"
}

stop() {
	dir=$1
	[ -d "$dir" ] || return 0
	if [ -f "$dir/data/PG_VERSION" ]; then
		bin=$(bindir)
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start)
	[ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$3" = crash-safe ]; } || die "usage: $0 start DIR [crash-safe]"
	start "$2" "${3:-}"
	;;
standby) [ $# -eq 3 ] || die "usage: $0 standby PRIMARY_DIR DIR"; standby "$2" "$3" ;;
pause) [ $# -eq 2 ] || die "usage: $0 pause DIR"; pause "$2" ;;
resume) [ $# -eq 2 ] || die "usage: $0 resume DIR"; resume "$2" ;;
crash) [ $# -eq 2 ] || die "usage: $0 crash DIR"; crash "$2" ;;
restart) [ $# -eq 2 ] || die "usage: $0 restart DIR"; restart "$2" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start DIR [crash-safe] | pause|resume|crash|restart|stop DIR | standby PRIMARY_DIR DIR" ;;
esac
