#!/usr/bin/env bash
# Load test of `warden serve` from a second process on loopback (needs wrk: apt-get install wrk).
# Usage: bench/serve/run.sh [duration_seconds]   — prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
port=18080
dotnet build src/Warden.Cli -c Release -v q -nologo >/dev/null
dotnet src/Warden.Cli/bin/Release/net10.0/warden.dll serve --dev --urls http://127.0.0.1:$port --store none --config bench/serve/warden-bench.json >/tmp/warden-serve-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done
# warm-up
wrk -t1 -c4 -d3s -s bench/serve/moderation.lua http://127.0.0.1:$port/v1/moderations >/dev/null
echo "| request | connections | requests/s | texts/s | p50 ms | p90 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for script in moderation moderation-batch; do
  per=1; [ "$script" = moderation-batch ] && per=32
  for c in 1 4 16 64; do
    threads=2; [ "$c" -lt 2 ] && threads=1
    out=$(wrk -t$threads -c$c -d${duration}s --latency -s bench/serve/$script.lua http://127.0.0.1:$port/v1/moderations)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p90=$(echo "$out" | awk '$1=="90%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $5} /Socket errors/ {print "socket:" $0}' | tr "\n" " ")
    texts=$(awk -v r="$rps" -v p="$per" 'BEGIN {printf "%.0f", r*p}')
    echo "| $script ($per text$([ $per -gt 1 ] && echo s)) | $c | $rps | $texts | $p50 | $p90 | $p99 | ${errors:-0} |"
  done
done
