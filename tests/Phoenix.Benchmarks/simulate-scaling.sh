#!/usr/bin/env bash
# How `phoenix simulate`'s cost grows with the fleet: the default healthy deployment (a bake, then blue → green) at
# 10, 1,000 and 10,000 instances (the allowed maximum), each size run in its own process, one after the other.
#   tests/Phoenix.Benchmarks/simulate-scaling.sh [--runs N] [--phoenix PATH_TO_PHOENIX] [--sizes "10 1000 10000"] [--scenario NAME]
# --scenario runs another built-in scenario (default: healthy), e.g. eventual-consistency.
# Without --phoenix it builds functions/Phoenix.Cli (Release, JIT) into .scratch/simulate-scaling first; --phoenix takes
# any build of the CLI, e.g. the Native AOT binary. Prints a Markdown table: per size the median wall time, user and
# system CPU time of the whole process (start-up included, as a user meets it), and each size's CPU time against the
# previous size's. Linear cost means ~1× per 100× more instances at the small end (start-up dominates) and at most
# ~10× from 1,000 to 10,000; the issue's bar is 10,000 within 10× the time of 1,000.
# CPU time is the steadier figure on a shared machine: wall time also counts waiting for a core.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=1
phoenix=""
sizes="10 1000 10000"
scenario=healthy
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --phoenix) phoenix=${2:?--phoenix needs a path}; shift 2 ;;
    --sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
    --scenario) scenario=${2:?--scenario needs a name}; shift 2 ;;
    *) echo "simulate-scaling: unknown argument '$1' (use --runs N, --phoenix PATH, --sizes \"N N …\", --scenario NAME)" >&2; exit 2 ;;
  esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "simulate-scaling: --runs '$runs' must be a positive whole number" >&2; exit 2 ;; esac
for size in $sizes; do
  case "$size" in '' | *[!0-9]* | 0) echo "simulate-scaling: size '$size' must be a positive whole number" >&2; exit 2 ;; esac
done

scratch=.scratch/simulate-scaling
mkdir -p "$scratch"
if [ -z "$phoenix" ]; then
  dotnet build functions/Phoenix.Cli -c Release -o "$scratch/jit" --nologo -v quiet >"$scratch/build.log"
  phoenix="$scratch/jit/phoenix"
fi
[ -x "$phoenix" ] || { echo "simulate-scaling: '$phoenix' is not an executable" >&2; exit 2; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One warm-up, so the first size does not pay for a cold page cache.
"$phoenix" simulate --scenario "$scenario" --instances 10 >/dev/null

echo "| instances | wall s | user CPU s | system CPU s | CPU × previous size | result |"
echo "|---|---|---|---|---|---|"
previous=""
for size in $sizes; do
  : >"$scratch/wall"; : >"$scratch/user"; : >"$scratch/sys"
  for _ in $(seq "$runs"); do
    # bash's `time` reports the child's wall, user and system seconds; a failing simulation fails the script.
    TIMEFORMAT='%R %U %S'
    { time "$phoenix" simulate --scenario "$scenario" --instances "$size" >"$scratch/out-$size.txt"; } 2>"$scratch/time"
    read -r wall user sys <"$scratch/time"
    echo "$wall" >>"$scratch/wall"; echo "$user" >>"$scratch/user"; echo "$sys" >>"$scratch/sys"
  done
  wall=$(median <"$scratch/wall"); user=$(median <"$scratch/user"); sys=$(median <"$scratch/sys")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  ratio=$([ -z "$previous" ] && echo "–" || awk -v a="$previous" -v b="$cpu" 'BEGIN { printf "%.1f×", (a > 0) ? b / a : 0 }')
  result=$(sed -n 's/^Result: \([A-Z_ ()]*\) —.*/\1/p' "$scratch/out-$size.txt" | head -n1)
  echo "| $size | $wall | $user | $sys | $ratio | $result |"
  previous=$cpu
done
echo
echo "(scenario $scenario; $runs run(s) per size, median; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
