#include "processors/filter/ottl/evaluator.h"

#include <gtest/gtest.h>

#include "processors/filter/ottl/parser.h"

namespace otlpd::processor::filter::ottl {
namespace {

namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;
using opentelemetry::proto::common::v1::InstrumentationScope;
using opentelemetry::proto::resource::v1::Resource;

AnyValue* Put(AttributeList* attrs, const std::string& key) {
  auto* kv = attrs->Add();
  kv->set_key(key);
  return kv->mutable_value();
}

class OttlEvaluator : public ::testing::Test {
 protected:
  void SetUp() override {
    Put(resource_.mutable_attributes(), "service.name")->set_string_value("checkout");
    scope_.set_name("io.opentelemetry.http");
    scope_.set_version("1.2.3");
    span_.set_name("GET /api/health");
    span_.set_kind(trace::Span::SPAN_KIND_SERVER);
    span_.mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
    span_.mutable_status()->set_message("boom");
    span_.set_trace_id(std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
    span_.set_span_id(std::string("\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8", 8));
    span_.set_start_time_unix_nano(1'000'000'000);
    span_.set_end_time_unix_nano(1'002'000'000);
    span_.set_trace_state("k=v");
    span_.set_dropped_attributes_count(3);
    auto* attrs = span_.mutable_attributes();
    Put(attrs, "str")->set_string_value("hello");
    Put(attrs, "int")->set_int_value(404);
    Put(attrs, "double")->set_double_value(1.5);
    Put(attrs, "tiny")->set_double_value(1e-7);
    Put(attrs, "bool")->set_bool_value(true);
    Put(attrs, "bytes")->set_bytes_value(std::string("\xde\xad", 2));
    auto* map = Put(attrs, "map")->mutable_kvlist_value();
    Put(map->mutable_values(), "z")->set_int_value(1);
    Put(map->mutable_values(), "a")->set_string_value("v");
    auto* list = Put(attrs, "list")->mutable_array_value();
    list->add_values()->set_int_value(1);
    list->add_values()->set_int_value(2);
    Put(attrs, "empty");  // no value set: nil
    event_.set_name("exception");
    Put(event_.mutable_attributes(), "exception.type")->set_string_value("IOError");
    event_.set_time_unix_nano(1'001'000'000);
    ctx_.resource = &resource_;
    ctx_.scope = &scope_;
    ctx_.span = &span_;
    ctx_.event = &event_;
  }

  // Evaluates `text` in `context`; `error` receives a run-time error.
  bool Eval(std::string_view text, Level context = Level::kSpan, std::string* error = nullptr,
            Family family = Family::kTraces) {
    ParseResult r = Parse(text, {.family = family, .context = context});
    EXPECT_TRUE(r.ok()) << text << ": " << r.error.ToString();
    if (!r.ok()) return false;
    std::string err;
    const bool v = Evaluate(*r.condition, ctx_, &err);
    if (error != nullptr) *error = err;
    else EXPECT_EQ(err, "") << text;
    return v;
  }

  Resource resource_;
  InstrumentationScope scope_;
  trace::Span span_;
  trace::Span::Event event_;
  EvalContext ctx_;
};

TEST_F(OttlEvaluator, ComparisonOperatorsOnEveryType) {
  struct Case {
    const char* text;
    bool want;
  };
  for (const Case& c : std::vector<Case>{
           {R"(name == "GET /api/health")", true},
           {R"(name != "GET /api/health")", false},
           {R"(name < "H")", true},
           {R"(name >= "GET")", true},
           {R"(name > "Z")", false},
           {R"(name <= "GET /api/health")", true},
           {"attributes[\"int\"] == 404", true},
           {"attributes[\"int\"] > 400", true},
           {"attributes[\"int\"] < 400", false},
           {"attributes[\"int\"] <= 404", true},
           {"attributes[\"int\"] == 404.0", true},   // int vs double: numeric
           {"attributes[\"double\"] > 1", true},
           {"attributes[\"double\"] == 1.5", true},
           {"attributes[\"double\"] < 1.25", false},
           {"attributes[\"bool\"] == true", true},
           {"attributes[\"bool\"] > false", true},   // false < true
           {"attributes[\"bool\"] != false", true},
           {R"(attributes["int"] == "404")", false}, // int vs string: not comparable
           {R"(attributes["int"] != "404")", true},
           {R"(attributes["int"] < "500")", false},
           {"attributes[\"bytes\"] == 0xdead", true},
           {"attributes[\"bytes\"] < 0xdeae", true},
           {"kind == SPAN_KIND_SERVER", true},
           {"kind != SPAN_KIND_CLIENT", true},
           {"status.code == STATUS_CODE_ERROR", true},
           {R"(status.message == "boom")", true},
           {R"(kind.string == "Server")", true},
           {R"(trace_state == "k=v")", true},
           {"dropped_attributes_count == 3", true},
           {"start_time_unix_nano == 1000000000", true},
           {"end_time_unix_nano - start_time_unix_nano == 2000000", true},
           {"end_time_unix_nano - start_time_unix_nano > 1000000 and kind == 2", true},
           {"trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10)", true},
           {"trace_id == 0x0102030405060708090a0b0c0d0e0f10", true},
           {"trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f11)", false},
           {R"(trace_id.string == "0102030405060708090a0b0c0d0e0f10")", true},
           {"span_id == SpanID(0xa1a2a3a4a5a6a7a8)", true},
           {R"(span_id.string == "a1a2a3a4a5a6a7a8")", true},
           {R"(parent_span_id.string == "")", true},
       }) {
    EXPECT_EQ(Eval(c.text), c.want) << c.text;
  }
}

TEST_F(OttlEvaluator, EnclosingContexts) {
  EXPECT_TRUE(Eval(R"(resource.attributes["service.name"] == "checkout")"));
  EXPECT_TRUE(Eval(R"(instrumentation_scope.name == "io.opentelemetry.http")"));
  EXPECT_TRUE(Eval(R"(scope.version == "1.2.3")"));
  EXPECT_TRUE(Eval(R"(name == "exception" and span.name == "GET /api/health")", Level::kSpanEvent));
  EXPECT_TRUE(Eval(R"(attributes["exception.type"] == "IOError")", Level::kSpanEvent));
  EXPECT_TRUE(Eval("time_unix_nano > span.start_time_unix_nano", Level::kSpanEvent));
}

TEST_F(OttlEvaluator, NilHandling) {
  EXPECT_TRUE(Eval(R"(attributes["missing"] == nil)"));
  EXPECT_FALSE(Eval(R"(attributes["missing"] != nil)"));
  EXPECT_FALSE(Eval(R"(attributes["missing"] == "x")"));
  EXPECT_TRUE(Eval(R"(attributes["missing"] != "x")"));
  EXPECT_FALSE(Eval(R"(attributes["missing"] < 5)"));
  EXPECT_FALSE(Eval(R"(attributes["missing"] > 5)"));
  EXPECT_TRUE(Eval("nil == nil"));
  EXPECT_TRUE(Eval("nil <= nil"));
  EXPECT_TRUE(Eval(R"(attributes["empty"] == nil)"));  // a value with nothing set is nil
  EXPECT_FALSE(Eval(R"(name == nil)"));
  EXPECT_FALSE(Eval(R"(IsMatch(attributes["missing"], ".*"))"));  // nil never matches
  EXPECT_FALSE(Eval(R"(IsString(attributes["missing"]))"));
  EXPECT_TRUE(Eval(R"(attributes["missing"]["deeper"] == nil)"));  // nil stays nil
}

TEST_F(OttlEvaluator, IsMatchIsAnUnanchoredSearchOnTheStringForm) {
  EXPECT_TRUE(Eval(R"(IsMatch(name, "health"))"));
  EXPECT_TRUE(Eval(R"(IsMatch(name, "^GET "))"));
  EXPECT_FALSE(Eval(R"(IsMatch(name, "^health"))"));
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["int"], "^4\\d\\d$"))"));   // 404 -> "404"
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["double"], "^1\\.5$"))"));
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["tiny"], "^1e-7$"))"));       // JSON's float form
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["bool"], "^true$"))"));
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["bytes"], "^dead$"))"));      // bytes as hex
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["map"], "^\\{\"a\":\"v\",\"z\":1\\}$"))"));  // sorted
  EXPECT_TRUE(Eval(R"(IsMatch(attributes["list"], "^\\[1,2\\]$"))"));
  EXPECT_TRUE(Eval(R"(IsMatch(trace_id, "^0102"))"));
}

