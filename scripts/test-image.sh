#!/usr/bin/env bash
# Builds the otlpd container image (deploy/docker/Dockerfile) and tests it end to end with podman,
# on a Debian machine without Docker or registry access (`make test-image`):
#
#   1. installs podman, runc, debootstrap and python3 when missing;
#   2. makes the base image debian:bookworm-slim locally with debootstrap when it is missing
#      (no registry is needed; the mirror is read from apt's own sources);
#   3. builds the image and prints its size;
#   4. runs it with a mounted config whose otlp_http exporter points at a fake backend on
#      loopback (a small Python server that records every POST), sends one OTLP/JSON span with
#      curl, and checks that the backend received that span;
#   5. runs the image's HEALTHCHECK, stops the container with SIGTERM (podman stop) and checks
#      that otlpd drained and exited with code 0.
#
# Environment: OTLPD_IMAGE (default otlpd:dev), OTLPD_PODMAN (default "podman --storage-driver
# vfs --runtime runc", what works on these machines), OTLPD_IMAGE_JOBS (compile jobs, default
# all CPUs), OTLPD_SKIP_BUILD=1 to test an image that is already built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${OTLPD_IMAGE:-otlpd:dev}"
base_image="docker.io/library/debian:bookworm-slim"
default_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
read -r -a podman <<< "${OTLPD_PODMAN:-podman --storage-driver vfs --runtime runc}"

log() { printf 'test-image: %s\n' "$*"; }
fail() {
  printf 'test-image: FAIL: %s\n' "$*" >&2
  exit 1
}
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# --- 1. Tools --------------------------------------------------------------------------------
missing=()
for tool in podman runc debootstrap python3 curl; do
  command -v "${tool}" > /dev/null || missing+=("${tool}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi
# Podman's default rlimits fail in these sandboxes. Only written when there is no system config,
# so an administrator's own file is never touched.
if [ ! -e /etc/containers/containers.conf ]; then
  log "writing /etc/containers/containers.conf (default_ulimits = [])"
  "${sudo_cmd[@]}" mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n' | "${sudo_cmd[@]}" tee /etc/containers/containers.conf > /dev/null
fi

# --- 2. Base image ---------------------------------------------------------------------------
if ! "${podman[@]}" image exists "${base_image}"; then
  mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2> /dev/null || true)"
  [ -n "${mirror}" ] || mirror="$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2> /dev/null || true)"
  [ -n "${mirror}" ] || fail "no Debian mirror found in apt's sources"
  rootfs="$(mktemp -d /tmp/otlpd-rootfs.XXXXXX)"
  log "making ${base_image} with debootstrap from ${mirror} (a few minutes)"
  "${sudo_cmd[@]}" debootstrap --variant=minbase bookworm "${rootfs}" "${mirror}" > "${rootfs}.log" 2>&1 \
    || { tail -20 "${rootfs}.log" >&2; fail "debootstrap failed"; }
  # The apt lists debootstrap leaves are stale by the time an image build runs apt-get update.
  "${sudo_cmd[@]}" rm -rf "${rootfs}/var/lib/apt/lists/"* "${rootfs}/var/cache/apt/archives/"*.deb
  # The image's / is the tarball's "." entry: mktemp made it 0700, which would hide everything
  # from the non-root users images run as.
  "${sudo_cmd[@]}" chmod 0755 "${rootfs}"
  # PATH and CMD as the official image sets them: an imported tarball has no config at all.
  "${sudo_cmd[@]}" tar -C "${rootfs}" -c . | "${podman[@]}" import --quiet \
    --change "ENV PATH=${default_path}" --change 'CMD ["bash"]' - "${base_image}" > /dev/null
  "${sudo_cmd[@]}" rm -rf "${rootfs}" "${rootfs}.log"
