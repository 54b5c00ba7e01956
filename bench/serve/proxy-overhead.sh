#!/usr/bin/env bash
# What the guardrail proxy adds to a non-streamed upstream call: wrk against a fake upstream directly, then through
# `warden serve`'s /v1/chat/completions (request and answer both checked). Usage: bench/serve/proxy-overhead.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
python3 bench/serve/fake_upstream.py 18101 & upstream=$!
config=$(mktemp --suffix .json)
cat > "$config" <<JSON
{ "rateLimit": { "requestsPerSecond": 1000000, "burst": 1000000 }, "audit": { "enabled": false },
  "upstream": { "baseUrl": "http://127.0.0.1:18101/v1", "timeoutSeconds": 30 } }
JSON
dotnet src/Warden.Cli/bin/Release/net10.0/warden.dll serve --dev --urls http://127.0.0.1:18102 --store none --config "$config" >/tmp/warden-proxy-bench.log 2>&1 & server=$!
trap 'kill $upstream $server 2>/dev/null || true; rm -f "$config"' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18102/healthz >/dev/null && break; sleep 0.2; done
wrk -t1 -c1 -d3s -s bench/serve/chat.lua http://127.0.0.1:18102/v1/chat/completions >/dev/null   # warm-up
echo "| path | connections | requests/s | p50 ms | p90 ms | p99 ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for c in 1 4; do
  for target in "direct http://127.0.0.1:18101/v1/chat/completions" "proxy http://127.0.0.1:18102/v1/chat/completions"; do
    set -- $target
    out=$(wrk -t1 -c$c -d${duration}s --latency -s bench/serve/chat.lua "$2")
    echo "| $1 | $c | $(echo "$out" | awk '/Requests\/sec/ {print $2}') | $(echo "$out" | awk '$1=="50%" {print $2}') | $(echo "$out" | awk '$1=="90%" {print $2}') | $(echo "$out" | awk '$1=="99%" {print $2}') |"
  done
done
