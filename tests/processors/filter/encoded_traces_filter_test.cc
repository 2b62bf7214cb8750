// The filter processor on encoded traces against the decoded path: many random requests through
// both must give the same decoded result, the same count, the same status and the same log.
#include "processors/filter/encoded_filter.h"

#include <spdlog/sinks/ostream_sink.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/filter/factory.h"
#include "processors/filter/filter_processor.h"
#include "tests/support/sink_consumer.h"

namespace otlpd::processor::filter {
namespace {

using google::protobuf::util::MessageDifferencer;
using otlpd::testing::SinkConsumer;
namespace trace = opentelemetry::proto::trace::v1;
namespace common = opentelemetry::proto::common::v1;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

std::unique_ptr<FilterConfig> Decode(const std::string& yaml) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  auto cfg = std::make_unique<FilterConfig>();
  config::MapReader reader(loaded.root, "processors::filter", errors);
  FilterProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  EXPECT_TRUE(errors.empty()) << errors.ToString() << "\n" << yaml;
  return cfg;
}

struct FilterCase {
  std::string yaml;
  bool wire;  // whether the encoded path is expected to be used (else it falls back)
};

// Conditions on every level the projection serves, error modes, and some it does not serve.
const std::vector<FilterCase>& Cases() {
  static const std::vector<FilterCase> kCases = {
      {R"(traces:
  span:
    - 'IsMatch(name, ".*(/api)?/health.*")'
    - 'IsMatch(name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$")')",
       true},
      {"trace_conditions: ['span.kind == SPAN_KIND_INTERNAL']", true},
      {"trace_conditions: ['span.kind.string == \"Client\" or span.status.code == STATUS_CODE_ERROR']",
       true},
      {"trace_conditions: ['resource.attributes[\"env\"] == \"dev\"']", true},
      {"trace_conditions: ['scope.name == \"noisy\"']", true},
      {"trace_conditions: ['instrumentation_scope.version == \"1.0\" and resource.attributes[\"env\"] != nil']",
       true},
      {R"(traces:
  span: ['resource.attributes["env"] == "dev" and IsMatch(name, "GET")',
         'attributes["http.route"] == "/health"', 'status.message == "boom"'])",
       true},
      {R"(trace_conditions:
  - 'resource.attributes["service.name"] == "noisy"'
  - 'scope.name == "noisy"'
  - 'span.name == "COMMIT"'
  - 'span.span_id.string == "0000000000000001"'
  - 'span.trace_id == TraceID(0x00000000000000000000000000000001)')",
       true},
      {"trace_conditions: ['span.end_time_unix_nano - span.start_time_unix_nano > 500', "
       "'span.dropped_attributes_count > 0', 'span.flags == 1', 'span.parent_span_id.string == \"\"']",
       true},
      {"trace_conditions: ['span.name == \"this matches nothing\"']", true},
      {"traces:\n  span: ['true']", true},
      // Run-time errors (an int attribute has no Len) under each error_mode.
      {"error_mode: ignore\ntraces:\n  span: ['Len(attributes[\"n\"]) > 3', 'name == \"BEGIN\"']",
       true},
      {"error_mode: silent\ntraces:\n  span: ['Len(attributes[\"n\"]) > 3', 'name == \"BEGIN\"']",
       true},
      {"error_mode: propagate\ntraces:\n  span: ['Len(attributes[\"n\"]) > 3', 'name == \"BEGIN\"']",
       true},
      {"error_mode: propagate\ntraces:\n  span: ['name == \"BEGIN\"', 'Len(attributes[\"n\"]) > 3']",
       true},
      {"error_mode: propagate\ntrace_conditions: ['Len(resource.attributes[\"env\"]) > 100']", true},
      // Span events edit the spans: the decoded path does this.
      {"traces:\n  spanevent: ['name == \"noise\"']\n  span: ['name == \"BEGIN\"']", false},
  };
  return kCases;
}

