#!/usr/bin/env bash
# windows-bundle.sh — cross-build the GTK 3 stack for x86_64-w64-mingw32 from Debian's own
# source packages, then build Memscope for Windows and lay out a folder a Windows user unzips.
#
# usage: build-aux/windows-bundle.sh [--stack-only] [--print-stack] [--print-key] [-jN] [OUTDIR]
#   OUTDIR        where Memscope/ is laid out (default: build-windows/bundle in the clone)
#   --stack-only  build (or reuse) the GTK stack and stop; prints the stack's prefix
#   --print-stack print the stack prefix for the current key without building (exit 1 if absent)
#   --print-key   print the cache key (for CI caches) and exit
#   -jN           parallel jobs (default: nproc)
# environment:
#   MEMSCOPE_WIN_CACHE  cache root (default /var/cache/memscope-win-stack)
#
# The parts: build-aux/windows/stack.sh (sources, recipes, cache key), bundle.sh (the app
# and the folder), gui-test.sh (the Windows GUI under wine64 + Xvfb).
set -euo pipefail
export LC_ALL=C.UTF-8
# Debian's tools first: a pyenv or local python must not run the projects' build scripts.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
script=$here/build-aux/windows-bundle.sh
stack_script=$here/build-aux/windows/stack.sh
patches=$here/build-aux/windows-patches
host=x86_64-w64-mingw32
cache=${MEMSCOPE_WIN_CACHE:-/var/cache/memscope-win-stack}
jobs=$(nproc)
stack_only=false
print_stack=false
print_key=false
outdir=

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --stack-only) stack_only=true ;;
      --print-stack) print_stack=true ;;
      --print-key) print_key=true ;;
      -j*) jobs=${1#-j} ;;
      -h|--help) sed -n '2,15p' "$script"; exit 0 ;;
      -*) echo "windows-bundle.sh: unknown option $1" >&2; exit 2 ;;
      *) outdir=$1 ;;
    esac
    shift
  done
  outdir=$(realpath -m "${outdir:-$here/build-windows/bundle}")
}

say() { printf '[windows-bundle %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'windows-bundle.sh: %s\n' "$*" >&2; exit 1; }

# shellcheck source=windows/stack.sh
source "$stack_script"
# shellcheck source=windows/bundle.sh
source "$here/build-aux/windows/bundle.sh"

# One stack build per cache at a time: a second run (another clone's CI, a developer's
# bundle) waits for the first and then reuses what it built, instead of both writing
# the same build trees.
lock_cache() {
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock -n 9 && return 0
  say "another run is building in $cache; waiting for it"
  flock 9
}

main() {
  parse_args "$@"
  $print_key || $print_stack || lock_cache
  find_stack
  if $print_key; then echo "$key"; exit 0; fi
  if $print_stack; then
    [ -f "$prefix/.complete" ] && { write_toolchain_files; echo "$prefix"; exit 0; }
    exit 1
  fi
  ensure_stack
  if $stack_only; then
    echo "$prefix"
    return 0
  fi
  say "building Memscope for Windows"
  build_app
  lay_out_bundle
}

# Sourcing this file (as the tests do) only defines the functions. The exit keeps bash
# from reading on in this file should it change while a build runs.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
  exit 0
fi