TEST_F(OttlEvaluator, BooleanLogicShortCircuits) {
  EXPECT_TRUE(Eval(R"(name == "x" or kind == 2)"));
  EXPECT_FALSE(Eval(R"(name == "x" and kind == 2)"));
  EXPECT_TRUE(Eval(R"(not name == "x")"));
  EXPECT_FALSE(Eval(R"(not (name == "x" or kind == 2))"));
  EXPECT_TRUE(Eval(R"(kind == 1 or kind == 2 and name != "x")"));  // and binds tighter
  EXPECT_FALSE(Eval(R"((kind == 1 or kind == 2) and name == "x")"));
  // The right side would fail (Len of an int) but is never evaluated.
  EXPECT_FALSE(Eval(R"(false and Len(attributes["int"]) > 0)"));
  EXPECT_TRUE(Eval(R"(true or Len(attributes["int"]) > 0)"));
}

TEST_F(OttlEvaluator, Functions) {
  EXPECT_TRUE(Eval(R"(IsString(attributes["str"]) and not IsString(attributes["int"]))"));
  EXPECT_TRUE(Eval(R"(IsInt(attributes["int"]) and not IsInt(attributes["double"]))"));
  EXPECT_TRUE(Eval(R"(IsDouble(attributes["double"]) and not IsDouble(attributes["int"]))"));
  EXPECT_TRUE(Eval(R"(IsBool(attributes["bool"]) and not IsBool(attributes["str"]))"));
  EXPECT_TRUE(Eval(R"(IsMap(attributes["map"]) and IsMap(attributes) and not IsMap(name))"));
  EXPECT_TRUE(Eval(R"(IsList(attributes["list"]) and not IsList(attributes["map"]))"));
  EXPECT_TRUE(Eval(R"(Len(name) == 15)"));
  EXPECT_TRUE(Eval(R"(Len(attributes["map"]) == 2 and Len(attributes["list"]) == 2)"));
  EXPECT_TRUE(Eval(R"(HasPrefix(name, "GET ") and HasSuffix(name, "/health"))"));
  EXPECT_FALSE(Eval(R"(HasPrefix(name, "POST"))"));
  EXPECT_TRUE(Eval(R"(attributes["map"]["a"] == "v" and attributes["list"][1] == 2)"));
  EXPECT_TRUE(Eval(R"(attributes["int"] * 2 == 808 and attributes["int"] / 4 == 101)"));
  EXPECT_TRUE(Eval(R"(attributes["double"] * 2 == 3)"));
  EXPECT_TRUE(Eval(R"(-attributes["int"] == -404)"));
}

