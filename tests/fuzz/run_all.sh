#!/usr/bin/env bash
# Runs every libFuzzer target for a while over its checked-in corpus; exits non-zero on the first
# finding (crash, leak, UB, timeout, out-of-memory). `make test-fuzz` calls it after building.
#
#   tests/fuzz/run_all.sh <fuzz build dir> [seconds per target] [target ...]
#   tests/fuzz/run_all.sh build-fuzz 600 otlp_json_fuzzer
#
# New inputs the fuzzer finds go to a scratch corpus under the build directory, never into
# tests/fuzz/corpus: what is checked in stays small and reviewed. Findings are written to
# <build dir>/fuzz-findings/ and the run stops there.
set -euo pipefail

build_dir=${1:?usage: run_all.sh <fuzz build dir> [seconds] [target ...]}
seconds=${2:-30}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(http_body_fuzzer otlp_proto_fuzzer otlp_wire_fuzzer otlp_json_fuzzer compression_fuzzer
           ottl_fuzzer config_fuzzer segment_reader_fuzzer)
fi

findings="$build_dir/fuzz-findings"
mkdir -p "$findings"
for target in "${targets[@]}"; do
  name=${target%_fuzzer}
  binary="$build_dir/tests/fuzz/$target"
  [ -x "$binary" ] || { echo "missing $binary: build the fuzz targets first" >&2; exit 2; }
  scratch="$build_dir/fuzz-corpus/$name"
  mkdir -p "$scratch"
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$findings/$name-")
  [ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")
  log="$build_dir/fuzz-$name.log"
  echo "== $target: ${seconds}s (log: $log)"
  # libFuzzer's out-of-memory report walks the whole heap under ptrace and can take many minutes
  # at 2 GB; the outer timeout keeps a run bounded and counts as a finding (see the log).
  if ! timeout --signal=KILL $((seconds + 180)) \
       "$binary" "${args[@]}" "$scratch" "$here/corpus/$name" >"$log" 2>&1; then
    echo "FINDING in $target; the input is in $findings:" >&2
    # The report's first lines and the first frames in this project's code say what broke.
    grep -E '(ERROR:|^SUMMARY|runtime error)' "$log" | head -5 >&2 || true
    grep -E '^ +#[0-9]+ .* /.*\.(cc|h):[0-9]+' "$log" | grep -v '/usr/' | head -3 >&2 || true
    exit 1
  fi
  grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/   /"
done
echo "no findings"
