#!/usr/bin/env bash
# Runs an already-built opencontainers/runtime-tools validation suite against runcs
# and, when installed, runc and crun; prints passed/failed assertions per test and
# runtime, then the totals. The suite is not part of this repository: build it
# yourself (README, "Conformance") and pass its directory.
#   usage: scripts/conformance.sh SUITE_DIR [TEST_NAME...]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:?usage: scripts/conformance.sh SUITE_DIR [TEST_NAME...]}
shift
suite=$(cd "$suite" && pwd)
[ -x "$suite/runtimetest" ] || { echo "$suite/runtimetest is missing: build the suite first" >&2; exit 1; }
runcs=${RUNCS_BINARY:-$here/out/runcs}
[ -x "$runcs" ] || { echo "$runcs is missing: run scripts/build.sh" >&2; exit 1; }

runtimes=("runcs=$runcs")
for other in runc crun; do
  command -v "$other" >/dev/null && runtimes+=("$other=$(command -v "$other")")
done

if [ $# -gt 0 ]; then tests=("$@"); else
  mapfile -t tests < <(cd "$suite/validation" && ls -d */ | tr -d / | while read -r t; do [ -x "$t/$t.t" ] && echo "$t"; done)
fi
results=$(mktemp -d)

cleanup_runtime() {
  local bin=$1
  for id in $("$bin" list -q 2>/dev/null); do "$bin" delete --force "$id" >/dev/null 2>&1; done
  # A runtime may leave mounts under the suite's bundle (runc does for a config without a
  # mount namespace); they would slow every later process that reads mountinfo.
  awk '$5 ~ "^/tmp/ocitest" {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf --one-file-system /tmp/ocitest* 2>/dev/null
}

for entry in "${runtimes[@]}"; do
  name=${entry%%=*}; bin=${entry#*=}
  for t in "${tests[@]}"; do
    out="$results/$name.$t"
    (cd "$suite" && RUNTIME="$bin" timeout 300 "./validation/$t/$t.t") >"$out" 2>"$out.err"
    echo $? >"$out.rc"
    cleanup_runtime "$bin"
  done
done

count() { grep -cE "$1" "$2" 2>/dev/null || true; }
printf '%-36s' "test"
for entry in "${runtimes[@]}"; do printf '%18s' "${entry%%=*} ok/fail"; done
echo
declare -A tot_ok tot_fail
for t in "${tests[@]}"; do
  printf '%-36s' "$t"
  for entry in "${runtimes[@]}"; do
    name=${entry%%=*}; out="$results/$name.$t"
    ok=$(count '^ok ' "$out"); fail=$(count '^not ok ' "$out")
    # A suite binary that dies before printing its plan counts as one failure.
    if ! grep -qE '^1\.\.[0-9]+' "$out"; then fail=$((fail + 1)); fi
    tot_ok[$name]=$(( ${tot_ok[$name]:-0} + ok ))
    tot_fail[$name]=$(( ${tot_fail[$name]:-0} + fail ))
    printf '%18s' "$ok/$fail"
  done
  echo
done
printf '%-36s' "TOTAL"
for entry in "${runtimes[@]}"; do name=${entry%%=*}; printf '%18s' "${tot_ok[$name]}/${tot_fail[$name]}"; done
echo
echo "raw TAP output: $results"
