#!/usr/bin/env bash
# Cold-start figures for the Lambda bootstrap: process start to first response (median of RUNS, default 20) for
# the Native AOT binary and the JIT build on the same handler (Validate, with SSM answered on loopback), binary and
# zip size, and peak memory (VmHWM). Usage: tests/Phoenix.Lambda.Tests/scripts/coldstart.sh [RUNS] [SCRATCH_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-20}
scratch=${2:-${TMPDIR:-/tmp}/phoenix-coldstart}
mkdir -p "$scratch"

echo "building the AOT binary and asset (slow) ..." >&2
dotnet publish "$root/functions/Phoenix.Lambda" -c Release -r linux-x64 --artifacts-path "$scratch/aot-artifacts" \
  -o "$scratch/aot" -p:LambdaAssetPath="$scratch/bootstrap.zip" --disable-build-servers -nodeReuse:false >&2
echo "building the JIT (framework-dependent) bootstrap ..." >&2
dotnet publish "$root/functions/Phoenix.Lambda" -c Release -p:PublishAot=false --artifacts-path "$scratch/jit-artifacts" \
  -o "$scratch/jit" --disable-build-servers -nodeReuse:false >&2

python3 "$(dirname "$0")/coldstart.py" "$runs" "$scratch/aot/bootstrap" "$scratch/jit/bootstrap.dll"
echo "{\"aotBinaryBytes\": $(stat -c %s "$scratch/aot/bootstrap"), \"zipBytes\": $(stat -c %s "$scratch/bootstrap.zip"), \"jitFolderBytes\": $(du -sb "$scratch/jit" | cut -f1)}"
