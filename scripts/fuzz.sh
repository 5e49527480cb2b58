#!/usr/bin/env bash
# Explores with the fuzzers (Runc.Sharp.Tests/Unit/Fuzz) beyond the fixed inputs the test
# command tries: each fuzzer runs SECONDS (default 300) from a fresh seed, or from
# RUNCS_FUZZ_SEED to replay one. A failure prints its seed and input.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUNCS_FUZZ_SECONDS=${1:-300}
dotnet test Runc.Sharp.Tests/Runc.Sharp.Tests.csproj -c Release -nologo \
  --filter "FullyQualifiedName~Runc.Sharp.Tests.Unit.Fuzz" --logger "console;verbosity=normal"
