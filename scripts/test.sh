#!/usr/bin/env bash
# The test command: installs what the tests need, builds runcs and the busybox
# rootfs, runs every test (unit and, as root, integration with real containers) and
# ends with one line "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
if [ "$(id -u)" != 0 ]; then
  echo "scripts/test.sh must run as root: the integration tests start real containers" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
set -e
scripts/deps.sh busybox-static jq runc clang zlib1g-dev libseccomp-dev procps strace containerd podman docker.io
scripts/build.sh "$here/out"
FAULT_POINTS=1 scripts/build.sh "$here/out-faults"
scripts/make-rootfs.sh "$here/bundles/busybox/rootfs" >/dev/null
set +e
export RUNCS_BINARY="$here/out/runcs"
export RUNCS_FAULT_BINARY="$here/out-faults/runcs"
export RUNCS_ROOTFS="$here/bundles/busybox/rootfs"
log=$(mktemp)
dotnet test "$here/Runc.Sharp.Tests/Runc.Sharp.Tests.csproj" -c Release -nologo \
  --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The runner's closing block: "Total tests: N", then "Passed: N", "Failed: N", "Skipped: N" (zeros omitted).
count() { grep -E "^[[:space:]]+$1:[[:space:]]+[0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
total=$(grep -E '^Total tests:[[:space:]]+[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
# Repeat each failure (name, message, the start of its stack) next to the summary,
# so that a reader who sees only the end of the output still learns what failed.
awk '/^[[:space:]]+Failed [^:]/ { n = 0; on = 1; print "FAILED:" substr($0, index($0, "Failed") + 6); next }
     /^[[:space:]]+(Passed|Skipped) / || /^Total tests:/ { on = 0 }
     on && n++ < 25 { print }' "$log"
rm -f "$log"
if [ -z "$total" ]; then
  echo "0 passed, 1 failed (the test run produced no summary; exit status $status)"
  exit 1
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