elif ! "${podman[@]}" run --rm --network host --user 65534 "${base_image}" true > /dev/null 2>&1; then
  # A base imported earlier by hand (a plain `podman import` of a mktemp directory): no PATH, and
  # a / that only root may enter, so no non-root user can run anything. Re-import its files with
  # the config: an export has no entry for / itself, so the new / is traversable.
  log "repairing ${base_image}: / closed to non-root users or no PATH"
  ctr="$("${podman[@]}" create "${base_image}" true)"
  "${podman[@]}" export "${ctr}" | "${podman[@]}" import --quiet \
    --change "ENV PATH=${default_path}" --change 'CMD ["bash"]' - "${base_image}" > /dev/null
  "${podman[@]}" rm "${ctr}" > /dev/null
fi

# --- 3. Build --------------------------------------------------------------------------------
if [ "${OTLPD_SKIP_BUILD:-0}" != 1 ]; then
  log "building ${image} from ${root}"
  # --format docker keeps HEALTHCHECK (the OCI format has no field for it).
  "${podman[@]}" build --pull=never --network host --format docker \
    --build-arg "JOBS=${OTLPD_IMAGE_JOBS:-0}" -t "${image}" -f "${root}/deploy/docker/Dockerfile" "${root}"
fi
"${podman[@]}" image exists "${image}" || fail "no image ${image} (built with OTLPD_SKIP_BUILD=1?)"
size="$("${podman[@]}" image inspect --format '{{.Size}}' "${image}")"
base_size="$("${podman[@]}" image inspect --format '{{.Size}}' "${base_image}")"
log "image ${image}: $((size / 1048576)) MiB ($(((size - base_size) / 1048576)) MiB above the base image)"

user="$("${podman[@]}" image inspect --format '{{.Config.User}}' "${image}")"
[ "${user}" = "10001:10001" ] || fail "image runs as \"${user}\", expected 10001:10001"
version="$("${podman[@]}" run --rm --network host "${image}" --version)"
log "${version}"

# --- 4. Run against a fake backend -----------------------------------------------------------
work="$(mktemp -d /tmp/otlpd-test-image.XXXXXX)"
container="otlpd-test-image-$$"
backend_pid=""
cleanup() {
  "${podman[@]}" rm -f --time 0 "${container}" > /dev/null 2>&1 || true
  [ -z "${backend_pid}" ] || kill "${backend_pid}" 2> /dev/null || true
  rm -rf "${work}"
}
trap cleanup EXIT

# The fake backend: answers every POST with 200 and an empty (valid) OTLP response, and appends
# one JSON line per request (path, encoding, and the decompressed body in hex) to a file.
cat > "${work}/backend.py" << 'EOF'
import gzip, json, sys, zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        with open(sys.argv[1], "a") as out:
            out.write(json.dumps({"path": self.path, "encoding": encoding,
                                  "content_type": self.headers.get("Content-Type", ""),
                                  "body": body.hex()}) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
EOF
: > "${work}/requests.jsonl"
python3 "${work}/backend.py" "${work}/requests.jsonl" "${work}/backend.port" &
backend_pid=$!

# Polls `command` every 0.2s until it succeeds or `seconds` pass.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "${SECONDS}" -lt "${deadline}" ] || fail "timed out after ${seconds}s waiting for ${what}"
    sleep 0.2
  done
}
wait_for 10 "the fake backend" test -s "${work}/backend.port"
backend_port="$(cat "${work}/backend.port")"

# The container shares the host network (the only mode that works in these sandboxes), so its
# listeners must not collide with anything on the host: the receivers take port 0 and print the
# port they got; self-metrics take a port the kernel says is free. The health check uses 13133 -
# the port the image's HEALTHCHECK asks - when it is free here.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port_is_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2> /dev/null; }
health_port=13133
port_is_free "${health_port}" || health_port="$(free_port)"
metrics_port="$(free_port)"

cat > "${work}/config.yaml" << EOF
extensions:
  health_check:
    endpoint: 127.0.0.1:${health_port}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
      http:
        endpoint: 127.0.0.1:0
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  batch:
    timeout: 200ms
exporters:
  otlp_http/backend:
    endpoint: http://127.0.0.1:${backend_port}
    compression: gzip
  debug:
    verbosity: basic
