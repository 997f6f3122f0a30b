#!/usr/bin/env bash
# Phoenix.Asl side by side with aws-local-stepfunctions 3.0.0 (the peer, pinned in package.json), in one run, on the
# same definitions, input and Task mocks; each engine is one whole process measured by /usr/bin/time -v:
#   loop.asl.json: 100,000 iterations of a Pass (States.MathAdd) / Choice loop = 200,001 transitions -> transitions/s
#   map.asl.json:  an inline Map over 10,000 items, one mocked Lambda Task each -> items/s
# Phoenix runs as `phoenix asl run DEF --input IN --mocks MOCKS --virtual-clock --express` (the published Native AOT
# binary, and `dotnet phoenix.dll` from a Release build: the JIT); the peer as `node run-peer.mjs DEF IN MOCKS`. Both
# outputs must be equal, or the script fails: a rate of a wrong answer is no rate. --express: both runs are far past
# STANDARD's 25,000-event history quota, which Phoenix enforces as AWS does (the peer has none); on AWS they would
# have to be EXPRESS state machines.
#   tests/Phoenix.Benchmarks/asl-vs-peer/compare.sh [--runs N] [--aot PATH_TO_PHOENIX] [--no-jit]
# Without --aot it publishes functions/Phoenix.Cli (Native AOT, linux-x64) into .scratch/asl-vs-peer/aot first.
# Engines alternate within each run, so machine load falls on both; each figure is the median over the runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."

runs=1
aot=""
jit=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --aot) aot=${2:?--aot needs a path}; shift 2 ;;
    --no-jit) jit=0; shift ;;
    *) echo "compare: unknown argument '$1' (use --runs N, --aot PATH, --no-jit)" >&2; exit 2 ;;
  esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "compare: --runs '$runs' must be a positive whole number" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "compare: /usr/bin/time (GNU time, apt package 'time') is needed for peak RSS" >&2; exit 2; }

scratch=.scratch/asl-vs-peer
mkdir -p "$scratch"
[ -d "$here/node_modules/aws-local-stepfunctions" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
if [ -z "$aot" ]; then
  dotnet publish functions/Phoenix.Cli -c Release -r linux-x64 -o "$scratch/aot" --nologo -v quiet >"$scratch/publish.log"
  aot="$scratch/aot/phoenix"
fi
[ -x "$aot" ] || { echo "compare: '$aot' is not an executable" >&2; exit 2; }
engines=(aot peer)
if [ "$jit" = 1 ]; then
  dotnet build functions/Phoenix.Cli -c Release -o "$scratch/jit" --nologo -v quiet >"$scratch/build.log"
  engines=(aot jit peer)
fi

# The same files for both engines.
echo '{"n":0}' >"$scratch/loop-input.json"
node -e 'process.stdout.write(JSON.stringify({items: Array.from({length: 10000}, (_, i) => ({id: i}))}))' >"$scratch/map-input.json"
echo '{"Work":[{"return":{"ok":true}}]}' >"$scratch/mocks.json"

run_engine() { # engine definition input -> appends "wall_ms peak_kb" to $scratch/<def>-<engine>
  local engine=$1 def=$2 input=$3 out="$scratch/$2-$1" start end
  local command mocks=() peer_mocks=()
  # Only the Map calls a Task; Phoenix refuses mocks for states a definition does not have.
  if [ "$def" = map ]; then mocks=(--mocks "$scratch/mocks.json"); peer_mocks=("$scratch/mocks.json"); fi
  case "$engine" in
    aot) command=("$aot" asl run "$here/$def.asl.json" --input "$input" "${mocks[@]}" --virtual-clock --express) ;;
    jit) command=(dotnet "$scratch/jit/phoenix.dll" asl run "$here/$def.asl.json" --input "$input" "${mocks[@]}" --virtual-clock --express) ;;
    peer) command=(node "$here/run-peer.mjs" "$here/$def.asl.json" "$input" "${peer_mocks[@]}") ;;
  esac
  start=$(date +%s%N)
  /usr/bin/time -v -o "$out.time" "${command[@]}" >"$out.output"
  end=$(date +%s%N)
  echo "$(((end - start) / 1000000)) $(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out.time")" >>"$out.runs"
}

same_output() { # two JSON files -> fails unless they hold the same value
  node -e 'const fs = require("fs"); const [a, b] = process.argv.slice(1).map(f => JSON.stringify(JSON.parse(fs.readFileSync(f, "utf8"))));
    if (a !== b) { console.error("compare: outputs differ: " + process.argv[1] + " vs " + process.argv[2]); process.exit(1); }' "$1" "$2"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

for def in loop map; do
  for engine in "${engines[@]}"; do : >"$scratch/$def-$engine.runs"; done
done
for _ in $(seq "$runs"); do
  for def in loop map; do
    for engine in "${engines[@]}"; do
      run_engine "$engine" "$def" "$scratch/$def-input.json"
    done
    for engine in "${engines[@]}"; do same_output "$scratch/$def-peer.output" "$scratch/$def-$engine.output"; done
  done
done

label() { case "$1" in aot) echo "Phoenix (Native AOT)" ;; jit) echo "Phoenix (JIT, dotnet phoenix.dll)" ;; peer) echo "aws-local-stepfunctions 3.0.0 (Node $(node --version))" ;; esac; }
echo "| definition ($runs run(s), median; load average $(cut -d' ' -f1-3 /proc/loadavg)) | engine | wall | rate | peak RSS | rate / peer's |"
echo "|---|---|---|---|---|---|"
for def in loop map; do
  if [ "$def" = loop ]; then work=200001; unit="transitions/s"; title="loop: 100,000 iterations, 200,001 transitions"; else work=10000; unit="items/s"; title="map: 10,000 items, mocked Task"; fi
  peer_ms=$(cut -d' ' -f1 "$scratch/$def-peer.runs" | median)
  for engine in "${engines[@]}"; do
    ms=$(cut -d' ' -f1 "$scratch/$def-$engine.runs" | median)
    kb=$(cut -d' ' -f2 "$scratch/$def-$engine.runs" | median)
    awk -v t="$title" -v e="$(label "$engine")" -v ms="$ms" -v kb="$kb" -v w="$work" -v u="$unit" -v p="$peer_ms" 'BEGIN {
      printf "| %s | %s | %.2f s | %\047d %s | %.0f MB | %.1f× |\n", t, e, ms / 1000, (ms > 0) ? w * 1000 / ms : 0, u, kb / 1024, (ms > 0) ? p / ms : 0 }'
  done
done
