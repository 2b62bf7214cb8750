// The resource processor on encoded batches against the decoded path: the same random requests
// of all three signals, the same actions, must decode to the same result.
#include "processors/resource/encoded_resources.h"

#include <random>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/resource/config.h"
#include "processors/resource/factory.h"
#include "processors/resource/resource_processor.h"
#include "tests/support/sink_consumer.h"

namespace otlpd::processor::resource {
namespace {

using google::protobuf::util::MessageDifferencer;
using otlpd::testing::SinkConsumer;
namespace common = opentelemetry::proto::common::v1;
namespace resource_pb = opentelemetry::proto::resource::v1;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

attributes::ActionList Actions(const std::string& yaml) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  ResourceConfig cfg;
  config::MapReader reader(loaded.root, "processors::resource", errors);
  ResourceProcessorFactory().DecodeConfig(reader, cfg);
  reader.Finish();
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  return cfg.attributes;
}

// Action lists covering every action type, and some that change nothing.
const std::vector<std::string>& ActionYamls() {
  static const std::vector<std::string> kYamls = {
      "attributes: [{key: deployment.environment, value: production, action: upsert}]",
      "attributes: [{key: service.name, value: other, action: insert}]",
      "attributes: [{key: service.name, value: renamed, action: update}]",
      "attributes: [{key: absent.key, value: x, action: update}]",  // changes nothing
      "attributes: [{key: host.name, action: delete}]",
      "attributes: [{pattern: '^k8s\\.', action: delete}]",
      "attributes: [{key: host.name, action: hash}]",
      "attributes: [{key: url, pattern: '^(?P<scheme>\\w+)://(?P<host>[^/]+)', action: extract}]",
      "attributes: [{key: port, converted_type: int, action: convert}]",
      "attributes: [{key: copy, from_attribute: service.name, action: upsert}]",
      "attributes: [{key: tenant, from_context: metadata.x-tenant, action: insert}]",
      R"(attributes:
  - {key: deployment.environment, value: staging, action: upsert}
  - {key: list, value: [a, 1, {m: true}], action: insert}
  - {key: k8s.pod.name, action: delete}
  - {key: n, value: 1.5, action: upsert})",
  };
  return kYamls;
}

// A random resource (or none): attributes from a small key set, so that actions find some.
void RandomResource(std::mt19937& rng, bool* has, resource_pb::Resource* r) {
  static const std::vector<std::string> kKeys = {"service.name", "host.name", "k8s.pod.name",
                                                 "k8s.namespace", "url", "port",
                                                 "deployment.environment"};
  *has = rng() % 5 != 0;
  if (!*has) return;
  const int n = static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) {
    common::KeyValue* kv = r->add_attributes();
    kv->set_key(kKeys[rng() % kKeys.size()]);
    switch (rng() % 4) {
      case 0: kv->mutable_value()->set_string_value("https://example.com/p"); break;
      case 1: kv->mutable_value()->set_string_value(std::to_string(rng() % 1000)); break;
      case 2: kv->mutable_value()->set_int_value(static_cast<int64_t>(rng() % 100)); break;
      default: kv->mutable_value()->set_bool_value(true); break;
    }
  }
  if (rng() % 4 == 0) r->set_dropped_attributes_count(3);
}

TraceRequest RandomTraces(std::mt19937& rng) {
  TraceRequest req;
  const int resources = static_cast<int>(rng() % 4);
  for (int i = 0; i < resources; ++i) {
    auto* rs = req.add_resource_spans();
    bool has = false;
    RandomResource(rng, &has, rs->mutable_resource());
    if (!has) rs->clear_resource();
    if (rng() % 2) rs->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
    const int scopes = static_cast<int>(rng() % 3);
    for (int j = 0; j < scopes; ++j) {
      auto* ss = rs->add_scope_spans();
      ss->mutable_scope()->set_name("lib");
      const int spans = static_cast<int>(rng() % 4);
      for (int k = 0; k < spans; ++k) ss->add_spans()->set_name("span " + std::to_string(k));
    }
  }
  return req;
}

MetricsRequest RandomMetrics(std::mt19937& rng) {
  MetricsRequest req;
  const int resources = static_cast<int>(rng() % 4);
  for (int i = 0; i < resources; ++i) {
    auto* rm = req.add_resource_metrics();
    bool has = false;
    RandomResource(rng, &has, rm->mutable_resource());
    if (!has) rm->clear_resource();
    auto* m = rm->add_scope_metrics()->add_metrics();
    m->set_name("requests");
    m->mutable_sum()->add_data_points()->set_as_int(static_cast<int64_t>(rng() % 10));
  }
  return req;
}

LogsRequest RandomLogs(std::mt19937& rng) {
  LogsRequest req;
  const int resources = static_cast<int>(rng() % 4);
  for (int i = 0; i < resources; ++i) {
    auto* rl = req.add_resource_logs();
    bool has = false;
    RandomResource(rng, &has, rl->mutable_resource());
    if (!has) rl->clear_resource();
    rl->add_scope_logs()->add_log_records()->mutable_body()->set_string_value("hello");
  }
  return req;
}

