#!/usr/bin/env bash
# Publishes runcs as one NativeAOT executable: out/runcs (or $1/runcs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/out}
"$here/scripts/deps.sh" clang zlib1g-dev libseccomp-dev
dotnet publish "$here/Runc.Sharp/Runc.Sharp.csproj" -c Release -r linux-x64 -o "$out" -nologo -v quiet
echo "built $out/runcs ($(du -h "$out/runcs" | cut -f1))"
