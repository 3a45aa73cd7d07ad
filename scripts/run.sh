#!/bin/sh
# `make run`: a demo platform on this machine. Creates var/demo.db with demo data on the
# first run (keeping its accounts in var/demo-accounts.txt), then serves it on
# http://127.0.0.1:8080 (override with JZ_LISTEN=HOST:PORT) until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
bin=build/jiazheng
db=var/demo.db
listen=${JZ_LISTEN:-127.0.0.1:8080}
mkdir -p var
if [ ! -f "$db" ]; then
	echo "Creating the demo database $db ..."
	umask 077
	if ! "$bin" demo --db "$db" --workers 2000 > var/demo-accounts.txt.tmp; then
		rm -f "$db" "$db-wal" "$db-shm" var/demo-accounts.txt.tmp
		exit 1
	fi
	mv var/demo-accounts.txt.tmp var/demo-accounts.txt
fi
echo
echo "Jiazheng 家政信用 — demo accounts (from var/demo-accounts.txt):"
cat var/demo-accounts.txt
echo
echo "Open http://$listen/ in a browser. Ctrl-C stops the server."
echo "To start again from scratch: rm -r var && make run"
if [ "$(id -u)" -ne 0 ]; then
	exec "$bin" serve --db "$db" --listen "$listen"
fi
# As root: serve as nobody (the port is bound and the key file read as root first). nobody
# writes the database and creates its -wal and -shm files beside it; the key file and the
# accounts stay root's.
chown nobody var "$db"
for f in "$db-wal" "$db-shm"; do
	if [ -e "$f" ]; then chown nobody "$f"; fi
done
exec "$bin" serve --db "$db" --listen "$listen" --user nobody
