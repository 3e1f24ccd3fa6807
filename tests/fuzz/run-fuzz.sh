#!/bin/sh
# run-fuzz.sh HARNESS SECONDS WORKDIR SEEDDIR... — one short libFuzzer run,
# as CI does: new inputs go to WORKDIR (the seed corpus in the source tree
# stays as it is), crashes, leaks and inputs slower than 5 s fail the test.
set -eu
harness=$1 seconds=$2 work=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
# -timeout=5: the goal is no input slower than 1 s (a long run shows that),
# but a CI machine shared with other builds stalls a process now and then
# (two 1 s timeouts seen so, each input replaying in 0.1 s). ASan reports
# leaks at the end of each input (detect_leaks=1, libFuzzer's default).
# libFuzzer exits 77 on a crash by default: meson would count that as a skip.
exec "$harness" -max_total_time="$seconds" -timeout=5 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
