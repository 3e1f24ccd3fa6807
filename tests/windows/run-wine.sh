#!/bin/sh
# run-wine.sh [--wow64 | --skip REASON] PROGRAM [ARGS...] — run a Windows test
# under wine64 in a fresh, temporary WINEPREFIX (removed afterwards), with Wine's
# debug output off. PROGRAM is a .exe, or a script that runs .exe files with
# "$WINE" (exported here, like the prefix, so everything it starts shares one
# wineserver).
#   --wow64        the test runs a 32-bit program: skipped (77) with the reason
#                  probe-wow64.sh gives where this host cannot run one
#   --skip REASON  skipped (77) with REASON: the build lacks what the test needs
set -u
case ${1:-} in
  --wow64)
    shift
    if ! reason=$("$(dirname "$0")/probe-wow64.sh"); then
      echo "SKIP: $reason"
      exit 77
    fi ;;
  --skip)
    echo "SKIP: $2"
    exit 77 ;;
esac
WINE=${WINE:-/usr/lib/wine/wine64}
[ -x "$WINE" ] || WINE=$(command -v wine64 || true)
if [ -z "$WINE" ]; then
  echo "run-wine.sh: wine64 is not installed (apt-get install wine64); skipping" >&2
  exit 77
fi
WINESERVER=$(dirname "$WINE")/wineserver
[ -x "$WINESERVER" ] || WINESERVER=wineserver
WINEPREFIX=$(mktemp -d "${TMPDIR:-/tmp}/msc-wine.XXXXXX")
export WINE WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  "$WINESERVER" -k >/dev/null 2>&1
  rm -rf "$WINEPREFIX"
}
trap cleanup EXIT INT TERM
case $1 in
  *.exe) "$WINE" "$@" ;;
  *) "$@" ;;
esac
