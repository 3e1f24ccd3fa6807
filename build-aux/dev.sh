#!/usr/bin/env bash
# dev.sh — set up a Debian 12 machine, build, and run Memscope or its tests.
#   build-aux/dev.sh run    install what is missing, build, show a live scan
#   build-aux/dev.sh test   install what is missing, build every configuration, run all tests
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

packages=(
  meson ninja-build pkg-config gcc clang libc6-dev
  libglib2.0-dev libxml2-dev libxml2-utils libgtk-3-dev
  procps python3 xvfb xauth
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
  # The sample target allocates a known mix of memory; scan it live.
  coproc TARGET { exec build/tests/targets/msc-test-target --file /usr/share/common-licenses/GPL-3; }
  local line pid=$TARGET_PID
  while read -r line <&"${TARGET[0]}"; do
    [ "$line" = ready ] && break
  done
  build/app/memscope -p "$pid" || true
  echo quit >&"${TARGET[1]}"
  wait "$pid" 2>/dev/null || true
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
}

case ${1:-} in
  run) install_missing; run ;;
  test) install_missing; run_tests ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
