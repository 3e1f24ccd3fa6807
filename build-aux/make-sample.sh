#!/usr/bin/env bash
# make-sample.sh BUILDDIR — regenerate data/samples/sample.mmp: a live capture of
# the test target (the bundled sample capture).
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
coproc TARGET { exec "$build/tests/targets/msc-test-target" --file /usr/share/common-licenses/GPL-3; }
pid=$TARGET_PID
while read -r line <&"${TARGET[0]}"; do [ "$line" = ready ] && break; done
"$build/app/memscope" -p "$pid" "$top/data/samples/sample"
echo quit >&"${TARGET[1]}"
wait "$pid" 2>/dev/null || true
echo "wrote $top/data/samples/sample.mmp"
