#!/usr/bin/env bash
# The first thing to run: builds runcs, makes a busybox bundle and runs a container in it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "run the demo as root (containers need it; rootless: see README)" >&2; exit 1; }
"$here/scripts/deps.sh" busybox-static jq
"$here/scripts/build.sh"
runcs="$here/out/runcs"
bundle="$here/bundles/busybox"
"$here/scripts/make-rootfs.sh" "$bundle/rootfs"
rm -f "$bundle/config.json"
"$runcs" spec --bundle "$bundle"
# Non-interactive: no terminal, and a command that shows where it runs.
jq '.process.terminal = false
    | .process.args = ["sh", "-c", "echo \"hello from $(hostname), pid $$, uid $(id -u)\"; ls /; cat /proc/self/status | grep CapEff"]' \
  "$bundle/config.json" > "$bundle/config.json.new" && mv "$bundle/config.json.new" "$bundle/config.json"
echo "--- $runcs --version"
"$runcs" --version
echo "--- runcs run demo"
cd "$bundle"
"$runcs" run "demo-$$"
echo "--- exit status $?; runcs list (empty: run deleted the container)"
"$runcs" list