void Attr(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs, const std::string& key,
          const std::string& value) {
  auto* kv = attrs->Add();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

TraceRequest RandomRequest(std::mt19937& rng) {
  static const std::vector<std::string> kNames = {
      "GET /api/health", "GET /api/articles", "BEGIN", "COMMIT", "SELECT users", "/health",
      "POST /api/articles", "connect"};
  TraceRequest req;
  const int resources = static_cast<int>(rng() % 4);
  for (int r = 0; r < resources; ++r) {
    auto* rs = req.add_resource_spans();
    if (rng() % 5 != 0) {
      auto* attrs = rs->mutable_resource()->mutable_attributes();
      Attr(attrs, "service.name", rng() % 4 == 0 ? "noisy" : "app");
      if (rng() % 2) Attr(attrs, "env", rng() % 2 ? "dev" : "prod");
    }
    if (rng() % 3 == 0) rs->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
    const int scopes = static_cast<int>(rng() % 4);
    for (int s = 0; s < scopes; ++s) {
      auto* ss = rs->add_scope_spans();
      if (rng() % 4 != 0) {
        ss->mutable_scope()->set_name(rng() % 4 == 0 ? "noisy" : "lib");
        if (rng() % 2) ss->mutable_scope()->set_version("1.0");
      }
      if (rng() % 3 == 0) ss->set_schema_url("https://example.com/scope");
      const int spans = static_cast<int>(rng() % 5);  // 0: an empty scope
      for (int k = 0; k < spans; ++k) {
        trace::Span* span = ss->add_spans();
        span->set_name(kNames[rng() % kNames.size()]);
        std::string trace_id(16, '\0');
        trace_id[15] = static_cast<char>(rng() % 3);
        span->set_trace_id(trace_id);
        std::string span_id(8, '\0');
        span_id[7] = static_cast<char>(rng() % 3);
        span->set_span_id(span_id);
        if (rng() % 2) span->set_parent_span_id(std::string(8, '\x07'));
        span->set_kind(static_cast<trace::Span::SpanKind>(rng() % 6));
        span->set_start_time_unix_nano(1000);
        span->set_end_time_unix_nano(1000 + rng() % 1000);
        if (rng() % 3 == 0) span->mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
        if (rng() % 5 == 0) span->mutable_status()->set_message("boom");
        if (rng() % 4 == 0) span->set_dropped_attributes_count(1);
        if (rng() % 4 == 0) span->set_flags(1);
        if (rng() % 3 == 0) Attr(span->mutable_attributes(), "http.route", "/health");
        auto* n = span->add_attributes();
        n->set_key("n");
        if (rng() % 6 == 0) {
          n->mutable_value()->set_int_value(5);  // Len() of an int: a run-time error
        } else {
          n->mutable_value()->set_string_value(rng() % 2 ? "short" : "ab");
        }
        if (rng() % 4 == 0) span->add_events()->set_name(rng() % 2 ? "noise" : "signal");
      }
    }
  }
  return req;
}

// One processor with its own counter and log.
struct Harness {
  explicit Harness(const FilterConfig& cfg) {
    logger = std::make_shared<spdlog::logger>(
        "processor/filter/x", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
    logger->set_pattern("%l %v");  // no time stamps: the two logs are compared
    settings.id = ComponentId("filter", "x");
    settings.logger = logger;
    settings.metrics = &metrics;
    processor = std::make_unique<FilterTracesProcessor>(settings, cfg.traces, sink);
  }
  int64_t Filtered() const {
    return metrics.CounterValue("otelcol_processor_filter_spans.filtered", {{"filter", "filter/x"}});
  }

  std::ostringstream log;
  std::shared_ptr<spdlog::logger> logger;
  SelfMetrics metrics;
  CreateSettings settings;
  SinkConsumer<TracesBatch> sink;
  std::unique_ptr<FilterTracesProcessor> processor;
};

TEST(EncodedTracesFilter, SameResultAsTheDecodedPath) {
  std::mt19937 rng(8);
  for (size_t c = 0; c < Cases().size(); ++c) {
    auto cfg = Decode(Cases()[c].yaml);
    ASSERT_NE(cfg->traces, nullptr);
    EXPECT_EQ(EncodedTracesFilter(cfg->traces.get()).usable(), Cases()[c].wire) << Cases()[c].yaml;
    Harness decoded(*cfg);
    Harness encoded(*cfg);
    bool logged = false;
    for (int i = 0; i < 150; ++i) {
      SCOPED_TRACE("case " + std::to_string(c) + ", request " + std::to_string(i));
      const TraceRequest req = RandomRequest(rng);
      const std::string bytes = req.SerializeAsString();
      const Status want = decoded.processor->Consume(TracesBatch(TraceRequest(req)));
      const Status got = encoded.processor->Consume(TracesBatch::FromEncoded(bytes, CountItems(req)));
      EXPECT_EQ(got.code(), want.code());
      EXPECT_EQ(got.message(), want.message());
      EXPECT_EQ(encoded.Filtered(), decoded.Filtered());
      EXPECT_EQ(encoded.log.str(), decoded.log.str());
      logged |= !decoded.log.str().empty();
      decoded.log.str("");
      encoded.log.str("");
      const auto want_batches = decoded.sink.Batches();
      const auto got_batches = encoded.sink.Batches();
      ASSERT_EQ(got_batches.size(), want_batches.size()) << req.ShortDebugString();
      if (got_batches.empty()) continue;
      const TracesBatch& w = want_batches.back();
      const TracesBatch& g = got_batches.back();
      EXPECT_EQ(g.is_encoded(), Cases()[c].wire);
      EXPECT_EQ(g.ItemCount(), w.ItemCount());
      std::string diff;
      MessageDifferencer differ;
      differ.ReportDifferencesToString(&diff);
      EXPECT_TRUE(differ.Compare(w.request(), g.request())) << diff << "\n" << req.ShortDebugString();
      // Nothing dropped, nothing copied: the very bytes go on.
      if (Cases()[c].wire && g.ItemCount() == CountItems(req) &&
          MessageDifferencer::Equals(w.request(), req)) {
        EXPECT_EQ(g.encoded(), bytes);
      }
    }
    // The cases are not vacuous: the decoded path dropped something or failed for most.
    EXPECT_TRUE(c == 9 || decoded.Filtered() > 0 || logged) << Cases()[c].yaml;
  }
}

// A field may occur more than once on the wire: the last string wins, messages merge. The
// projection must read them as a decoder does, whether it sets fields directly or parses them.
TEST(EncodedTracesFilter, RepeatedFieldOccurrencesReadAsADecoderReadsThem) {
  trace::Span first;
  first.set_name("BEGIN");
  first.set_span_id(std::string(8, '\x01'));
  first.mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
  trace::Span second;
  second.set_name("GET /api/articles");
  second.mutable_status()->set_message("boom");
  trace::Span third;
  third.set_name("BEGIN");
  // ScopeSpans{spans: first+second, spans: third+second, spans: second+first}, with the
  // scope also given twice.
  trace::ScopeSpans scope_a;
  scope_a.mutable_scope()->set_name("noisy");
  trace::ScopeSpans scope_b;
  scope_b.mutable_scope()->set_version("1.0");
  const auto framed = [](uint32_t field, const std::string& body) {
    uint8_t header[10];
    uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(field << 3 | 2, header);
    end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
        static_cast<uint32_t>(body.size()), end);
    return std::string(reinterpret_cast<char*>(header), static_cast<size_t>(end - header)) + body;
  };
  const std::string scope_spans =
      scope_a.SerializeAsString() + scope_b.SerializeAsString() +
      framed(2, first.SerializeAsString() + second.SerializeAsString()) +
      framed(2, third.SerializeAsString() + second.SerializeAsString()) +
      framed(2, second.SerializeAsString() + first.SerializeAsString());
  const std::string request = framed(1, framed(2, scope_spans));
  TraceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(request));
  ASSERT_EQ(CountItems(parsed), 3);

  for (const char* yaml : {"trace_conditions: ['span.name == \"BEGIN\"']",
                           "trace_conditions: ['span.name == \"BEGIN\" and span.span_id.string != \"\"']",
                           "trace_conditions: ['span.status.code == 2 and span.status.message == \"boom\"']",
                           "trace_conditions: ['scope.name == \"noisy\" and scope.version == \"1.0\"']"}) {
    SCOPED_TRACE(yaml);
    auto cfg = Decode(yaml);
    ASSERT_TRUE(EncodedTracesFilter(cfg->traces.get()).usable());
    Harness decoded(*cfg);
    Harness encoded(*cfg);
    ASSERT_TRUE(decoded.processor->Consume(TracesBatch(TraceRequest(parsed))).ok());
    ASSERT_TRUE(encoded.processor->Consume(TracesBatch::FromEncoded(request, 3)).ok());
    EXPECT_EQ(encoded.Filtered(), decoded.Filtered());
    EXPECT_GT(decoded.Filtered(), 0);
    const auto want = decoded.sink.Batches();
    const auto got = encoded.sink.Batches();
    ASSERT_EQ(got.size(), want.size());
    if (want.empty()) continue;
    EXPECT_TRUE(got[0].is_encoded());
    EXPECT_TRUE(MessageDifferencer::Equals(want[0].request(), got[0].request()))
        << want[0].request().ShortDebugString() << "\n" << got[0].request().ShortDebugString();
  }
}

