#!/usr/bin/env bash
# gui-test.sh — the Windows GUI, cross-built against the stack, run under wine64 in Xvfb:
#
#   test-ui.exe           the Linux UI tests (tests/ui/test-ui.c), as a Windows program:
#                         the window on the bundled capture, Copy All, Save As, live refresh
#                         of msc-win-target.exe through the Windows backend, …
#   test-ui-platform.exe  the Summary view shows, cell for cell, what the native (Linux)
#                         `memscope -o sample.mmp --summary` prints; File → Select Process lists
#                         Wine's processes (services.exe) and msc-win-target.exe, and
#                         choosing it there scans it live
#
# with the DLLs, schemas and icons laid out exactly as in the bundle; before them, the GLib
# model's unit tests (tests/core, tests/model) as Windows programs.
#
# usage: build-aux/windows/gui-test.sh [--screenshots DIR]
#   --screenshots DIR  also save DIR/windows-{main-window,process-chooser,live-process}.png
# environment: MSC_NATIVE_MEMSCOPE  the Linux memscope giving the reference summary
#                                   (default: build/app/memscope, which dev.sh builds first)
# Exits 77 (skipped) when the stack is not built: build-aux/windows-bundle.sh builds it.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shots=
if [ "${1:-}" = --screenshots ]; then shots=$(realpath -m "$2"); fi
# shellcheck source=../windows-bundle.sh
source "$here/build-aux/windows-bundle.sh"
parse_args
find_stack
[ -f "$prefix/.complete" ] || { echo "gui-test: no stack at $prefix; skipped"; exit 77; }
write_toolchain_files

native=${MSC_NATIVE_MEMSCOPE:-$here/build/app/memscope}
[ -x "$native" ] || die "no native memscope at $native (build it, or set MSC_NATIVE_MEMSCOPE)"
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64) || die "wine64 is not installed"
command -v xvfb-run >/dev/null || die "xvfb-run is not installed"

build_app
root=$here/build-windows/gui-test
rm -rf "$root"
programs=()
for t in "${app_targets[@]}" "${test_targets[@]}"; do
  # shellcheck disable=SC2206  # the test_targets are globs
  programs+=($app_build/$t)
done
lay_out_runtime "$root" "${programs[@]}"
work=$(mktemp -d /tmp/msc-wine-gui.XXXXXX)
cleanup() {
  WINEPREFIX=$work/prefix "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$native" -o "$here/data/samples/sample.mmp" --summary > "$work/expected-summary.txt"

# Wine sees the Unix file system as drive Z:.
z() { printf 'Z:%s' "$1"; }
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export MSC_SAMPLES MSC_TEST_DATA MSC_TEST_TARGET MSC_TEST_TARGET_ARGS MSC_EXPECTED_SUMMARY
MSC_SAMPLES=$(z "$here/data/samples")
MSC_TEST_DATA=$(z "$here/tests/data")
MSC_TEST_TARGET=$(z "$root/bin/msc-win-target.exe")
MSC_TEST_TARGET_ARGS=$(z "$work/target-mapping")
MSC_EXPECTED_SUMMARY=$(z "$work/expected-summary.txt")
export MSC_EXPECT_LISTED=services.exe MSC_EXPECT_APP_ICON=1

say "starting a fresh Wine prefix"
xvfb-run -a -s '-screen 0 1280x1024x24' "$wine" wineboot -i >/dev/null 2>&1

# run_test NAME [xvfb-run]: one GLib test program; TAP lines decide (the exit code does not
# survive wine64 and xvfb-run reliably).
status=0
run_test() {
  local t=$1; shift
  "$@" "$wine" "$root/bin/$t.exe" > "$work/$t.log" 2>&1 || true
  # Stop this test's wineserver and wait until it is gone: a wine started while
  # the old server still exits can fail before the program prints anything.
  "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
  "$(dirname "$wine")/wineserver" -w >/dev/null 2>&1 || true
  # The stack's known complaints (tests/ui/ui-test-util.c) are printed, not failures.
  if grep -v "assertion 'desc != NULL'" "$work/$t.log" | grep -qE '^not ok|^Bail out|ERROR|CRITICAL' ||
     ! grep -q '^ok' "$work/$t.log"; then
    say "FAIL $t.exe:"; { grep -v '^#' "$work/$t.log" || echo "(no test output)"; } | sed 's/^/  /' >&2
    status=1
  else
    say "ok   $t.exe ($(grep -c '^ok' "$work/$t.log") passed, $(grep -c '^ok.*# SKIP' "$work/$t.log") skipped)"
  fi
}
for t in "$root"/bin/test-*.exe; do
  t=$(basename "$t" .exe)
  case $t in test-ui*) continue ;; esac
  run_test "$t"
done
# notes and smaller: figures Wine does not give, tooltips over dialogs (Windows-side);
# trace-file: a trace capture's dialogs on an OS that cannot trace.
for t in test-ui test-ui-platform test-ui-notes test-ui-smaller test-ui-trace-file; do
  run_test "$t" xvfb-run -a -s '-screen 0 1280x1024x24'
done

take_screenshots() {
  local shot=${SHOT:-$here/../shared/tools/shot} exe=$root/bin/memscope.exe
  local sample; sample=$(z "$here/data/samples/sample.mmp")
  mkdir -p "$shots"
  "$shot" "$shots/windows-main-window.png" -w 15 -s 1280x860 -- "$wine" "$exe" "$sample"
  "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
  # Xvfb's pointer sits mid-screen over a row: hide the tooltip hovering shows
  # (under Wine an ordinary X window, told apart by its height).
  "$shot" "$shots/windows-process-chooser.png" -w 16 -s 1280x860 -- bash -c "
    '$wine' '$exe' & sleep 14
    for w in \$(xdotool search --onlyvisible --name .); do
      h=\$(xwininfo -id \"\$w\" | awk '/Height:/ {print \$2}')
      [ \"\$h\" -lt 120 ] && xdotool windowunmap \"\$w\"
    done
    wait"
  "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
  "$shot" "$shots/windows-live-process.png" -w 35 -s 1280x860 -- bash -c "
    sleep 99999 | '$wine' '$root/bin/msc-win-target.exe' '$MSC_TEST_TARGET_ARGS' > /dev/null & t=\$!
    '$wine' '$exe' & sleep 12
    xdotool type --delay 80 msc-win; sleep 1
    # Return is lost under Wine (GDK cannot load the keyboard layout DLL): click OK,
    # where the chooser, centred on a 1280x860 screen, has it.
    xdotool mousemove --sync 972 706 click 1
    # Then off the rows (their tooltips), onto the empty end of the menu bar.
    sleep 3; xdotool mousemove 900 12
    wait \$t"
  "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || true
}
[ -z "$shots" ] || take_screenshots

[ $status = 0 ] && say "Windows GUI tests passed" || say "Windows GUI tests FAILED"
exit $status
