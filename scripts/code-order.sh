#!/usr/bin/env bash
# Regenerates Runc.Sharp/CodeOrder.txt, the order ILC lays out runcs's managed methods in
# (IlcOrderFile): the methods that --version, state, spec, create, start, delete and then run
# (with its init stage) run, in the order they first ran, those commands in that order. A
# command then runs code from a few 64 KB fault-around windows of the binary instead of from
# all of its 3 MB of managed code, and its peak RSS drops by as much. Methods the file does
# not name work as before, unordered.
#   usage: scripts/code-order.sh        (root; each command is single-stepped: a few minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/deps.sh" clang binutils jq busybox-static
work=$(mktemp -d /tmp/runcs-code-order.XXXXXX)
runcs=$work/out/runcs
root=$work/root
cleanup() {
  for id in co-state co-run co-fg; do "$runcs" --root "$root" delete --force "$id" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
"$here/scripts/build.sh" "$work/out" >/dev/null
symbols=$here/Runc.Sharp/bin/Release/net10.0/linux-x64/native/runcs.dbg
managed=$here/Runc.Sharp/obj/Release/net10.0/linux-x64/native/runcs.o
clang -O2 -Wall -Werror -o "$work/trace-code" "$here/scripts/trace-code.c"
read -r start size < <(readelf -lW "$runcs" | awk '$1 == "LOAD" && $8 == "E" { print $3, $6 }')
lo=$((start)) hi=$((start + size))

rootfs=$here/bundles/busybox/rootfs
[ -d "$rootfs/bin" ] || "$here/scripts/make-rootfs.sh" "$rootfs" >/dev/null
bundle=$work/bundle
mkdir -p "$bundle" "$work/spec"
"$runcs" spec --bundle "$bundle"
jq --arg root "$rootfs" '.root.path = $root | .process.terminal = false | .process.args = ["/bin/true"]
  | .linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 64}' \
  "$bundle/config.json" > "$bundle/c" && mv "$bundle/c" "$bundle/config.json"
"$runcs" --root "$root" create --bundle "$bundle" co-state

trace() { # [-f], name, runcs arguments...
  local follow=()
  [ "$1" = -f ] && { follow=(-f); shift; }
  local name=$1; shift
  "$work/trace-code" "${follow[@]}" "$work/$name.addr" "$lo" "$hi" -- "$runcs" "$@" >/dev/null \
    || { echo "code-order: runcs $* failed under the tracer" >&2; return 1; }
}
# Two chains at once, one per core; the order file takes them in the order named below.
{ trace version --version && trace state --root "$root" state co-state && trace spec spec --bundle "$work/spec"; } &
cli=$!
trace create --root "$root" create --bundle "$bundle" co-run
trace start --root "$root" start co-run
sleep 0.5 # for its /bin/true to exit: delete refuses a running container
trace delete --root "$root" delete co-run
trace -f run --root "$root" run --bundle "$bundle" co-fg
wait "$cli"

# Address -> the symbol at or below it, by merging both sorted lists; then first-run order,
# each name once, ILC's own (managed) symbols only.
for name in version state spec create start delete run; do cat "$work/$name.addr"; done | awk '{ print $1, "A", NR }' > "$work/addr"
nm --defined-only "$symbols" | awk '$2 ~ /^[tT]$/ { print $1, "S", $3 }' > "$work/syms"
nm --defined-only "$managed" | awk '$2 ~ /^[tT]$/ { print $3 }' | LC_ALL=C sort -u > "$work/managed"
LC_ALL=C sort -k1,1 -k2,2r "$work/syms" "$work/addr" \
  | awk '$2 == "S" { sym = $3; next } sym != "" { print $3, sym }' \
  | sort -n -k1,1 | awk '!seen[$2]++ { print $2 }' > "$work/ordered"
awk 'NR == FNR { keep[$1] = 1; next } keep[$1]' "$work/managed" "$work/ordered" > "$here/Runc.Sharp/CodeOrder.txt"
echo "Runc.Sharp/CodeOrder.txt: $(wc -l < "$here/Runc.Sharp/CodeOrder.txt") methods"
