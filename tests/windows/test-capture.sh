#!/bin/bash
# test-capture.sh — memscope-capture.exe against msc-win-target.exe, under
# run-wine.sh (which exports WINE and WINEPREFIX).
#   test-capture.sh rules CAPTURE.EXE TARGET.EXE
#       VMMap's output rules: no extension → .mmp, .csv → CSV, other → text,
#       no file → summary on stdout; name prefixes; errors and exit codes.
#   test-capture.sh identical CAPTURE.EXE TARGET.EXE MEMSCOPE
#       the capture re-saved by the native memscope (GLib model: .mmp reader,
#       session, the GUI's save path) is byte-identical to the capture tool's,
#       and so are the CSV and text exports of one state.
#       Skipped (77) when MEMSCOPE has not been built.
set -u
mode=$1 capture=$2 target=$3 memscope=${4:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/msc-capture.XXXXXX")
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
winpath() { printf 'Z:%s' "$(printf '%s' "$1" | tr / '\\')"; }

if [ "$mode" = identical ] && [ ! -x "$memscope" ]; then
  echo "native memscope not built at $memscope (build the native tree first); skipping" >&2
  rm -rf "$work"
  exit 77
fi

mkfifo "$work/in"
"$WINE" "$target" "$(winpath "$work/target.bin")" <"$work/in" >"$work/target.out" 2>&1 &
target_job=$!
exec 3>"$work/in"
for _ in $(seq 600); do
  grep -q '^ready' "$work/target.out" && break
  sleep 0.1
done
pid=$(sed -n 's/^pid=\([0-9]*\).*/\1/p' "$work/target.out")
[ -n "$pid" ] || { fail "the target did not start: $(cat "$work/target.out")"; }

run() { "$WINE" "$capture" "$@"; }

if [ "$mode" = rules ] && [ -n "$pid" ]; then
  run -p "$pid" "$(winpath "$work/cap")" 2>"$work/cap.err" || fail "capture to a name without extension"
  grep -q '^Note: Working-set figures' "$work/cap.err" || fail "notes on stderr when writing a file: $(cat "$work/cap.err")"
  grep -q '^Note: The working set of the whole process is [0-9][0-9]* K' "$work/cap.err" \
    || fail "the process-level working set in the notes: $(cat "$work/cap.err")"
  head -c 38 "$work/cap.mmp" 2>/dev/null | grep -q '^<?xml version="1.0" encoding="UTF-8"?>' \
    || fail "no extension must write cap.mmp (XML)"
  grep -q "<Process Pid=\"$pid\" Name=\"msc-win-target.exe\" Bits=\"64\"" "$work/cap.mmp" || fail "Process element"
  [ "$(tail -c 13 "$work/cap.mmp")" = '</MemoryMap>' ] || fail ".mmp must end with </MemoryMap>"
  ! grep -q $'\r' "$work/cap.mmp" || fail ".mmp must have \\n line ends (binary mode)"
  run -64 -p "$pid" "$(winpath "$work/cap.csv")" || fail "capture to .csv"
  head -n 1 "$work/cap.csv" | grep -q '^"Process:","msc-win-target.exe"'$'\r''$' || fail "CSV header: $(head -n 1 "$work/cap.csv")"
  run -p "$pid" "$(winpath "$work/cap.log")" || fail "capture to .log"
  head -n 1 "$work/cap.log" | grep -q '^Process: msc-win-target.exe'$'\r''$' || fail "text header: $(head -n 1 "$work/cap.log")"
  run -p MSC-WIN-TAR >"$work/summary" 2>"$work/summary.err" || fail "capture by name prefix"
  grep -q "^PID: $pid" "$work/summary" && grep -q '^Total ' "$work/summary" || fail "summary: $(cat "$work/summary")"
  grep -q '^Note: Working-set figures' "$work/summary.err" || fail "notes on stderr: $(cat "$work/summary.err")"
  run -p 4000000 "$(winpath "$work/none")" 2>"$work/err"; [ $? -eq 1 ] || fail "a missing PID must exit 1"
  grep -q 'there is no process with ID 4000000' "$work/err" || fail "message: $(cat "$work/err")"
  [ ! -e "$work/none.mmp" ] || fail "a failed capture must not write a file"
  run -x 2>/dev/null; [ $? -eq 2 ] || fail "a bad option must exit 2"
  run -p 2>"$work/err"; [ $? -eq 2 ] || fail "-p without a value must exit 2"
  grep -q -- '-p needs a value' "$work/err" || fail "-p without a value: $(cat "$work/err")"
  run -p 0 2>"$work/err"; [ $? -eq 1 ] || fail "-p 0 must exit 1"
  ! grep -q 'name begins' "$work/err" || fail "-p 0 is a PID, not a name: $(cat "$work/err")"
  run --version | grep -q '^memscope-capture [0-9.]* (windows backend)'$'\r''\?$' || fail "--version"
fi

if [ "$mode" = identical ] && [ -n "$pid" ]; then
  run -p "$pid" "$(winpath "$work/live.mmp")" || fail "capture"
  "$memscope" -o "$work/live.mmp" "$work/resaved.mmp" || fail "native memscope could not re-save the capture"
  cmp "$work/live.mmp" "$work/resaved.mmp" || fail "memscope-capture and memscope wrote different files"
  # CSV and text: the capture tool's own exports of a scan, against the native
  # memscope's exports of a .mmp of the same state. The state is the same when
  # the .mmp captures just before and just after the export compare equal
  # (an idle target's heap or stack can still move: then try again).
  for ext in csv txt; do
    same=false
    for _ in 1 2 3; do
      run -p "$pid" "$(winpath "$work/before.mmp")" && run -p "$pid" "$(winpath "$work/tool.$ext")" \
        && run -p "$pid" "$(winpath "$work/after.mmp")" || { fail "capture for .$ext"; break; }
      if "$memscope" --diff "$work/before.mmp" "$work/after.mmp" >/dev/null; then same=true; break; fi
    done
    $same || { fail "the target did not hold still for three scans"; continue; }
    "$memscope" -o "$work/before.mmp" "$work/native.$ext" || fail "native memscope .$ext"
    cmp "$work/tool.$ext" "$work/native.$ext" || fail "memscope-capture and memscope wrote different .$ext files"
  done
fi

echo quit >&3
exec 3>&-
wait "$target_job"
rm -rf "$work"
[ "$failures" -eq 0 ] && echo "ok - capture $mode" || echo "not ok - capture $mode ($failures failures)"
[ "$failures" -eq 0 ]
