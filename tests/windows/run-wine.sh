#!/bin/sh
# run-wine.sh PROGRAM [ARGS...] — run a Windows test under wine64 in a fresh,
# temporary WINEPREFIX (removed afterwards), with Wine's debug output off.
# PROGRAM is a .exe, or a script that runs .exe files with "$WINE" (exported
# here, like the prefix, so everything it starts shares one wineserver).
set -u
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
