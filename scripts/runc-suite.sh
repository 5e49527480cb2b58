#!/usr/bin/env bash
# Runs runc's own integration suite (tests/integration/*.bats at TAG) against runcs and
# against a baseline runc, one after the other on this host, with the same harness
# (../shared/tools/runc-bats.sh), then prints every test that the baseline passes and
# runcs does not. Not part of CI: it needs a fetched runc repository.
#
#   scripts/runc-suite.sh RUNC_GIT_DIR TAG BASELINE OUTDIR [FILE.bats…]
#
# OUTDIR gets runcs/ and baseline/ (each the harness's own output: tap/, results.tsv,
# per-file.txt, hangs.txt) and regressions.tsv. ONLY=runcs or ONLY=baseline reuses the
# other side's earlier results. HANG_SECS defaults to 90 (a hang counts as a failure).
# Exits 1 when runcs fails a test the baseline passes, or hung.
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,/^set -e/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
git_dir=$1 tag=$2 baseline=$3 out=$4
shift 4
files=("$@")
harness=${RUNC_BATS:-$here/../shared/tools/runc-bats.sh}
[ -x "$harness" ] || { echo "runc-suite: no harness at $harness (set RUNC_BATS)" >&2; exit 2; }
runcs=${RUNCS_BINARY:-$here/out/runcs}
[ -x "$runcs" ] || { echo "runc-suite: no runcs at $runcs (run scripts/build.sh)" >&2; exit 2; }
export HANG_SECS=${HANG_SECS:-90}
mkdir -p "$out"

side() { # side NAME RUNTIME
  rm -rf "${out:?}/$1"
  "$harness" "$git_dir" "$tag" "$2" "$out/$1" ${files[@]+"${files[@]}"} >/dev/null 2>"$out/$1.log" || true
}
case "${ONLY:-}" in
  runcs) side runcs "$runcs" ;;
  baseline) side baseline "$baseline" ;;
  *) side baseline "$baseline"; side runcs "$runcs" ;;
esac

# results.tsv rows: FILE <tab> ok|not ok|skip <tab> test name
# Only the files runcs ran count, so that a run of a few files compares those files.
awk -F'\t' 'NR == FNR { if ($2 == "ok") pass[$1 "\t" $3] = $1; next }
            { ran[$1] = 1 }
            ($1 "\t" $3) in pass { seen[$1 "\t" $3] = 1; if ($2 != "ok") print $1 "\t" $3 }
            END { for (k in pass) if (!(k in seen) && (pass[k] in ran)) print k "\t(not run by runcs)" }' \
  "$out/baseline/results.tsv" "$out/runcs/results.tsv" | sort >"$out/regressions.tsv"

echo "baseline: $(cat "$out/baseline/summary.txt")"
echo "runcs:    $(cat "$out/runcs/summary.txt")"
awk 'NR == FNR { if (FNR > 1) base[$1] = $2 "/" $3; next }
     FNR == 1 { printf "%-30s %15s %13s\n", "file", "baseline ok/nok", "runcs ok/nok"; next }
     { printf "%-30s %15s %13s\n", $1, ($1 in base) ? base[$1] : "-", $2 "/" $3 }' \
  "$out/baseline/per-file.txt" "$out/runcs/per-file.txt"
hangs=$(grep -c . "$out/runcs/hangs.txt" 2>/dev/null || true)
n=$(grep -c . "$out/regressions.tsv" || true)
echo "runcs hangs: ${hangs:-0}"
echo "baseline passes, runcs does not: $n"
sed 's/^/  /' "$out/regressions.tsv"
[ "$n" -eq 0 ] && [ "${hangs:-0}" -eq 0 ]
