#!/usr/bin/env bash
# Publishes runcs as one NativeAOT executable: out/runcs (or $1/runcs).
# FAULT_POINTS=1 builds the crash tests' variant instead, which kills itself at the step that
# RUNCS_FAULT_KILL_AT names (Runc.Sharp/FaultPoints.cs); it is never installed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/out}
"$here/scripts/deps.sh" clang zlib1g-dev libseccomp-dev
flags=()
[ "${FAULT_POINTS:-}" = 1 ] && flags=(-p:FaultPoints=true)
dotnet publish "$here/Runc.Sharp/Runc.Sharp.csproj" -c Release -r linux-x64 -o "$out" -nologo -v quiet ${flags[@]+"${flags[@]}"}
echo "built $out/runcs ($(du -h "$out/runcs" | cut -f1))"
