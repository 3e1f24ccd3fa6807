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
  gcc-mingw-w64-i686 wine32:i386  # a 32-bit target for the WOW64 scan test
  golang-go  # a real Go program for the Managed Heap test (tests/linux/test-linux-runtimes.c)
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "dev.sh: please install: ${missing[*]}" >&2
    exit 1
  fi
  echo "dev.sh: installing ${missing[*]}"
  # wine32 is an i386 package (it may upgrade base libraries to match).
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq || apt-get update -qq || true  # a mirror mid-sync: install still decides
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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

run_tests() {
  local jobs
  jobs=$(nproc)
  # 1. The normal build: unit, integration (live scans), CLI.
  setup build
  meson test -C build --print-errorlogs --num-processes "$jobs"
  # 2. A host without a live backend (e.g. macOS) still opens captures.
  setup build-none -Dscan_backend=none -Dgui=false
  meson test -C build-none --print-errorlogs --num-processes "$jobs"
  # 3. AddressSanitizer + UndefinedBehaviorSanitizer.
  setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --num-processes "$jobs" --timeout-multiplier 4
  # 4. The Windows backend and memscope-capture.exe, cross-built with mingw-w64
  #    and tested under wine64 (a temporary WINEPREFIX per test); the byte-identity
  #    test compares with build/app/memscope from step 1; a 32-bit target (i686
  #    mingw, run by wine32) is scanned through WOW64.
  setup build-win --cross-file build-aux/cross/x86_64-w64-mingw32.txt -Dgui=false
  meson test -C build-win --print-errorlogs --num-processes "$jobs"
  # 5. The Windows GUI: the GTK 3 stack cross-built from Debian's source packages
  #    (cached in /var/cache/memscope-win-stack, outside the clone; built on first use,
  #    about 15 minutes on 2 cores), memscope.exe laid out as the Windows bundle, and
  #    the model and UI tests as Windows programs under wine64 in Xvfb, the Summary
  #    held to step 1's Linux build.
  build-aux/windows-bundle.sh
  MSC_NATIVE_MEMSCOPE="$here/build/app/memscope" build-aux/windows/gui-test.sh
}

case ${1:-} in
  run) install_missing; run ;;
  test) install_missing; run_tests ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
