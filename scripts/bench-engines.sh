#!/usr/bin/env bash
# Benchmarks runcs against runc under the engines that drive them, in one run:
# `ctr run --rm` and `ctr task exec` through containerd's runc shim, `docker run --rm`
# through dockerd, and `run` of /bin/true under Docker's default seccomp profile.
#   usage: scripts/bench-engines.sh [RUNS]      (default 20; called by scripts/bench.sh)
# Needs root; starts containerd and dockerd by hand under a temp dir and stops them after.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
"$here/scripts/deps.sh" runc containerd docker.io busybox-static jq
runcs=${RUNCS_BINARY:-$here/out/runcs}
[ -x "$runcs" ] || "$here/scripts/build.sh"
runc=$(command -v runc)
work=$(mktemp -d /tmp/runcs-bench-engines.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  umount -l /run/containerd/runc/bench 2>/dev/null || true
  rm -rf "$work" /run/containerd/runc/bench
  # The cgroup parents the runtimes made for the bench namespace and for dockerd (empty ones only).
  for d in /sys/fs/cgroup/*/bench /sys/fs/cgroup/*/docker; do rmdir "$d" 2>/dev/null || true; done
}
trap cleanup EXIT
# Everything, the shim's state root included, on a tmpfs, where /run is on a systemd host
# (here it is on the ext4 disk): runcs fsyncs each state.json it writes, runc does not.
mount -t tmpfs -o mode=0700 runcs-bench "$work"
mkdir -p /run/containerd/runc/bench
mount -t tmpfs -o mode=0711 runcs-bench /run/containerd/runc/bench

"$here/scripts/make-rootfs.sh" "$work/rootfs" >/dev/null
image=docker.io/library/runcs-busybox:latest
"$here/scripts/make-image.sh" "$work/rootfs" "$work/image.tar" "$image" >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
# Median in ms of the wall times (µs, one per line) in a file.
median() { sort -n "$1" | awk '{a[NR]=$1} END {printf "%.2f", (a[int((NR+1)/2)] + a[int(NR/2)+1]) / 2000}'; }
# Wall time of one run in µs, from bash's clock (no process of its own to time).
timed() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || return 1; local e=$EPOCHREALTIME; echo $(( ${e/./} - ${s/./} )); }
# label, target, then the command template with {b} (binary) and {n} (runtime name).
# runcs and runc alternate run by run: the engines' own time drifts over a run (dockerd's
# most), and one runtime's block after the other's would carry that drift into the ratio.
row() {
  local label=$1 target=$2 template=$3 i n
  declare -A cmd=()
  for n in runcs runc; do
    local b=$runcs; [ $n = runc ] && b=$runc
    cmd[$n]=${template//\{b\}/$b}
    cmd[$n]=${cmd[$n]//\{n\}/$n}
    : > "$work/$n.times"
  done
  for i in $(seq $((runs + 3))); do
    for n in runcs runc; do
      local t
      t=$(timed ${cmd[$n]}) || { echo "| $label | failed: ${cmd[$n]} |"; return; }
      [ "$i" -gt 3 ] && echo "$t" >> "$work/$n.times"
    done
  done
  local r c
  r=$(median "$work/runcs.times"); c=$(median "$work/runc.times")
  printf '| %-44s | %9s ms | %9s ms | %5s | %s |\n' "$label" "$r" "$c" "$(ratio "$r" "$c")" "$target"
}

# containerd 1.6 from Debian, its own config, root, state and socket.
ctd=$work/containerd
mkdir -p "$ctd"
cat > "$ctd/config.toml" <<TOML
version = 2
root = "$ctd/root"
state = "$ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctd/containerd.sock"
[ttrpc]
  address = "$ctd/containerd.sock.ttrpc"
TOML
containerd --config "$ctd/config.toml" >"$ctd/log" 2>&1 &
pids+=($!)
ctr="ctr -a $ctd/containerd.sock -n bench"
for _ in $(seq 100); do $ctr version >/dev/null 2>&1 && break; sleep 0.1; done
$ctr images import "$work/image.tar" >/dev/null
for n in runcs runc; do
  b=$runcs; [ $n = runc ] && b=$runc
  $ctr run -d --runc-binary "$b" "$image" exec-$n sleep 100000 >/dev/null
done

# dockerd from Debian with runcs added beside its own runc.
dk=$work/docker
mkdir -p "$dk"
dockerd --data-root "$dk/data" --exec-root "$dk/exec" --pidfile "$dk/docker.pid" -H "unix://$dk/docker.sock" \
  --bridge none --iptables=false --storage-driver vfs --add-runtime "runcs=$runcs" >"$dk/log" 2>&1 &
pids+=($!)
docker="docker -H unix://$dk/docker.sock"
for _ in $(seq 300); do $docker version >/dev/null 2>&1 && break; sleep 0.1; done
tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
$docker import "$work/rootfs.tar" "$image" >/dev/null

# Docker's default seccomp profile as dockerd writes it into a container's config.json.
id=$($docker run -d --network none "$image" sleep 100000)
jq '.linux.seccomp' "$(find "$dk/exec" -path "*$id*/config.json" | head -1)" > "$work/docker-seccomp.json"
$docker rm -f "$id" >/dev/null
bundle=$work/bundle
mkdir -p "$bundle"
"$runcs" spec --bundle "$bundle"
jq --arg root "$work/rootfs" --slurpfile sc "$work/docker-seccomp.json" \
  '.root.path = $root | .process.terminal = false | .process.args = ["/bin/true"] | .linux.seccomp = $sc[0]' \
  "$bundle/config.json" > "$bundle/c" && mv "$bundle/c" "$bundle/config.json"

echo
echo "engines: median wall time over $runs runs, runcs and runc alternating, $(date -u +%F); containerd $(containerd --version | cut -d' ' -f3), docker $($docker version -f '{{.Server.Version}}')"
echo "| command                                      |        runcs |         runc | ratio | target |"
echo "|----------------------------------------------|--------------|--------------|-------|--------|"
row "ctr run --rm /bin/true" "≤ 0.80" "$ctr run --rm --runc-binary {b} $image run-{n} /bin/true"
row "ctr task exec /bin/true" "≤ 0.50" "$ctr task exec --exec-id e exec-{n} /bin/true"
row "docker run --rm true" "≤ 0.85" "$docker run --rm --runtime {n} --network none $image true"
row "run /bin/true, Docker's seccomp profile" "≤ 0.50" "{b} --root $work/root-{n} run --bundle $bundle sc-{n}"
for n in runcs runc; do $ctr task kill -s KILL exec-$n >/dev/null 2>&1 || true; done
sleep 0.5
for n in runcs runc; do $ctr task delete exec-$n >/dev/null 2>&1 || true; $ctr container delete exec-$n >/dev/null 2>&1 || true; done