service:
  extensions: [health_check]
  telemetry:
    metrics:
      address: 127.0.0.1:${metrics_port}
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp_http/backend, debug]
EOF
# The image runs as uid 10001: the mounted file must be readable by it.
chmod 0644 "${work}/config.yaml"

# Run as Kubernetes would: read-only root filesystem, no capabilities, no privilege escalation.
# No systemd here to schedule the HEALTHCHECK: it is run once by hand below.
"${podman[@]}" run -d --name "${container}" --network host --read-only --cap-drop ALL \
  --health-interval disable \
  --security-opt no-new-privileges -v "${work}/config.yaml:/etc/otlpd/config.yaml:ro" \
  "${image}" > /dev/null
logs() { "${podman[@]}" logs "${container}" 2>&1; }
started() {
  local state
  state="$("${podman[@]}" inspect --format '{{.State.Status}}' "${container}")"
  [ "${state}" = running ] || { logs >&2; fail "container is ${state} before it started"; }
  logs | grep -q 'started;'
}
wait_for 30 "otlpd to start" started
http_port="$(logs | sed -n 's/.*OTLP\/HTTP listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' | head -n1)"
[ -n "${http_port}" ] || { logs >&2; fail "no 'OTLP/HTTP listening on' line in the log"; }
log "otlpd is up: OTLP/HTTP on 127.0.0.1:${http_port}, backend on 127.0.0.1:${backend_port}"

trace_id="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
now_ns="$(date +%s%N)"
cat > "${work}/span.json" << EOF
{"resourceSpans": [{
  "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "test-image"}}]},
  "scopeSpans": [{"scope": {"name": "test-image.sh"}, "spans": [{
    "traceId": "${trace_id}", "spanId": "0102030405060708", "name": "test-image-span",
    "kind": 2, "startTimeUnixNano": "$((now_ns - 1000000))", "endTimeUnixNano": "${now_ns}"
  }]}]
}]}
EOF
code="$(curl -sS -o "${work}/response" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "@${work}/span.json" "http://127.0.0.1:${http_port}/v1/traces")"
[ "${code}" = 200 ] || fail "POST /v1/traces answered ${code}: $(cat "${work}/response")"
log "sent one span (trace ${trace_id}): HTTP 200"

# The span's trace ID and name, as raw bytes of the protobuf the exporter sent.
span_name_hex="$(printf 'test-image-span' | od -An -tx1 | tr -d ' \n')"
received() {
  grep '"path": "/v1/traces"' "${work}/requests.jsonl" | grep "${trace_id}" | grep -q "${span_name_hex}"
}
wait_for 30 "the backend to receive the span" received
log "backend received the span on /v1/traces ($(grep -c . "${work}/requests.jsonl") request(s), $(grep -o '"encoding": "[a-z]*"' "${work}/requests.jsonl" | head -n1))"

# --- 5. Health check and graceful stop -------------------------------------------------------
if [ "${health_port}" = 13133 ]; then
  "${podman[@]}" healthcheck run "${container}" > /dev/null || fail "the image's HEALTHCHECK failed"
  log "HEALTHCHECK passed"
else
  code="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${health_port}/")"
  [ "${code}" = 200 ] || fail "health_check answered ${code}"
  log "port 13133 is busy on this host: HEALTHCHECK not run; health_check answered 200 on ${health_port}"
fi

# podman stop sends SIGTERM, then SIGKILL after --time; exit code 0 means otlpd stopped by itself.
stop_start=${SECONDS}
"${podman[@]}" stop --time 30 "${container}" > /dev/null
exit_code="$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "${container}")"
[ "${exit_code}" = 0 ] || { logs >&2; fail "exit code ${exit_code} after SIGTERM, expected 0"; }
logs | grep -q 'shutdown complete' || { logs >&2; fail "no 'shutdown complete' in the log"; }
log "SIGTERM: clean exit 0 in $((SECONDS - stop_start))s"
log "PASS"
