// Writes the OTLP test payloads in this folder with the official OpenTelemetry JS SDK, so that
// otlpd's schema and OTLP/JSON reader are checked against an independent encoder.
//
//   cd tests/testdata/otlp && npm ci && node generate.mjs
//
// Everything is fixed (IDs, times, values): running it twice gives identical files. The C++
// tests (tests/pipeline/proto) assert the values written here, so change both together.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, ValueType, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));

// An explicit resource (not the SDK default) so no host or process detail leaks into the files.
const resource = resourceFromAttributes({
  'service.name': 'otlpd-testdata',
  'service.version': '1.2.3',
  'deployment.environment.name': 'test',
});

// All times are [seconds, nanoseconds] so nanosecond digits survive (a millisecond number would
// not). BASE_S is 2023-11-14T22:13:20Z.
const BASE_S = 1700000000;
const at = (ns) => [BASE_S, ns];

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const REMOTE_PARENT_SPAN_ID = 'eee19b7ec3c1b173';
const LINKED_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const LINKED_SPAN_ID = 'b7ad6b7169203331';

// ---------------------------------------------------------------------------------------------
// Traces: a SERVER span continuing a remote parent, with one child of every other kind.

function buildSpans() {
  const spanIds = [
    'eee19b7ec3c1b174', // server
    'eee19b7ec3c1b175', // client
    'eee19b7ec3c1b176', // producer
    'eee19b7ec3c1b177', // consumer
    'eee19b7ec3c1b178', // internal
  ];
  const idGenerator = {
    generateTraceId: () => TRACE_ID,
    generateSpanId: () => {
      if (spanIds.length === 0) throw new Error('generate.mjs: ran out of span IDs');
      return spanIds.shift();
    },
  };
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource,
    idGenerator,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('otlpd.testdata.tracer', '0.1.0');

  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: REMOTE_PARENT_SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const server = tracer.startSpan(
    'GET /orders/{id}',
    {
      kind: SpanKind.SERVER,
      startTime: at(100000000),
      attributes: {
        'http.request.method': 'GET',           // string
        'http.response.status_code': 500,       // int
        'sampling.ratio': 0.25,                 // double
        'cache.hit': false,                     // bool
        'http.route.tags': ['orders', 'read'],  // array of strings
        'retry.delays_ms': [10, 20, 40],        // array of ints
        'big.int': 9007199254740991,            // largest exact JS integer
        'negative.int': -42,
      },
      links: [
        {
          context: {
            traceId: LINKED_TRACE_ID,
            spanId: LINKED_SPAN_ID,
            traceFlags: TraceFlags.NONE,
            isRemote: true,
          },
          attributes: { 'link.reason': 'batch' },
        },
      ],
    },
    remoteParent,
  );
  server.addEvent('cache.miss', { 'cache.key': 'order:42' }, at(150000000));
  server.addEvent('retry', { attempt: 2 }, at(160000000));

  const local = trace.setSpan(ROOT_CONTEXT, server);
  const children = [
    ['SELECT orders', SpanKind.CLIENT, { 'db.system.name': 'postgresql' }, { code: SpanStatusCode.OK }],
    ['publish order.read', SpanKind.PRODUCER, { 'messaging.system': 'kafka' }, null],
    ['process order.read', SpanKind.CONSUMER, { 'messaging.system': 'kafka' }, null],
    ['render', SpanKind.INTERNAL, {}, null],
  ];
  children.forEach(([name, kind, attributes, status], i) => {
    const start = 200000000 + i * 10000000;
    const span = tracer.startSpan(name, { kind, attributes, startTime: at(start) }, local);
    if (status) span.setStatus(status);
    span.end(at(start + 5000000));
  });

  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  server.end(at(350000000));

  // The trace API admits only primitives and arrays of primitives as span attributes, but OTLP
  // carries any AnyValue and other SDKs send maps and bytes. Add those two kinds to the finished
  // server span so the payload holds every AnyValue case; the transformer encodes them as-is.
  return exporter.getFinishedSpans().map((span) => {
    if (span.name !== 'GET /orders/{id}') return span;
    const attributes = {
      ...span.attributes,
      'peer.labels': { region: 'eu-west-1', zone: 3 }, // kvlist
      'request.digest': new Uint8Array([0xde, 0xad, 0xbe, 0xef]), // bytes
    };
    return Object.create(span, { attributes: { value: attributes, enumerable: true } });
  });
}

// ---------------------------------------------------------------------------------------------
// Metrics: a gauge, a monotonic sum, a histogram and an exponential histogram, aggregated by the
// SDK itself. The JS SDK has no Summary aggregation, so there is no summary here.

class CollectOnceReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

