#!/usr/bin/env bash
# Benchmarks runcs against runc and crun in one run (hyperfine medians, ratios, peak RSS),
# the crash-safety load (scripts/bench-load.sh), then under containerd and dockerd
# (scripts/bench-engines.sh). LOAD_CYCLES (default 1000) sets the load's size, KILLS (default
# 200) the random kills of create (scripts/kill-leftovers.sh).
#   usage: scripts/bench.sh [RUNS]      (default 30 runs per command)
# Needs root and a built out/runcs; installs hyperfine, runc and crun if missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-30}
"$here/scripts/deps.sh" hyperfine runc crun busybox-static jq time
runcs=${RUNCS_BINARY:-$here/out/runcs}
[ -x "$runcs" ] || "$here/scripts/build.sh"
work=$(mktemp -d /tmp/runcs-bench.XXXXXX)
# The state roots on a tmpfs, where /run is on a systemd host (here it is on the ext4 disk):
# runcs fsyncs each state.json it writes, runc does not.
mount -t tmpfs -o mode=0700 runcs-bench "$work"
# crun 1.8.1 refuses a hybrid host whose hugetlb controller is on the unified hierarchy; a v1
# hugetlb hierarchy for the bench's duration lets it run. Restored on any exit.
hugetlb=/sys/fs/cgroup/hugetlb
mounted_hugetlb=
if [ ! -e "$hugetlb/cgroup.procs" ] && grep -q '^hugetlb' /proc/cgroups && [ -d /sys/fs/cgroup/unified ]; then
  mkdir -p "$hugetlb" 2>/dev/null && mount -t cgroup -o hugetlb cgroup "$hugetlb" && mounted_hugetlb=1
fi
restore() {
  if [ -n "$mounted_hugetlb" ]; then
    # What the runtimes under test left there (crun leaves inits behind after the random
    # kills) must go first: a v1 hierarchy with a cgroup left lives on after the umount, and
    # hugetlb then stays off the unified hierarchy for every later container.
    find "$hugetlb" -mindepth 2 -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    sleep 0.5
    find "$hugetlb" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
    umount "$hugetlb" && rmdir "$hugetlb" 2>/dev/null || true
    # The kernel ends a hierarchy once no cgroup below its root is left, dying ones included
    # (zombies pin those until this VM's pid 1 reaps them, every 2 s or so): wait for that. A
    # hierarchy whose last cgroup went after the umount ends only at a later umount.
    hugetlb_alive() { awk '$1 == "hugetlb" && $2 != 0 { found = 1 } END { exit !found }' /proc/cgroups; }
    local tries=0 again
    while hugetlb_alive && [ $tries -lt 20 ]; do
      sleep 1
      tries=$((tries + 1))
      if [ $tries -eq 10 ] && hugetlb_alive; then
        again=$(mktemp -d)
        mount -t cgroup -o hugetlb cgroup "$again" && umount "$again"
        rmdir "$again"
      fi
    done
    if hugetlb_alive; then
      echo "bench: the v1 hugetlb hierarchy outlived the bench (a cgroup in it could not be removed)" >&2
    fi
  fi
  umount -l "$work"; rm -rf "$work"
}
trap restore EXIT
rootfs="$here/bundles/busybox/rootfs"
[ -d "$rootfs/bin" ] || "$here/scripts/make-rootfs.sh" "$rootfs" >/dev/null

bundle="$work/bundle"
mkdir -p "$bundle"
"$runcs" spec --bundle "$bundle"
# ociVersion 1.0.2: crun 1.8 refuses newer config versions.
jq --arg root "$rootfs" '.ociVersion = "1.0.2" | .root.path = $root | .process.terminal = false | .process.args = ["/bin/true"]' \
  "$bundle/config.json" > "$bundle/c" && mv "$bundle/c" "$bundle/config.json"
limits="$work/limits"
mkdir -p "$limits"
jq '.linux.resources.memory = {"limit": 67108864} | .linux.resources.cpu = {"quota": 50000, "period": 100000} | .linux.resources.pids = {"limit": 64}' \
  "$bundle/config.json" > "$limits/config.json"

declare -A bin=([runcs]="$runcs" [runc]="$(command -v runc)" [crun]="$(command -v crun)")
names=(runcs runc crun)
# A current runc beside Debian's 1.1.5, where ../shared/vendor has it.
vendor_runc="$here/../shared/vendor/runc-1.3.6-linux-amd64.gz"
if [ -f "$vendor_runc" ]; then
  zcat "$vendor_runc" >"$work/runc-1.3.6" && chmod +x "$work/runc-1.3.6"
  bin[runc136]="$work/runc-1.3.6"
  names+=(runc136)
fi
usable=()
for n in "${names[@]}"; do
  root="$work/root-$n"
  if "${bin[$n]}" --root "$root" run --bundle "$bundle" probe-$n >/dev/null 2>"$work/probe-$n.err"; then
    usable+=("$n")
  else
    echo "note: $n cannot run containers on this host: $(head -c 300 "$work/probe-$n.err" | tr '\n' ' ')"
  fi
done

median() { jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$1"; }
measure() { # label, name, command...
  local file="$work/$(tr -c 'A-Za-z0-9' '_' <<<"$1").$2.json"; shift 2
  hyperfine -N --warmup 3 --runs "$n_runs" --export-json "$file" "$@" >/dev/null 2>&1 \
    || hyperfine --warmup 3 --runs "$n_runs" --export-json "$file" "$@" >/dev/null 2>&1 \
    || { echo "n/a"; return; }
  median "$file"
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

row() { # label, per runtime a command template with {b} (binary) {r} (root) {n} (name), [runs]
  local label=$1 template=$2 n_runs=${3:-$runs}
  printf '| %-28s' "$label"
  declare -gA last=()
  for n in "${names[@]}"; do
    if [[ " ${usable[*]} " != *" $n "* ]] && [[ "$template" == *"{bundle}"* || "$template" == *"{limits}"* ]]; then
      printf '| %12s ' "refused"; continue
    fi
    local cmd=${template//\{b\}/${bin[$n]}}
    cmd=${cmd//\{r\}/$work/root-$n}
    cmd=${cmd//\{n\}/$n}
    cmd=${cmd//\{bundle\}/$bundle}
    cmd=${cmd//\{limits\}/$limits}
    cmd=${cmd//\{spec\}/$work/spec-$n}
    mkdir -p "$work/spec-$n"
    local prep="rm -f $work/spec-$n/config.json"
    local m
    m=$(measure "$label" "$n" --prepare "$prep" "$cmd")
    last[$n]=$m
    printf '| %9s ms ' "$m"
  done
  local r="${last[runcs]:-}" c="${last[runc]:-}" k="${last[crun]:-}"
  ratio() { [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}' || echo "-"; }
  printf '| %7s | %7s |\n' "$(ratio "$r" "$c")" "$(ratio "$r" "$k")"
}

# A created container for `state`, and a running one with limits for `events --stats`.
sleeper="$work/sleeper"
mkdir -p "$sleeper"
jq '.process.args = ["sleep", "1000"]' "$limits/config.json" > "$sleeper/config.json"
for n in "${usable[@]}"; do
  "${bin[$n]}" --root "$work/root-$n" create --bundle "$bundle" state-$n >/dev/null
  "${bin[$n]}" --root "$work/root-$n" run -d --bundle "$sleeper" events-$n >/dev/null
done

echo
# Commands of a few ms get ten times the runs: over 20 runs their medians moved by 15% between runs.
quick=$((runs * 10))
echo "median wall time over $runs runs ($quick for --version, spec, state, events; hyperfine), $(date -u +%F), kernel $(uname -r)"
header() { printf '| %-28s' "$1"; for n in "${names[@]}"; do printf '| %12s ' "$n"; done; echo "$2"; }
header command "| runcs/runc | runcs/crun |"
printf '|%s' "------------------------------" $(for n in "${names[@]}"; do echo "--------------"; done) "---------" "---------"; echo "|"
row "--version" "{b} --version" "$quick"
row "spec" "{b} spec --bundle {spec}" "$quick"
row "state (created container)" "{b} --root {r} state state-{n}" "$quick"
row "run /bin/true" "{b} --root {r} run --bundle {bundle} run-{n}"
row "create+start+delete" "sh -c '{b} --root {r} create --bundle {bundle} csd-{n} && {b} --root {r} start csd-{n} && {b} --root {r} delete --force csd-{n}'"
row "create+start+delete, limits" "sh -c '{b} --root {r} create --bundle {limits} lim-{n} && {b} --root {r} start lim-{n} && {b} --root {r} delete --force lim-{n}'"
row "events --stats (limits)" "{b} --root {r} events --stats events-{n}" "$quick"

echo
echo "peak RSS (KB, /usr/bin/time; for run it includes the container's init before exec)"
printf '| %-15s' command; printf '| %5s ' "${names[@]}"; echo "|"
printf '|%s' "-----------------" $(for n in "${names[@]}"; do echo "-------"; done); echo "|"
for label in "--version" "spec" "state" "run"; do
  printf '| %-15s' "$label"
  for n in "${names[@]}"; do
    case $label in
      --version) v=$(rss "${bin[$n]}" --version) ;;
      spec) rm -f "$work/spec-$n/config.json"; v=$(rss "${bin[$n]}" spec --bundle "$work/spec-$n") ;;
      state) [[ " ${usable[*]} " == *" $n "* ]] && v=$(rss "${bin[$n]}" --root "$work/root-$n" state state-$n) || v=refused ;;
      run) [[ " ${usable[*]} " == *" $n "* ]] && v=$(rss "${bin[$n]}" --root "$work/root-$n" run --bundle "$bundle" rss-$n) || v=refused ;;
    esac
    printf '| %5s ' "$v"
  done
  echo "|"
done
for n in "${usable[@]}"; do
  "${bin[$n]}" --root "$work/root-$n" delete --force state-$n >/dev/null 2>&1 || true
  "${bin[$n]}" --root "$work/root-$n" delete --force events-$n >/dev/null 2>&1 || true
done

echo
echo "load: create/start/delete --force cycles, 8 at a time, memory and pids limits (scripts/bench-load.sh)"
pairs=()
for n in "${usable[@]}"; do pairs+=("$n=${bin[$n]}"); done
"$here/scripts/bench-load.sh" "$limits" "$work" "${LOAD_CYCLES:-1000}" "${pairs[@]}"

echo
echo "random kills: create SIGKILLed after 0-25 ms, then delete --force (scripts/kill-leftovers.sh)"
"$here/scripts/kill-leftovers.sh" "$limits" "$work" "${KILLS:-200}" "${pairs[@]}"

# The same comparison under containerd and dockerd, and with Docker's seccomp profile.
"$here/scripts/bench-engines.sh" "$runs"
