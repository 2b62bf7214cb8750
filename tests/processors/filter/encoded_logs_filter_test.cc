// The filter processor on encoded logs against the decoded path: many random requests through
// both must give the same decoded result, the same count, the same status and the same log.
#include <spdlog/sinks/ostream_sink.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/filter/encoded_filter.h"
#include "processors/filter/factory.h"
#include "processors/filter/filter_processor.h"
#include "tests/support/sink_consumer.h"

namespace otlpd::processor::filter {
namespace {

using google::protobuf::util::MessageDifferencer;
using otlpd::testing::SinkConsumer;
namespace logs = opentelemetry::proto::logs::v1;
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

// Conditions on every log field, resource and scope, and each error_mode.
const std::vector<std::string>& Cases() {
  static const std::vector<std::string> kCases = {
      "logs:\n  log_record: ['severity_number < SEVERITY_NUMBER_WARN']",
      "logs:\n  log_record: ['IsMatch(body, \"health\")']",
      "logs:\n  log_record: ['body.string == \"42\"', 'body[\"k\"] == \"v\"']",
      "logs:\n  log_record: ['severity_text == \"DEBUG\"', 'event_name == \"noise\"']",
      "log_conditions: ['log.attributes[\"http.route\"] == \"/health\"']",
      "log_conditions: ['resource.attributes[\"env\"] == \"dev\"']",
      "log_conditions: ['scope.name == \"noisy\"', 'log.trace_id.string == \"00000000000000000000000000000001\"']",
      "log_conditions: ['log.span_id == SpanID(0x0000000000000001) and log.flags == 1']",
      "log_conditions: ['log.observed_time_unix_nano - log.time_unix_nano > 500', "
      "'log.dropped_attributes_count > 0']",
      "log_conditions: ['resource.attributes[\"env\"] == \"dev\" and log.severity_text == \"INFO\"']",
      "log_conditions: ['log.severity_text == \"this matches nothing\"']",
      "error_mode: ignore\nlogs:\n  log_record: ['Len(attributes[\"n\"]) > 3', 'severity_text == \"DEBUG\"']",
      "error_mode: silent\nlogs:\n  log_record: ['Len(attributes[\"n\"]) > 3', 'severity_text == \"DEBUG\"']",
      "error_mode: propagate\nlogs:\n  log_record: ['severity_text == \"DEBUG\"', 'Len(attributes[\"n\"]) > 3']",
  };
  return kCases;
}

void Attr(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs, const std::string& key,
          const std::string& value) {
  auto* kv = attrs->Add();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

LogsRequest RandomRequest(std::mt19937& rng) {
  static const std::vector<std::string> kTexts = {"DEBUG", "INFO", "WARN", "ERROR", ""};
  LogsRequest req;
  const int resources = static_cast<int>(rng() % 4);
  for (int r = 0; r < resources; ++r) {
    auto* rl = req.add_resource_logs();
    if (rng() % 5 != 0) {
      auto* attrs = rl->mutable_resource()->mutable_attributes();
      Attr(attrs, "service.name", "app");
      if (rng() % 2) Attr(attrs, "env", rng() % 2 ? "dev" : "prod");
    }
    if (rng() % 3 == 0) rl->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
    const int scopes = static_cast<int>(rng() % 4);
    for (int s = 0; s < scopes; ++s) {
      auto* sl = rl->add_scope_logs();
      if (rng() % 4 != 0) sl->mutable_scope()->set_name(rng() % 4 == 0 ? "noisy" : "lib");
      const int records = static_cast<int>(rng() % 5);  // 0: an empty scope
      for (int k = 0; k < records; ++k) {
        logs::LogRecord* log = sl->add_log_records();
        log->set_time_unix_nano(1000);
        log->set_observed_time_unix_nano(1000 + rng() % 1000);
        log->set_severity_number(static_cast<logs::SeverityNumber>(rng() % 24));
        log->set_severity_text(kTexts[rng() % kTexts.size()]);
        switch (rng() % 5) {
          case 0: log->mutable_body()->set_string_value("GET /health ok"); break;
          case 1: log->mutable_body()->set_string_value("request served"); break;
          case 2: log->mutable_body()->set_int_value(42); break;
          case 3: Attr(log->mutable_body()->mutable_kvlist_value()->mutable_values(), "k",
                       rng() % 2 ? "v" : "w");
                  break;
          default: break;  // no body
        }
        if (rng() % 2) log->set_trace_id(std::string(15, '\0') + static_cast<char>(rng() % 3));
        if (rng() % 2) log->set_span_id(std::string(7, '\0') + static_cast<char>(rng() % 3));
        if (rng() % 4 == 0) log->set_flags(1);
        if (rng() % 4 == 0) log->set_dropped_attributes_count(2);
        if (rng() % 4 == 0) log->set_event_name(rng() % 2 ? "noise" : "signal");
        if (rng() % 3 == 0) Attr(log->mutable_attributes(), "http.route", "/health");
        auto* n = log->add_attributes();
        n->set_key("n");
        if (rng() % 6 == 0) {
          n->mutable_value()->set_int_value(5);  // Len() of an int: a run-time error
        } else {
          n->mutable_value()->set_string_value(rng() % 2 ? "short" : "ab");
        }
      }
    }
  }
  return req;
}

struct Harness {
  explicit Harness(const FilterConfig& cfg) {
    logger = std::make_shared<spdlog::logger>(
        "processor/filter/x", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
    logger->set_pattern("%l %v");  // no time stamps: the two logs are compared
    settings.id = ComponentId("filter", "x");
    settings.logger = logger;
    settings.metrics = &metrics;
    processor = std::make_unique<FilterLogsProcessor>(settings, cfg.logs, sink);
  }
  int64_t Filtered() const {
    return metrics.CounterValue("otelcol_processor_filter_logs.filtered", {{"filter", "filter/x"}});
  }

  std::ostringstream log;
  std::shared_ptr<spdlog::logger> logger;
  SelfMetrics metrics;
  CreateSettings settings;
  SinkConsumer<LogsBatch> sink;
  std::unique_ptr<FilterLogsProcessor> processor;
};

TEST(EncodedLogsFilter, SameResultAsTheDecodedPath) {
  std::mt19937 rng(8);
  for (size_t c = 0; c < Cases().size(); ++c) {
    auto cfg = Decode(Cases()[c]);
    ASSERT_NE(cfg->logs, nullptr);
    EXPECT_TRUE(EncodedLogsFilter(cfg->logs.get()).usable()) << Cases()[c];
    Harness decoded(*cfg);
    Harness encoded(*cfg);
    bool logged = false;
    for (int i = 0; i < 150; ++i) {
      SCOPED_TRACE("case " + std::to_string(c) + ", request " + std::to_string(i));
      const LogsRequest req = RandomRequest(rng);
      const std::string bytes = req.SerializeAsString();
      const Status want = decoded.processor->Consume(LogsBatch(LogsRequest(req)));
      const Status got = encoded.processor->Consume(LogsBatch::FromEncoded(bytes, CountItems(req)));
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
      const LogsBatch& w = want_batches.back();
      const LogsBatch& g = got_batches.back();
      EXPECT_TRUE(g.is_encoded());
      EXPECT_EQ(g.ItemCount(), w.ItemCount());
      std::string diff;
      MessageDifferencer differ;
      differ.ReportDifferencesToString(&diff);
      EXPECT_TRUE(differ.Compare(w.request(), g.request())) << diff << "\n" << req.ShortDebugString();
    }
    // The cases are not vacuous: the decoded path dropped something or logged an error.
    EXPECT_TRUE(c == 10 || decoded.Filtered() > 0 || logged) << Cases()[c];
  }
}

TEST(EncodedLogsFilter, ReadsOnlyWhatTheConditionsRead) {
  auto cfg = Decode("logs:\n  log_record: ['severity_text == \"DEBUG\"', 'IsMatch(body, \"x\")']");
  EncodedLogsFilter wire(cfg->logs.get());
  EXPECT_TRUE(wire.usable());
  EXPECT_FALSE(wire.reads_resource());
  EXPECT_FALSE(wire.reads_scope());
  EXPECT_EQ(wire.item_field_mask(), (1u << logs::LogRecord::kSeverityTextFieldNumber) |
                                        (1u << logs::LogRecord::kBodyFieldNumber));
}

}  // namespace
}  // namespace otlpd::processor::filter