TEST_F(OttlEvaluator, RuntimeErrorsAreReportedNotThrown) {
  struct Case {
    const char* text;
    const char* error_part;
  };
  for (const Case& c : std::vector<Case>{
           {R"(Len(attributes["int"]) > 0)", "Len: expected a string, map or list, got int"},
           {R"(Len(attributes["missing"]) > 0)", "got nil"},
           {R"(HasPrefix(attributes["int"], "4"))", "HasPrefix: expected a string, got int"},
           {R"(HasSuffix(attributes["missing"], "4"))", "got nil"},
           {R"(attributes["str"]["x"] == 1)", "cannot index string"},
           {R"(attributes["list"][5] == 1)", "out of range"},
           {R"(attributes["str"] + 1 == 2)", "arithmetic on string and int"},
           {R"(attributes["int"] / 0 == 1)", "division by zero"},
       }) {
    std::string error;
    EXPECT_FALSE(Eval(c.text, Level::kSpan, &error)) << c.text;
    EXPECT_NE(error.find(c.error_part), std::string::npos) << c.text << ": " << error;
  }
}

TEST_F(OttlEvaluator, MetricAndDataPointContexts) {
  metrics::Metric metric;
  metric.set_name("http.server.duration");
  metric.set_unit("ms");
  metric.set_description("d");
  auto* sum = metric.mutable_sum();
  sum->set_is_monotonic(true);
  sum->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  auto* point = sum->add_data_points();
  point->set_as_double(2.5);
  point->set_time_unix_nano(7);
  Put(point->mutable_attributes(), "route")->set_string_value("/a");
  ctx_.metric = &metric;
  ctx_.point.number = point;
  EXPECT_TRUE(Eval("type == METRIC_DATA_TYPE_SUM and is_monotonic == true", Level::kMetric, nullptr,
                   Family::kMetrics));
  EXPECT_TRUE(Eval("aggregation_temporality == AGGREGATION_TEMPORALITY_DELTA", Level::kMetric,
                   nullptr, Family::kMetrics));
  EXPECT_TRUE(Eval(R"(unit == "ms" and description == "d")", Level::kMetric, nullptr,
                   Family::kMetrics));
  EXPECT_TRUE(Eval(R"(value_double > 2 and value_int == 0 and attributes["route"] == "/a")",
                   Level::kDataPoint, nullptr, Family::kMetrics));
  EXPECT_TRUE(Eval(R"(metric.name == "http.server.duration" and time_unix_nano == 7)",
                   Level::kDataPoint, nullptr, Family::kMetrics));
  EXPECT_TRUE(Eval("count == nil", Level::kDataPoint, nullptr, Family::kMetrics));

  metrics::Metric histogram;
  auto* hp = histogram.mutable_histogram()->add_data_points();
  hp->set_count(9);
  hp->set_sum(4.5);
  ctx_.metric = &histogram;
  ctx_.point = {};
  ctx_.point.histogram = hp;
  EXPECT_TRUE(Eval("metric.type == METRIC_DATA_TYPE_HISTOGRAM and count == 9 and sum == 4.5",
                   Level::kDataPoint, nullptr, Family::kMetrics));
}