// Runs `request` through the processor decoded and encoded; both results must be equal, the
// encoded one still encoded with the same item count.
template <class B, class Request>
void ExpectSameResult(const attributes::ActionList& actions, const Request& request,
                      const std::string& label) {
  ClientMetadata metadata = {{"x-tenant", {"acme"}}};
  SinkConsumer<B> decoded_sink;
  SinkConsumer<B> encoded_sink;
  ResourceProcessor<B> decoded_p(actions, decoded_sink);
  ResourceProcessor<B> encoded_p(actions, encoded_sink);
  B decoded{Request(request)};
  decoded.set_metadata(metadata);
  B encoded = B::FromEncoded(request.SerializeAsString(), CountItems(request));
  encoded.set_metadata(metadata);
  ASSERT_TRUE(decoded_p.Consume(std::move(decoded)).ok());
  ASSERT_TRUE(encoded_p.Consume(std::move(encoded)).ok());
  const auto want = decoded_sink.Batches();
  const auto got = encoded_sink.Batches();
  ASSERT_EQ(want.size(), 1u);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].is_encoded()) << label;
  EXPECT_EQ(got[0].ItemCount(), CountItems(request)) << label;
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(want[0].request(), got[0].request()))
      << label << "\n" << diff << "\ninput: " << request.ShortDebugString();
}

TEST(EncodedResources, SameResultAsTheDecodedPathForEverySignal) {
  std::mt19937 rng(8);
  for (size_t a = 0; a < ActionYamls().size(); ++a) {
    const attributes::ActionList actions = Actions(ActionYamls()[a]);
    for (int i = 0; i < 60; ++i) {
      const std::string label = "actions " + std::to_string(a) + ", request " + std::to_string(i);
      ExpectSameResult<TracesBatch>(actions, RandomTraces(rng), label);
      ExpectSameResult<MetricsBatch>(actions, RandomMetrics(rng), label);
      ExpectSameResult<LogsBatch>(actions, RandomLogs(rng), label);
    }
  }
}

// A resource split over two occurrences of the field is one merged resource to a decoder.
TEST(EncodedResources, MergesARepeatedResourceField) {
  TraceRequest first;
  auto* rs = first.add_resource_spans();
  UpsertAttribute(rs->mutable_resource()->mutable_attributes(), "a").set_string_value("1");
  rs->add_scope_spans()->add_spans()->set_name("s");
  resource_pb::Resource second;
  UpsertAttribute(second.mutable_attributes(), "b").set_string_value("2");
  // ResourceSpans bytes + one more `resource` field (1, length-delimited) at its end.
  std::string rs_bytes = rs->SerializeAsString();
  const std::string extra = second.SerializeAsString();
  rs_bytes += '\x0a';
  rs_bytes += static_cast<char>(extra.size());
  rs_bytes += extra;
  std::string request;
  request += '\x0a';
  request += static_cast<char>(rs_bytes.size());
  request += rs_bytes;

  TraceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(request));
  ExpectSameResult<TracesBatch>(
      Actions("attributes: [{key: c, value: '3', action: upsert}]"), parsed, "merged");

  std::string out;
  ASSERT_EQ(ApplyToEncodedResources(request,
                                    Actions("attributes: [{key: c, value: '3', action: upsert}]"),
                                    {}, &out),
            EncodedEdit::kChanged);
  TraceRequest result;
  ASSERT_TRUE(result.ParseFromString(out));
  EXPECT_EQ(result.resource_spans(0).resource().attributes_size(), 3);
}

// Actions that change nothing leave the bytes as they are: no copy.
TEST(EncodedResources, NothingChangedKeepsTheBytes) {
  std::mt19937 rng(3);
  const attributes::ActionList actions = Actions(ActionYamls()[3]);  // update of an absent key
  TraceRequest req = RandomTraces(rng);
  for (auto& rs : *req.mutable_resource_spans()) rs.mutable_resource();  // all present
  const std::string bytes = req.SerializeAsString();
  std::string out = "untouched";
  EXPECT_EQ(ApplyToEncodedResources(bytes, actions, {}, &out), EncodedEdit::kUnchanged);
  EXPECT_EQ(out, "untouched");
}

// A request without a resource gets one, as mutable_resource() gives it on the decoded path.
TEST(EncodedResources, AbsentResourceIsCreated) {
  TraceRequest req;
  req.add_resource_spans()->add_scope_spans()->add_spans()->set_name("bare");
  std::string out;
  ASSERT_EQ(ApplyToEncodedResources(req.SerializeAsString(), Actions(ActionYamls()[3]), {}, &out),
            EncodedEdit::kChanged);
  TraceRequest result;
  ASSERT_TRUE(result.ParseFromString(out));
  EXPECT_TRUE(result.resource_spans(0).has_resource());
  EXPECT_EQ(result.resource_spans(0).scope_spans(0).spans(0).name(), "bare");
}

TEST(EncodedResources, MalformedBytesAreReportedAndLeftAlone) {
  std::string out;
  EXPECT_EQ(ApplyToEncodedResources(std::string("\x0a\x05\x0a\x09", 4), Actions(ActionYamls()[0]),
                                    {}, &out),
            EncodedEdit::kMalformed);
}

}  // namespace
}  // namespace otlpd::processor::resource