async function buildMetrics() {
  const reader = new CollectOnceReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      {
        instrumentName: 'payload.size',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } },
      },
    ],
  });
  const meter = provider.getMeter('otlpd.testdata.meter', '0.1.0');

  const gauge = meter.createGauge('system.cpu.utilization', { unit: '1', description: 'CPU busy share' });
  gauge.record(0.75, { 'cpu.id': '0' });

  const counter = meter.createCounter('http.server.requests', {
    unit: '{request}',
    description: 'Requests served',
    valueType: ValueType.INT,
  });
  counter.add(3, { 'http.route': '/orders' });
  counter.add(4, { 'http.route': '/orders' });
  counter.add(1, { 'http.route': '/health' });

  const histogram = meter.createHistogram('http.server.duration', {
    unit: 'ms',
    description: 'Request duration',
    advice: { explicitBucketBoundaries: [10, 50, 100] },
  });
  for (const v of [5, 20, 70, 300]) histogram.record(v, { 'http.route': '/orders' });

  const sizes = meter.createHistogram('payload.size', { unit: 'By', description: 'Payload size' });
  for (const v of [0, 1, 2, 4, 8]) sizes.record(v);

  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`generate.mjs: metric collection failed: ${errors}`);
  await provider.shutdown();

  // Collection stamps wall-clock times; pin them so the files are reproducible.
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints) {
        point.startTime = [BASE_S, 0];
        point.endTime = [BASE_S + 60, 0];
      }
    }
  }
  return resourceMetrics;
}

// ---------------------------------------------------------------------------------------------
// Logs: a record inside the server span, an event with a map body, and a bytes body.

function buildLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor(exporter)] });
  const logger = provider.getLogger('otlpd.testdata.logger', '0.1.0');

  const inSpan = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: 'eee19b7ec3c1b174',
    traceFlags: TraceFlags.SAMPLED,
  });
  logger.emit({
    timestamp: at(120000000),
    observedTimestamp: at(130000000),
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'order 42 failed: upstream timeout',
    context: inSpan,
    attributes: {
      'order.id': 'o-42',                               // string
      'order.items': 3,                                 // int
      'order.total': 99.5,                              // double
      'order.paid': true,                               // bool
      'order.tags': ['express', 'gift'],                // array
      'order.customer': { tier: 'gold', visits: 12 },   // kvlist
      'order.hash': new Uint8Array([0x01, 0x02, 0xff]), // bytes
    },
  });
  logger.emit({
    timestamp: at(140000000),
    observedTimestamp: at(140000001),
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    eventName: 'checkout.completed',
    body: { message: 'checkout', items: 3, express: true },
  });
  logger.emit({
    timestamp: at(150000000),
    observedTimestamp: at(150000000),
    severityNumber: SeverityNumber.WARN2,
    severityText: 'WARNING',
    body: new Uint8Array([0x00, 0x10, 0x20]),
  });
  return exporter.getFinishedLogRecords();
}

// ---------------------------------------------------------------------------------------------

// Files hold the exact bytes a JS exporter would send (JSON included: not re-indented).
function write(name, bytes) {
  if (!bytes || bytes.length === 0) throw new Error(`generate.mjs: serializer returned nothing for ${name}`);
  writeFileSync(join(OUT_DIR, name), bytes);
  console.log(`wrote ${name} (${bytes.length} bytes)`);
}

// The JSON serializer of this SDK release writes a bytes value as an object of numbers instead
// of base64 (opentelemetry-js issue #6190, fixed after 0.208.0), which no OTLP/JSON reader
// accepts. The JSON files therefore come from the same inputs with every bytes value left out:
// an attribute is dropped, a body is unset. Everything else is identical to the .binpb files.
function withoutBytes(record) {
  const isBytes = (v) => v instanceof Uint8Array;
  const attributes = Object.fromEntries(Object.entries(record.attributes).filter(([, v]) => !isBytes(v)));
  const overrides = { attributes: { value: attributes, enumerable: true } };
  if (isBytes(record.body)) overrides.body = { value: undefined, enumerable: true };
  return Object.create(record, overrides);
}

const spans = buildSpans();
const metrics = await buildMetrics();
const logs = buildLogs();

write('traces.binpb', ProtobufTraceSerializer.serializeRequest(spans));
write('metrics.binpb', ProtobufMetricsSerializer.serializeRequest(metrics));
write('logs.binpb', ProtobufLogsSerializer.serializeRequest(logs));
write('traces.json', JsonTraceSerializer.serializeRequest(spans.map(withoutBytes)));
write('metrics.json', JsonMetricsSerializer.serializeRequest(metrics));
write('logs.json', JsonLogsSerializer.serializeRequest(logs.map(withoutBytes)));
