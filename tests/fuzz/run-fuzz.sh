#!/bin/sh
# run-fuzz.sh HARNESS SECONDS WORKDIR SEEDDIR... — one short libFuzzer run,
# as CI does: new inputs go to WORKDIR (the seed corpus in the source tree
# stays as it is), crashes, leaks and inputs slower than 1 s fail the test.
set -eu
harness=$1 seconds=$2 work=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
# -timeout=1: the goal is no input slower than 1 s; ASan reports leaks at
# the end of each input (detect_leaks=1 is libFuzzer's default with ASan).
# libFuzzer exits 77 on a crash by default: meson would count that as a skip.
exec "$harness" -max_total_time="$seconds" -timeout=1 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
