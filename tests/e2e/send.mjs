// Sends a known set of spans, metric points or log records to an OTLP endpoint with the
// official OpenTelemetry JS SDK exporters, and exits 0 only when the exporter reports success.
//
//   node send.mjs --signal traces --transport grpc --endpoint http://127.0.0.1:4317 \
//                 --names "GET /api/articles/{id},BEGIN" --tag run1
//
// Every item carries the attribute test.id = "<tag>-<index>" so a test can count each one.
// Items are made by the real SDK, collected in memory, then handed to the OTLP exporter
// directly, so the exporter's own result (not a log line) decides the exit code.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as MetricProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as MetricJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';

function parseArgs(argv) {
  const args = { signal: 'traces', transport: 'http-proto', endpoint: '', names: 'e2e-span',
                 tag: 'e2e', count: '1', service: 'otlpd-e2e', compression: 'none' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args)) throw new Error(`unknown option --${key}`);
    args[key] = argv[i + 1];
  }
  if (!args.endpoint) throw new Error('--endpoint is required');
  return args;
}

const args = parseArgs(process.argv.slice(2));
const resource = resourceFromAttributes({ 'service.name': args.service });
const base = args.endpoint.replace(/\/$/, '');
const compression = args.compression === 'gzip' ? 'gzip' : 'none';

function makeExporter(kind) {
  const table = {
    traces: { 'http-proto': TraceProto, 'http-json': TraceJson, grpc: TraceGrpc, path: '/v1/traces' },
    metrics: { 'http-proto': MetricProto, 'http-json': MetricJson, grpc: MetricGrpc, path: '/v1/metrics' },
    logs: { 'http-proto': LogProto, 'http-json': LogJson, grpc: LogGrpc, path: '/v1/logs' },
  }[kind];
  const Exporter = table[args.transport];
  if (!Exporter) throw new Error(`unknown transport ${args.transport}`);
  // gRPC takes the bare address; HTTP exporters take the full signal URL.
  const url = args.transport === 'grpc' ? base : base + table.path;
  const options = { url, compression, timeoutMillis: 10000 };
  if (kind === 'metrics') options.temporalityPreference = AggregationTemporality.CUMULATIVE;
  return new Exporter(options);
}

function exportOnce(exporter, items) {
  return new Promise((resolve) => exporter.export(items, resolve));
}

const names = args.names.split(',');
const count = Number(args.count);

async function main() {
  const exporter = makeExporter(args.signal);
  let items;
  if (args.signal === 'traces') {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
    const tracer = provider.getTracer('otlpd-e2e');
    let n = 0;
    for (let i = 0; i < count; i++) {
      for (const name of names) {
        const span = tracer.startSpan(name, { attributes: { 'test.id': `${args.tag}-${n++}` } });
        span.end();
      }
    }
    await provider.forceFlush();
    items = memory.getFinishedSpans();
  } else if (args.signal === 'logs') {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor(memory)] });
    const logger = provider.getLogger('otlpd-e2e');
    let n = 0;
    for (let i = 0; i < count; i++) {
      for (const name of names) {
        logger.emit({ body: name, severityText: 'INFO', severityNumber: 9,
                      attributes: { 'test.id': `${args.tag}-${n++}` } });
      }
    }
    await provider.forceFlush();
    items = memory.getFinishedLogRecords();
  } else {
    class Reader extends MetricReader {
      async onForceFlush() {}
      async onShutdown() {}
    }
    const reader = new Reader();
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('otlpd-e2e');
    let n = 0;
    for (let i = 0; i < count; i++) {
      for (const name of names) {
        meter.createCounter(name).add(1, { 'test.id': `${args.tag}-${n++}` });
      }
    }
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length) throw errors[0];
    items = resourceMetrics;
  }
  const result = await exportOnce(exporter, items);
  await exporter.shutdown();
  if (result.code !== 0) {
    console.error(`export failed: ${result.error ? result.error.message : 'code ' + result.code}`);
    process.exit(1);
  }
  console.log(`exported ${args.signal} over ${args.transport}`);
}

main().catch((err) => {
  console.error(`send.mjs: ${err.stack || err}`);
  process.exit(2);
});
