#!/usr/bin/env bash
# dev.sh — set up a Debian 12 machine, build, and run Memscope or its tests.
#   build-aux/dev.sh run    install what is missing, build, open the GUI on the bundled capture
#   build-aux/dev.sh test   install what is missing, build every configuration, run all tests
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

packages=(
  meson ninja-build pkg-config gcc clang libc6-dev
  libglib2.0-dev libxml2-dev libxml2-utils libgtk-3-dev
  procps python3 xvfb xauth binutils
  x11-utils  # xwininfo: tests/cli/test-cli-window.py sees memscope's windows
  gettext desktop-file-utils appstream shared-mime-info libglib2.0-bin
  gcc-mingw-w64-x86-64 wine64
  gcc-mingw-w64-i686  # a 32-bit target for the WOW64 scan test
  libunwind-dev libdw-dev  # the Linux tracer: stacks in the target, symbols in memscope
  heaptrack  # the reference in tests/bench/bench-trace
  golang-go  # real Go programs: the Managed Heap test and the traced raw-syscall mappings
  libclang-rt-14-dev  # libFuzzer for clang's -fsanitize=fuzzer (tests/fuzz, stage 3b)
)
# Wine's 32-bit loader runs that target; only a kernel with IA-32 emulation can
# run it (tests/windows/probe-wow64.sh), so it is installed only there.
wow64_package=wine32:i386

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    is_installed "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] || install_packages "${missing[@]}"
  install_wow64
}

install_packages() {
  if [ "$(id -u)" != 0 ]; then
    echo "dev.sh: please install: $*" >&2
    exit 1
  fi
  echo "dev.sh: installing $*"
  apt-get update -qq || apt-get update -qq || true  # a mirror mid-sync: install still decides
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# wine32 where the kernel can run it; elsewhere the WOW64 test skips, saying
# why, and set-up goes on. A failed install is not fatal either: the test's
# probe then finds no loader and says so.
install_wow64() {
  local reason
  is_installed "$wow64_package" && return 0
  if ! reason=$(tests/windows/probe-wow64.sh kernel); then
    echo "dev.sh: not installing $wow64_package: $reason; the WOW64 test will be skipped"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "dev.sh: $wow64_package is not installed (as root: dpkg --add-architecture i386;" \
         "apt-get install $wow64_package); the WOW64 test will be skipped"
    return 0
  fi
  echo "dev.sh: installing $wow64_package"
  # An i386 package: it may upgrade base libraries to match.
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq || apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$wow64_package" >/dev/null ||
    echo "dev.sh: $wow64_package could not be installed; the WOW64 test will be skipped"
}

# setup DIR [meson options...]: configure once, reconfigure when options change.
setup() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir"
}

run() {
  setup build
  # The GUI on the bundled capture, uninstalled: the schema compiled in the
  # build. Without a display memscope answers as the CLI, so print the summary.
  export GSETTINGS_SCHEMA_DIR="$here/build/data"
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/app/memscope data/samples/sample.mmp
  fi
  echo "dev.sh: no display; the capture's summary instead (memscope -o … --summary):"
  build/app/memscope -o data/samples/sample.mmp --summary
}

# Each stage runs whatever the stages before it did (a failure, or a host that
# cannot run something, must not hide the rest), in a subshell of its own so
# that `set -e` still stops the stage at its first failing command. Its time
# and result go into the table at the end; dev.sh fails if any stage failed.
stage_results=()
stage_failed=0
stage() {
  local name=$1 start=$SECONDS status=0
  shift
  echo "dev.sh: ==== $name"
  ( "$@" ) &
  wait $! || status=$?
  if [ "$status" = 0 ]; then
    stage_results+=("$(printf '%-5s %5d s  %s' ok $((SECONDS - start)) "$name")")
  else
    stage_results+=("$(printf '%-5s %5d s  %s (exit %d)' FAIL $((SECONDS - start)) "$name" "$status")")
    stage_failed=1
  fi
}

# meson_tests DIR [meson test options...]: run a tree's tests, then list what
# was skipped and why (a host without a capability skips, never fails).
meson_tests() {
  local dir=$1 status=0
  shift
  meson test -C "$dir" --print-errorlogs --num-processes "$(nproc)" "$@" || status=$?
  python3 build-aux/test-skips.py "$dir/meson-logs/testlog.json"
  return "$status"
}

# 1. The normal build: unit, integration (live scans), CLI, UI.
stage_native() {
  setup build
  meson_tests build
}
# 2. A host without a live backend (e.g. macOS) still opens captures.
stage_none() {
  setup build-none -Dscan_backend=none -Dgui=false
  meson_tests build-none
}
# 3. AddressSanitizer + UndefinedBehaviorSanitizer.
stage_asan() {
  setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson_tests build-asan --timeout-multiplier 4
}
# 3b. The libFuzzer harnesses (tests/fuzz), built by clang with ASan/UBSan,
#     each run briefly (MSC_FUZZ_SECONDS, default 30) from its seed corpus.
stage_fuzz() {
  CC=clang setup build-fuzz -Db_sanitize=address,undefined -Db_lundef=false -Dgui=false
  meson_tests build-fuzz --suite fuzz-run
}
# 4. The Windows backend and memscope-capture.exe, cross-built with mingw-w64 and
#    tested under wine64 (a temporary WINEPREFIX per test); the byte-identity test
#    compares with build/app/memscope from stage 1; a 32-bit target (i686 mingw,
#    run by wine32) is scanned through WOW64 where the host can run 32-bit code.
stage_windows() {
  setup build-win --cross-file build-aux/cross/x86_64-w64-mingw32.txt -Dgui=false
  meson_tests build-win
}
# 5. The Windows GUI: the GTK 3 stack cross-built from Debian's source packages
#    (cached in /var/cache/memscope-win-stack, outside the clone; built on first use,
#    about 31 minutes on an idle 2-core machine, 111 with four other builds running),
#    memscope.exe laid out as the Windows bundle,
#    and the model and UI tests as Windows programs under wine64 in Xvfb, the Summary
#    held to stage 1's Linux build.
stage_windows_gui() {
  build-aux/windows-bundle.sh
  MSC_NATIVE_MEMSCOPE="$here/build/app/memscope" build-aux/windows/gui-test.sh
}

run_tests() {
  stage "1 native build and tests" stage_native
  stage "2 no-backend build and tests" stage_none
  stage "3 ASan/UBSan build and tests" stage_asan
  stage "3b libFuzzer harnesses" stage_fuzz
  stage "4 Windows backend and capture tool (wine64)" stage_windows
  stage "5 Windows GUI (GTK stack, bundle, wine64 + Xvfb)" stage_windows_gui
  echo "dev.sh: stages (wall time):"
  printf '  %s\n' "${stage_results[@]}"
  return "$stage_failed"
}

case ${1:-} in
  run) install_missing; run ;;
  test) install_missing; run_tests ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
