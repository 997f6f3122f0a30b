#!/usr/bin/env bash
# The `phoenix` CLI's Native AOT figures, AOT and JIT measured in the same run, one after the other, run after run:
#   binary size; process start to the end of `--help`; wall time of `phoenix simulate` (the default healthy scenario).
#   tests/Phoenix.Benchmarks/aot-figures.sh [--runs N] [--aot PATH_TO_PHOENIX]
# Without --aot it publishes functions/Phoenix.Cli (Native AOT, linux-x64) into .scratch/aot-figures first; the JIT
# side is `dotnet phoenix.dll` from a Release build of the same sources. Prints a Markdown table of medians.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=20
aot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --aot) aot=${2:?--aot needs a path}; shift 2 ;;
    *) echo "aot-figures: unknown argument '$1' (use --runs N, --aot PATH)" >&2; exit 2 ;;
  esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "aot-figures: --runs '$runs' must be a positive whole number" >&2; exit 2 ;; esac

scratch=.scratch/aot-figures
mkdir -p "$scratch"
if [ -z "$aot" ]; then
  dotnet publish functions/Phoenix.Cli -c Release -r linux-x64 -o "$scratch/aot" --nologo -v quiet >"$scratch/publish.log"
  aot="$scratch/aot/phoenix"
fi
[ -x "$aot" ] || { echo "aot-figures: '$aot' is not an executable" >&2; exit 2; }
dotnet build functions/Phoenix.Cli -c Release -o "$scratch/jit" --nologo -v quiet >"$scratch/build.log"
jit_dll="$scratch/jit/phoenix.dll"

# Milliseconds one command takes, output discarded (a failing command fails the script: a figure of an error is no figure).
elapsed_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One warm-up each, so neither side pays for a cold page cache the other does not.
"$aot" --help >/dev/null
dotnet "$jit_dll" --help >/dev/null

: >"$scratch/help-aot"; : >"$scratch/help-jit"; : >"$scratch/sim-aot"; : >"$scratch/sim-jit"
for _ in $(seq "$runs"); do
  elapsed_ms "$aot" --help >>"$scratch/help-aot"
  elapsed_ms dotnet "$jit_dll" --help >>"$scratch/help-jit"
  elapsed_ms "$aot" simulate >>"$scratch/sim-aot"
  elapsed_ms dotnet "$jit_dll" simulate >>"$scratch/sim-jit"
done

size=$(stat -c %s "$aot")
help_aot=$(median <"$scratch/help-aot"); help_jit=$(median <"$scratch/help-jit")
sim_aot=$(median <"$scratch/sim-aot"); sim_jit=$(median <"$scratch/sim-jit")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a > 0) ? b / a : 0 }'; }

echo "| figure ($runs runs, median, load average $(cut -d' ' -f1-3 /proc/loadavg)) | Native AOT | JIT (dotnet phoenix.dll) | JIT / AOT |"
echo "|---|---|---|---|"
echo "| binary size | $(awk -v s="$size" 'BEGIN { printf "%.1f MB (%d bytes)", s / 1e6, s }') | framework-dependent | |"
echo "| start-up to end of --help | ${help_aot} ms | ${help_jit} ms | $(ratio "$help_aot" "$help_jit")× |"
echo "| phoenix simulate (healthy, wall) | ${sim_aot} ms | ${sim_jit} ms | $(ratio "$sim_aot" "$sim_jit")× |"
