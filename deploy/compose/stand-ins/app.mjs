// A stand-in application: every INTERVAL_MS it sends one trace, one metric and one log record as
// OTLP/JSON over HTTP, exactly as an OpenTelemetry SDK would, and prints what the collector
// answered. Any real SDK app works the same way: set OTEL_EXPORTER_OTLP_ENDPOINT.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 node app.mjs
//
// Each trace holds a "GET /orders" span and a "GET /api/health" span; the reference pipeline's
// filter/noisy drops the second, so only the first reaches the backend.
import { randomBytes } from "node:crypto";

const endpoint = (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || "http://localhost:4318").replace(/\/+$/, "");
const serviceName = process.env.OTEL_SERVICE_NAME || "compose-demo-app";
const intervalMs = Number(process.env.INTERVAL_MS || 5000);

const resource = {
  attributes: [{ key: "service.name", value: { stringValue: serviceName } }],
};
const scope = { name: "otlpd-compose-demo", version: "1" };
const hex = (bytes) => randomBytes(bytes).toString("hex");
// OTLP/JSON carries 64-bit nanosecond times as decimal strings.
const nanos = (ms) => (BigInt(ms) * 1000000n).toString();

function traces(now) {
  const traceId = hex(16);
  const rootId = hex(8);
  const span = (name, spanId, parentSpanId, kind) => ({
    traceId, spanId, parentSpanId, name, kind,
    startTimeUnixNano: nanos(now - 20), endTimeUnixNano: nanos(now),
    attributes: [{ key: "http.request.method", value: { stringValue: "GET" } }],
    status: {},
  });
  return {
    resourceSpans: [{
      resource,
      scopeSpans: [{
        scope,
        spans: [span("GET /orders", rootId, "", 2), span("GET /api/health", hex(8), "", 2)],
      }],
    }],
  };
}

let requests = 0;
function metrics(now) {
  requests += 1;
  return {
    resourceMetrics: [{
      resource,
      scopeMetrics: [{
        scope,
        metrics: [{
          name: "demo.requests",
          unit: "{request}",
          sum: {
            aggregationTemporality: 2, // cumulative
            isMonotonic: true,
            dataPoints: [{ asInt: String(requests), timeUnixNano: nanos(now) }],
          },
        }],
      }],
    }],
  };
}

function logs(now) {
  return {
    resourceLogs: [{
      resource,
      scopeLogs: [{
        scope,
        logRecords: [{
          timeUnixNano: nanos(now),
          severityNumber: 9, // INFO
          severityText: "INFO",
          body: { stringValue: `served request ${requests}` },
        }],
      }],
    }],
  };
}

async function post(path, body) {
  try {
    const res = await fetch(endpoint + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    const retryAfter = res.headers.get("retry-after");
    console.log(`${path}: ${res.status}${retryAfter ? ` (retry after ${retryAfter}s)` : ""}`);
  } catch (err) {
    console.log(`${path}: ${err.cause?.code || err.name}: collector not reachable yet`);
  }
}

async function tick() {
  const now = Date.now();
  await post("/v1/traces", traces(now));
  await post("/v1/metrics", metrics(now));
  await post("/v1/logs", logs(now));
}

console.log(`sending OTLP/JSON to ${endpoint} every ${intervalMs} ms`);
const timer = setInterval(tick, intervalMs);
tick();
// Stop at once on docker stop: nothing is buffered here.
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => { clearInterval(timer); process.exit(0); });
}
