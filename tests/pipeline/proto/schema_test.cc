// Field numbers are the wire format and must never change (pipeline/proto/README.md). This test
// freezes them: every message field (number, type, label, oneof), enum value and reserved range
// of our .proto files, listed from the generated descriptors, must equal
// tests/pipeline/proto/schema_fields.txt. That file was checked against opentelemetry-proto
// v1.10.0 and googleapis, and against the encoder the OpenTelemetry JS project generated from
// upstream (otlp-transformer 0.208.0): every field and enum value it knows agrees in number and
// wire type; it predates only the two profiles-only *_strindex fields. A diff here means the
// wire format changed.
// Updating to a new upstream release: add the new lines, never edit or remove old ones.

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "tests/pipeline/proto/proto_test_util.h"

namespace otlpd::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

void DescribeEnum(const EnumDescriptor* e, std::vector<std::string>* out) {
  for (int i = 0; i < e->value_count(); ++i) {
    std::ostringstream line;
    line << "enum " << e->full_name() << " " << e->value(i)->name() << " = "
         << e->value(i)->number();
    out->push_back(line.str());
  }
}

std::string Label(const FieldDescriptor* f) {
  if (f->is_map()) return "map";
  if (f->is_repeated()) return "repeated";
  if (f->real_containing_oneof() != nullptr) return "oneof " + f->real_containing_oneof()->name();
  if (f->has_presence() && f->message_type() == nullptr) return "optional";
  return "singular";
}

std::string TypeName(const FieldDescriptor* f) {
  if (f->message_type() != nullptr) return f->message_type()->full_name();
  if (f->enum_type() != nullptr) return f->enum_type()->full_name();
  return f->type_name();  // wire-level scalar type: fixed64, sint32, ...
}

void DescribeMessage(const Descriptor* d, std::vector<std::string>* out) {
  if (d->options().map_entry()) return;  // described by its map field
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::ostringstream line;
    line << "field " << f->full_name() << " = " << f->number() << " " << Label(f) << " "
         << TypeName(f);
    out->push_back(line.str());
  }
  for (int i = 0; i < d->reserved_range_count(); ++i) {
    const auto* r = d->reserved_range(i);
    std::ostringstream line;
    line << "reserved " << d->full_name() << " " << r->start;
    if (r->end - 1 != r->start) line << "-" << (r->end - 1);
    out->push_back(line.str());
  }
  for (int i = 0; i < d->nested_type_count(); ++i) DescribeMessage(d->nested_type(i), out);
  for (int i = 0; i < d->enum_type_count(); ++i) DescribeEnum(d->enum_type(i), out);
}

void DescribeFile(const FileDescriptor* file, std::set<const FileDescriptor*>* seen,
                  std::vector<std::string>* out) {
  if (!seen->insert(file).second) return;
  // The well-known types (Any, Duration) belong to the system protobuf, not to us.
  if (file->package() == "google.protobuf") return;
  for (int i = 0; i < file->dependency_count(); ++i) DescribeFile(file->dependency(i), seen, out);
  out->push_back("file " + file->name() + " package " + file->package());
  for (int i = 0; i < file->message_type_count(); ++i) DescribeMessage(file->message_type(i), out);
  for (int i = 0; i < file->enum_type_count(); ++i) DescribeEnum(file->enum_type(i), out);
  for (int i = 0; i < file->service_count(); ++i) {
    const auto* s = file->service(i);
    for (int m = 0; m < s->method_count(); ++m) {
      out->push_back("rpc " + s->method(m)->full_name() + " " +
                     s->method(m)->input_type()->full_name() + " -> " +
                     s->method(m)->output_type()->full_name());
    }
  }
}

std::string DescribeSchema() {
  namespace col = opentelemetry::proto::collector;
  const FileDescriptor* roots[] = {
      col::trace::v1::ExportTraceServiceRequest::descriptor()->file(),
      col::metrics::v1::ExportMetricsServiceRequest::descriptor()->file(),
      col::logs::v1::ExportLogsServiceRequest::descriptor()->file(),
      google::rpc::Status::descriptor()->file(),
      google::rpc::RetryInfo::descriptor()->file(),
  };
  std::set<const FileDescriptor*> seen;
  std::vector<std::string> lines;
  for (const auto* root : roots) DescribeFile(root, &seen, &lines);
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

TEST(ProtoSchema, FieldNumbersAreFrozen) {
  std::string expected, error;
  ASSERT_TRUE(ReadSourceFile("tests/pipeline/proto/schema_fields.txt", &expected, &error))
      << error;
  const std::string actual = DescribeSchema();
  if (actual == expected) return;

  // Name the first differing line; the full text follows so a reviewed addition can be pasted.
  std::istringstream a(actual), e(expected);
  std::string al, el;
  int line = 0;
  while (true) {
    ++line;
    bool more_a = static_cast<bool>(std::getline(a, al));
    bool more_e = static_cast<bool>(std::getline(e, el));
    if (!more_a && !more_e) break;
    if (!more_a || !more_e || al != el) {
      ADD_FAILURE() << "schema_fields.txt:" << line << ": expected \""
                    << (more_e ? el : "<end>") << "\", schema has \""
                    << (more_a ? al : "<end>") << "\"\n--- schema now ---\n"
                    << actual;
      return;
    }
  }
}

TEST(ProtoSchema, WireTypesThatPeersDependOn) {
  // Spot checks that the frozen file cannot lose by accident: timestamps are fixed64 (not
  // varint), flags fixed32, the metric int values sfixed64 and exponential scale sint32.
  namespace tr = opentelemetry::proto::trace::v1;
  namespace me = opentelemetry::proto::metrics::v1;
  namespace lo = opentelemetry::proto::logs::v1;
  auto type_of = [](const Descriptor* d, const char* field) {
    const FieldDescriptor* f = d->FindFieldByName(field);
    return f == nullptr ? FieldDescriptor::MAX_TYPE : f->type();
  };
  EXPECT_EQ(type_of(tr::Span::descriptor(), "start_time_unix_nano"), FieldDescriptor::TYPE_FIXED64);
  EXPECT_EQ(type_of(tr::Span::descriptor(), "flags"), FieldDescriptor::TYPE_FIXED32);
  EXPECT_EQ(type_of(lo::LogRecord::descriptor(), "flags"), FieldDescriptor::TYPE_FIXED32);
  EXPECT_EQ(type_of(me::NumberDataPoint::descriptor(), "as_int"), FieldDescriptor::TYPE_SFIXED64);
  EXPECT_EQ(type_of(me::NumberDataPoint::descriptor(), "flags"), FieldDescriptor::TYPE_UINT32);
  EXPECT_EQ(type_of(me::ExponentialHistogramDataPoint::descriptor(), "scale"),
            FieldDescriptor::TYPE_SINT32);
  EXPECT_EQ(type_of(me::HistogramDataPoint::descriptor(), "bucket_counts"),
            FieldDescriptor::TYPE_FIXED64);
  EXPECT_EQ(type_of(me::ExponentialHistogramDataPoint::Buckets::descriptor(), "bucket_counts"),
            FieldDescriptor::TYPE_UINT64);
  EXPECT_EQ(tr::Span::descriptor()->FindFieldByName("flags")->number(), 16);
  EXPECT_EQ(lo::LogRecord::descriptor()->FindFieldByName("event_name")->number(), 12);
  EXPECT_EQ(me::Metric::descriptor()->FindFieldByName("metadata")->number(), 12);
}

}  // namespace
}  // namespace otlpd::testing
