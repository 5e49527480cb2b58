#!/usr/bin/env bash
# The random-kill measure of the crash-safety issue, per runtime: KILLS `create`s, each
# SIGKILLed after a random 0–25 ms, each followed by `delete --force`. Prints one table row
# per runtime with what was left: state dirs, cgroup dirs (every hierarchy), mounts naming
# the ids, and processes (in those cgroups, or new since the start and running the
# runtime's binary: a parked init, a raw child; every command of the run has ended by then). CrashSafetyTests runs the same measure on runcs in CI and requires zeros.
#   usage: scripts/kill-leftovers.sh BUNDLE WORKDIR KILLS NAME=BINARY...
set -euo pipefail
bundle=$1 work=$2 kills=$3
shift 3

echo "| runtime | $kills random kills of create | state dirs left | cgroups left | mounts left | processes left |"
echo "|---|---|---|---|---|---|"
for pair in "$@"; do
  name=${pair%%=*} binary=${pair#*=}
  root="$work/kill-root-$name"
  prefix="kill-$name-$$"
  mkdir -p "$root"
  before=$(ls /proc | grep -E '^[0-9]+$' | sort)
  for i in $(seq 1 "$kills"); do
    "$binary" --root "$root" create --bundle "$bundle" "$prefix-$i" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % 26)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    "$binary" --root "$root" delete --force "$prefix-$i" >/dev/null 2>&1 || true
  done
  sleep 1
  dirs=$(find "$root" -mindepth 1 -maxdepth 1 -type d | wc -l)
  cgroups=$(find /sys/fs/cgroup -type d -name "$prefix-*" 2>/dev/null | wc -l)
  mounts=$(grep -c "$prefix" /proc/self/mountinfo || true)
  procs=0
  for p in $(comm -13 <(echo "$before") <(ls /proc | grep -E '^[0-9]+$' | sort)); do
    # A zombie is dead already: a container init whose runtime was killed is reparented
    # to pid 1, and this machine's pid 1 reaps it within seconds.
    grep -qs '^State:.*Z' "/proc/$p/status" && continue
    if grep -qs "$prefix" "/proc/$p/cgroup" ||
      tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qE "^([^ ]*/)?(runc|runcs|$(basename "$binary"))( |:\[)"; then
      procs=$((procs + 1))
      kill -9 "$p" 2>/dev/null || true
    fi
  done
  # What the runtime left is reported, then removed, so the next runtime starts clean.
  find /sys/fs/cgroup -depth -type d -name "$prefix-*" -exec rmdir {} + 2>/dev/null || true
  echo "| $name | $kills | $dirs | $cgroups | $mounts | $procs |"
done