TEST(EncodedTracesFilter, ReadsOnlyWhatTheConditionsRead) {
  auto cfg = Decode(R"(traces:
  span: ['IsMatch(name, "health")', 'IsMatch(name, "^BEGIN$")'])");
  EncodedTracesFilter reference(cfg->traces.get());
  EXPECT_TRUE(reference.usable());
  EXPECT_FALSE(reference.reads_resource());
  EXPECT_FALSE(reference.reads_scope());
  EXPECT_EQ(reference.item_field_mask(), 1u << trace::Span::kNameFieldNumber);

  cfg = Decode(R"(trace_conditions: ['resource.attributes["a"] == "b" and span.kind == 2 and span.status.code == 1'])");
  EncodedTracesFilter mixed(cfg->traces.get());
  EXPECT_TRUE(mixed.reads_resource());
  EXPECT_FALSE(mixed.reads_scope());
  EXPECT_EQ(mixed.item_field_mask(),
            (1u << trace::Span::kKindFieldNumber) | (1u << trace::Span::kStatusFieldNumber));
}

// Bytes that do not parse go to the decoded path, which reports them; nothing is counted.
TEST(EncodedTracesFilter, MalformedBytesAreLeftToTheDecodedPath) {
  auto cfg = Decode("trace_conditions: ['span.name == \"x\"']");
  EncodedTracesFilter wire(cfg->traces.get());
  ConditionErrors errors;
  std::string out;
  EXPECT_TRUE(wire.Run(std::string("\x0a\x05\x12\x09", 4), &errors, &out).malformed);
}

}  // namespace
}  // namespace otlpd::processor::filter
