#!/usr/bin/env bash
# Installs the Debian packages otlpd needs to build and test, and only those that are missing.
# Safe to run repeatedly: when everything is present it does nothing and touches no network.
# Works on Debian 12 and on Debian-based systems (Ubuntu 22.04+) that ship the same packages.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  protobuf-compiler libprotobuf-dev
  libgrpc++-dev protobuf-compiler-grpc
  libyaml-cpp-dev libre2-dev libspdlog-dev libfmt-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev libzstd-dev libdeflate-dev
  # jemalloc: the otlpd binary's allocator (see cmd/otlpd/CMakeLists.txt).
  libjemalloc-dev
  libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  curl openssl
  # promtool (Prometheus' linter) checks the self-metrics page in tests/pipeline/telemetry.
  prometheus
  # clang and its libFuzzer runtime build the fuzz targets (make test-fuzz, tests/fuzz).
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query answers "install ok installed" only for a fully installed package.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js and npm drive the OpenTelemetry JS SDK in the tests. Many machines carry them from
# another source (nodesource bundles npm and conflicts with Debian's npm package), so look for
# the commands rather than the packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
