#!/bin/sh
# Installs the Debian packages Jiazheng needs to build, test and benchmark.
# Runs on every `make run` / `make test`, so when nothing is missing it is one
# dpkg-query call and prints nothing. As root it installs what is missing with
# apt-get; otherwise it prints the apt-get line to run and exits 1.
#   deps.sh scan   also the packages of `make security-scan` (sqlmap, which brings a
#                  Python stack that nothing else needs, so it is not installed by default)
set -u

PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
sqlite3 libpq-dev libsodium-dev libqrencode-dev libcsv-dev libxlsxwriter-dev
libcmocka-dev postgresql postgresql-client nginx wrk chromium curl ca-certificates
zbar-tools
unzip
clang-14 libclang-rt-14-dev"
# The fuzz targets (make fuzz, and a short run in make test) are built with clang-14,
# named by version in the Makefile; its libFuzzer and sanitizer runtimes
# (libclang_rt.fuzzer, .asan, .ubsan) are in libclang-rt-14-dev, which clang-14 does not
# pull in: both carry the version so that compiler and runtime match.

for extra in "$@"; do
	case "$extra" in
	scan) PKGS="$PKGS sqlmap" ;;
	*) echo "deps: unknown package set '$extra' (known: scan)" >&2; exit 2 ;;
	esac
done

# Node may come from outside Debian (e.g. a nodesource build bundling npm):
# only ask for Debian's when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

# Installed packages have status "?i" ("ii", or "hi" when held);
# unknown ones print nothing on stdout.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PKGS 2>/dev/null |
	awk 'substr($1, 2, 1) == "i" { print $2 }')
# shellcheck disable=SC2086
installed=" $(printf '%s ' $installed)"
missing=""
for p in $PKGS; do
	case "$installed" in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
missing=${missing# }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "sudo apt-get install -y $missing" >&2
	exit 1
fi

echo "deps: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp) || exit 1
if ! apt-get update -q >"$log" 2>&1; then
	cat "$log" >&2
	echo "deps: apt-get update failed" >&2
	rm -f "$log"
	exit 1
fi
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >"$log" 2>&1; then
	cat "$log" >&2
	echo "deps: apt-get install failed" >&2
	rm -f "$log"
	exit 1
fi
grep -E '^(E|W):' "$log" >&2
rm -f "$log"
exit 0
