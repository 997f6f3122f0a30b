#!/usr/bin/env bash
# Cold-start figures for the Lambda bootstrap: process start to first response (median of RUNS, default 20) for
# the Native AOT binary and the JIT build on the same handler (Validate, with SSM answered on loopback), run in
# turn so both see the same machine, with the JIT/AOT ratio; binary and zip size, and peak memory (VmHWM).
# --floor adds floor/ (GET next, one HMAC, one POST to SSM, POST the response: the least any bootstrap does).
# Usage: tests/Phoenix.Lambda.Tests/scripts/coldstart.sh [--floor] [RUNS] [SCRATCH_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
floor=false
if [[ "${1:-}" == "--floor" ]]; then
  floor=true
  shift
fi
runs=${1:-20}
scratch=${2:-${TMPDIR:-/tmp}/phoenix-coldstart}
mkdir -p "$scratch"

echo "building the AOT binary and asset (slow) ..." >&2
dotnet publish "$root/functions/Phoenix.Lambda" -c Release -r linux-x64 --artifacts-path "$scratch/aot-artifacts" \
  -o "$scratch/aot" -p:LambdaAssetPath="$scratch/bootstrap.zip" --disable-build-servers -nodeReuse:false >&2
echo "building the JIT (framework-dependent) bootstrap ..." >&2
dotnet publish "$root/functions/Phoenix.Lambda" -c Release -p:PublishAot=false --artifacts-path "$scratch/jit-artifacts" \
  -o "$scratch/jit" --disable-build-servers -nodeReuse:false >&2
floor_binary=()
if $floor; then
  echo "building the floor (AOT) ..." >&2
  dotnet publish "$here/floor/Floor.csproj" -c Release -r linux-x64 --artifacts-path "$scratch/floor-artifacts" \
    -o "$scratch/floor" --disable-build-servers -nodeReuse:false >&2
  floor_binary=("$scratch/floor/floor")
fi

echo "uptime before: $(uptime)" >&2
python3 "$here/coldstart.py" "$runs" "$scratch/aot/bootstrap" "$scratch/jit/bootstrap.dll" "${floor_binary[@]}"
echo "uptime after: $(uptime)" >&2
echo "{\"aotBinaryBytes\": $(stat -c %s "$scratch/aot/bootstrap"), \"zipBytes\": $(stat -c %s "$scratch/bootstrap.zip"), \"jitFolderBytes\": $(du -sb "$scratch/jit" | cut -f1)}"
