#!/usr/bin/env bash
# End-to-end benchmark: otlpd (and optionally a peer collector) between otlpgen and count_sink.
#
# For each pipeline (reference, passthrough) and protocol (grpc, http) it starts a fresh sink and
# collector and measures:
#   - throughput: otlpgen flat out for --duration; delivered spans (counted by the sink) divided
#     by the collector's CPU time (utime+stime from /proc/PID/stat) over the same window. Runs
#     --runs times; the table shows the median and the spread (min..max).
#   - latency: otlpgen at 50k spans/s; the client-observed p99 per request. The batch processor
#     answers the client as soon as it has queued the data, so its timeout is never in this path.
#     For HTTP the same load straight against count_sink gives the client + loopback baseline,
#     and "added" is the difference; for gRPC the raw p99 is an upper bound.
#   - memory: RSS idle (2 s after start), and peak / steady (median of the second half of the
#     samples, every 200 ms) at 100k spans/s.
# It prints a table and writes all figures as JSON (--out). With --peer BIN --peer-config FILE it
# runs the same scenarios against that binary (started as `BIN --config FILE`, with the addresses
# in BENCH_GRPC_PORT, BENCH_HTTP_PORT, BENCH_SINK_PORT, BENCH_METRICS_PORT) and prints the ratios.
# --soak SECONDS instead runs the reference pipeline over gRPC at --soak-rate spans/s and prints
# RSS every 10 s.
#
#   bench/e2e/run_e2e.sh --duration 10 --runs 3 --out bench-e2e.json
#   bench/e2e/run_e2e.sh --peer ./otelcol-contrib --peer-config bench/e2e/reference.yaml \
#       --pipelines reference
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build"
duration=10
runs=3
out=bench-e2e.json
pipelines="reference passthrough"
protocols="grpc http"
peer=""
peer_config=""
workers=4
batch=100
soak=0
soak_rate=50000
skip_rate_runs=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --pipelines) pipelines=$2; shift 2 ;;
    --protocols) protocols=$2; shift 2 ;;
    --peer) peer=$2; shift 2 ;;
    --peer-config) peer_config=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    --soak-rate) soak_rate=$2; shift 2 ;;
    --skip-rate-runs) skip_rate_runs=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "run_e2e.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$peer" && -z "$peer_config" ]] || [[ -z "$peer" && -n "$peer_config" ]]; then
  echo "run_e2e.sh: --peer and --peer-config go together" >&2; exit 2
fi

otlpd="$build/cmd/otlpd/otlpd"
otlpgen="$build/cmd/otlpgen/otlpgen"
sink="$build/bench/e2e/count_sink"
for b in "$otlpd" "$otlpgen" "$sink"; do
  [[ -x "$b" ]] || { echo "run_e2e.sh: $b not built (cmake --build build)" >&2; exit 2; }
done
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
json_field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }

# Polls until `cmd` succeeds, up to $1 seconds.
wait_until() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.1
  done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

