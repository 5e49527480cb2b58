#!/usr/bin/env bash
# The load of the crash-safety issue, timed per runtime: CYCLES create/start/delete --force
# cycles, 8 at a time, of a /bin/true container under memory and pids limits. Prints one
# table row per runtime: wall time, cycles per second, failed cycles, and what was left
# (state dirs, cgroup dirs, processes). LoadTests runs the same load on runcs in CI.
#   usage: scripts/bench-load.sh BUNDLE WORKDIR CYCLES NAME=BINARY...
set -euo pipefail
bundle=$1 work=$2 cycles=$3
shift 3

one() { # the body of one cycle, run by xargs: BINARY ROOT ID
  "$1" --root "$2" create --bundle "$BUNDLE" "$3" >/dev/null 2>&1 &&
    "$1" --root "$2" start "$3" >/dev/null 2>&1 &&
    "$1" --root "$2" delete --force "$3" >/dev/null 2>&1 || { echo "$3" >>"$FAILED"; "$1" --root "$2" delete --force "$3" >/dev/null 2>&1 || true; }
}
export -f one
export BUNDLE=$bundle

echo "| runtime | $cycles cycles ×8 | cycles/s | failed | state dirs left | cgroups left | processes left |"
echo "|---|---|---|---|---|---|---|"
for pair in "$@"; do
  name=${pair%%=*} binary=${pair#*=}
  root="$work/load-root-$name"
  prefix="load-$name-$$"
  mkdir -p "$root"
  export FAILED="$work/load-failed-$name"
  : >"$FAILED"
  start=$(date +%s.%N)
  seq 1 "$cycles" | sed "s/^/$prefix-/" | xargs -P 8 -I{} bash -c 'one "$@"' _ "$binary" "$root" {}
  end=$(date +%s.%N)
  dirs=$(find "$root" -mindepth 1 -maxdepth 1 -type d | wc -l)
  cgroups=$(find /sys/fs/cgroup -type d -name "$prefix-*" 2>/dev/null | wc -l)
  # Zombies are not counted: /bin/true's parent has exited by then, so it waits for pid 1,
  # which reaps it within seconds on this machine.
  procs=0
  for f in $(grep -ls "$prefix" /proc/[0-9]*/cgroup); do
    grep -qs '^State:.*Z' "${f%/cgroup}/status" || procs=$((procs + 1))
  done
  awk -v n="$name" -v s="$start" -v e="$end" -v c="$cycles" -v f="$(wc -l <"$FAILED")" -v d="$dirs" -v g="$cgroups" -v p="$procs" \
    'BEGIN { printf "| %s | %.1f s | %.0f | %d | %d | %d | %d |\n", n, e - s, c / (e - s), f, d, g, p }'
done