TEST_F(OttlEvaluator, LogContext) {
  logs::LogRecord record;
  record.set_severity_number(logs::SEVERITY_NUMBER_ERROR);
  record.set_severity_text("ERROR");
  record.mutable_body()->set_string_value("password=hunter2");
  record.set_event_name("login");
  record.set_trace_id(span_.trace_id());
  ctx_.log = &record;
  EXPECT_TRUE(Eval("severity_number >= SEVERITY_NUMBER_WARN", Level::kLog, nullptr, Family::kLogs));
  EXPECT_FALSE(Eval("severity_number < SEVERITY_NUMBER_WARN", Level::kLog, nullptr, Family::kLogs));
  EXPECT_TRUE(Eval(R"(IsMatch(body, "password") and severity_text == "ERROR")", Level::kLog,
                   nullptr, Family::kLogs));
  EXPECT_TRUE(Eval(R"(event_name == "login" and trace_id.string == "0102030405060708090a0b0c0d0e0f10")",
                   Level::kLog, nullptr, Family::kLogs));
  std::string error;
  EXPECT_FALSE(Eval(R"(body["k"] == nil)", Level::kLog, &error, Family::kLogs));
  EXPECT_NE(error.find("cannot index string"), std::string::npos) << error;

  auto* kv = record.mutable_body()->mutable_kvlist_value();
  Put(kv->mutable_values(), "user")->set_string_value("ann");
  EXPECT_TRUE(Eval(R"(body["user"] == "ann" and IsMap(body))", Level::kLog, nullptr, Family::kLogs));
  EXPECT_TRUE(Eval(R"(body.string == "{\"user\":\"ann\"}")", Level::kLog, nullptr, Family::kLogs));
}

}  // namespace
}  // namespace otlpd::processor::filter::ottl