sinks=0
start_sink() {
  # A fresh file per sink: reading the previous sink's file would pick up its (dead) port.
  sinks=$((sinks + 1))
  local out="$work/sink.$sinks.out"
  "$sink" >"$out" 2>&1 &
  sink_pid=$!
  pids+=("$sink_pid")
  wait_until 10 grep -qs "listening on" "$out"
  sink_port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")
}
sink_spans() { json_field "$(curl -s "http://127.0.0.1:$sink_port/stats")" spans; }

# start_collector NAME BIN CONFIG: starts it on fresh ports, waits for both OTLP listeners.
start_collector() {
  local name=$1 bin=$2 config=$3
  export BENCH_GRPC_PORT=$("$sink" --free-port) BENCH_HTTP_PORT=$("$sink" --free-port)
  export BENCH_METRICS_PORT=$("$sink" --free-port) BENCH_SINK_PORT=$sink_port
  "$bin" --config "$config" >"$work/$name.log" 2>&1 &
  coll_pid=$!
  pids+=("$coll_pid")
  if ! wait_until 30 port_open "$BENCH_GRPC_PORT" || ! wait_until 30 port_open "$BENCH_HTTP_PORT"; then
    echo "run_e2e.sh: $name did not start; its log:" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

endpoint_for() {
  if [[ $1 == grpc ]]; then echo "127.0.0.1:$BENCH_GRPC_PORT"; else echo "http://127.0.0.1:$BENCH_HTTP_PORT"; fi
}

# Samples RSS of $1 every 200 ms into $2 until killed.
sample_rss() { while [[ -e /proc/$1 ]]; do rss_kib "$1" >>"$2" 2>/dev/null || true; sleep 0.2; done; }
# peak and steady (median of the second half) of a sample file, in KiB.
rss_peak() { sort -n "$1" | tail -1; }
rss_steady() {
  local n; n=$(wc -l <"$1")
  tail -n $(( (n + 1) / 2 )) "$1" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# Waits until the sink's span count has not moved for 1 s (at most 20 s): everything otlpd
# finished exporting. Leaves the final count in $settled.
settle() {
  local last=-1 stable=0 now
  for _ in $(seq 1 200); do
    now=$(sink_spans)
    if [[ "$now" == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
    last=$now
    (( stable >= 10 )) && break
    sleep 0.1
  done
  settled=$last
}

gen() {  # gen PROTOCOL ENDPOINT EXTRA...: runs otlpgen, prints its JSON report
  local protocol=$1 endpoint=$2; shift 2
  "$otlpgen" --protocol "$protocol" --endpoint "$endpoint" --workers "$workers" \
    --batch-size "$batch" --json "$@" || true
}

# --- one scenario ----------------------------------------------------------------------------------
results=()
declare -A median_rate
run_scenario() {  # NAME BIN CONFIG PIPELINE PROTOCOL
  local name=$1 bin=$2 config=$3 pipeline=$4 protocol=$5
  local rates=() r idle peak steady p99 base_p99 added achieved100 report
  for r in $(seq 1 "$runs"); do
    start_sink
    start_collector "$name" "$bin" "$config"
    if (( r == 1 )); then sleep 2; idle=$(rss_kib "$coll_pid"); fi
    local t0 s0 t1 delivered cpu
    t0=$(cpu_ticks "$coll_pid"); s0=$(sink_spans)
    report=$(gen "$protocol" "$(endpoint_for "$protocol")" --duration "${duration}s")
    settle
    t1=$(cpu_ticks "$coll_pid")
    delivered=$((settled - s0))
    cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN {printf "%.3f", (b - a) / hz}')
    rates+=("$(awk -v d="$delivered" -v c="$cpu" 'BEGIN {printf "%.0f", (c > 0 ? d / c : 0)}')")
    echo "  $name $pipeline/$protocol run $r: sent $(json_field "$report" items_ok) delivered $delivered cpu ${cpu}s -> ${rates[-1]} spans/cpu-s" >&2
    stop "$coll_pid"; stop "$sink_pid"
  done
  local sorted; sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
  local med min max
  med=$(awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}' <<<"$sorted")
  min=$(head -1 <<<"$sorted"); max=$(tail -1 <<<"$sorted")
  median_rate["$name/$pipeline/$protocol"]=$med

  p99=0; base_p99=0; added=0; peak=0; steady=0; achieved100=0
  if (( ! skip_rate_runs )); then
    # Latency at 50k spans/s.
    start_sink
    start_collector "$name" "$bin" "$config"
    report=$(gen "$protocol" "$(endpoint_for "$protocol")" --duration "${duration}s" --rate 50000)
    p99=$(json_field "$report" p99)
    if [[ $protocol == http ]]; then
      report=$(gen http "http://127.0.0.1:$sink_port" --duration "${duration}s" --rate 50000)
      base_p99=$(json_field "$report" p99)
      added=$(awk -v a="$p99" -v b="$base_p99" 'BEGIN {printf "%.0f", a - b}')
    else
      added=$p99
    fi
    stop "$coll_pid"; stop "$sink_pid"
    # Memory at 100k spans/s.
    start_sink
    start_collector "$name" "$bin" "$config"
    : >"$work/rss"
    sample_rss "$coll_pid" "$work/rss" &
    local sampler=$!
    report=$(gen "$protocol" "$(endpoint_for "$protocol")" --duration "${duration}s" --rate 100000)
    achieved100=$(json_field "$report" items_per_second)
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    peak=$(rss_peak "$work/rss"); steady=$(rss_steady "$work/rss")
    stop "$coll_pid"; stop "$sink_pid"
  fi

  printf '%-8s %-12s %-5s %12s %21s %9s %9s %11s %9s %12s\n' "$name" "$pipeline" "$protocol" \
    "$med" "$min..$max" "$(mib "$idle")" "$(mib "$peak")" "$(mib "$steady")" \
    "$(awk -v x="$p99" 'BEGIN {printf "%.2f", x / 1000}')" \
    "$(awk -v x="$added" 'BEGIN {printf "%.2f", x / 1000}')"
  results+=("{\"collector\":\"$name\",\"pipeline\":\"$pipeline\",\"protocol\":\"$protocol\",\"spans_per_cpu_second\":{\"median\":$med,\"min\":$min,\"max\":$max,\"runs\":[$(IFS=,; echo "${rates[*]}")]},\"rss_mib\":{\"idle\":$(mib "$idle"),\"peak_at_100k\":$(mib "$peak"),\"steady_at_100k\":$(mib "$steady")},\"achieved_rate_at_100k\":${achieved100:-0},\"latency_us_at_50k\":{\"p99\":${p99:-0},\"baseline_p99\":${base_p99:-0},\"added_p99\":${added:-0}}}")
}

# --- soak ------------------------------------------------------------------------------------------
if (( soak > 0 )); then
  start_sink
  start_collector otlpd "$otlpd" "$here/reference.yaml"
  echo "soak: reference pipeline over gRPC at $soak_rate spans/s for ${soak}s; RSS every 10 s"
  "$otlpgen" --protocol grpc --endpoint "127.0.0.1:$BENCH_GRPC_PORT" --workers "$workers" \
    --batch-size "$batch" --rate "$soak_rate" --duration "${soak}s" --json >"$work/soak.json" &
  gen_pid=$!
  start=$SECONDS
  while kill -0 "$gen_pid" 2>/dev/null; do
    echo "t=$((SECONDS - start))s rss=$(mib "$(rss_kib "$coll_pid")")MiB delivered=$(sink_spans)"
    sleep 10
  done
  wait "$gen_pid" || true
  settle
  echo "otlpgen: $(cat "$work/soak.json")"
  echo "final rss=$(mib "$(rss_kib "$coll_pid")")MiB delivered=$settled"
  exit 0
fi

# --- main ------------------------------------------------------------------------------------------
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs of ${duration}s, $workers workers x $batch spans per request"
printf '%-8s %-12s %-5s %12s %21s %9s %9s %11s %9s %12s\n' collector pipeline proto \
  "spans/cpu-s" "spread" "idle MiB" "peak MiB" "steady MiB" "p99 ms" "added p99 ms"
for pipeline in $pipelines; do
  for protocol in $protocols; do
    run_scenario otlpd "$otlpd" "$here/$pipeline.yaml" "$pipeline" "$protocol"
    if [[ -n "$peer" ]]; then
      run_scenario peer "$peer" "$peer_config" "$pipeline" "$protocol"
      awk -v a="${median_rate[otlpd/$pipeline/$protocol]}" -v b="${median_rate[peer/$pipeline/$protocol]}" \
        -v s="$pipeline/$protocol" 'BEGIN {printf "ratio otlpd/peer %s: %.2fx spans per CPU-second\n", s, (b > 0 ? a / b : 0)}'
    fi
  done
done
printf '{"commit":"%s","cores":%s,"duration_s":%s,"runs":%s,"workers":%s,"batch_size":%s,"results":[%s]}\n' \
  "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(nproc)" "$duration" \
  "$runs" "$workers" "$batch" "$(IFS=,; echo "${results[*]}")" >"$out"
echo "wrote $out"
