// Helpers for the schema tests: read a file from the source tree, show bytes as hex, find an
// attribute, and find fields our schema did not recognise.
//
//   std::string bytes = ReadSourceFile("tests/testdata/otlp/traces.binpb");
//   EXPECT_EQ(Hex(span.trace_id()), "5b8efff798038103d269b633813fc60c");
//   const AnyValue* v = FindAttribute(span.attributes(), "http.request.method");
//   EXPECT_THAT(UnknownFieldPaths(request), IsEmpty());
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/unknown_field_set.h>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace otlpd::testing {

// Reads `relative` below $OTLPD_SOURCE_DIR (set by otlpd_test). Returns false with a message in
// `error` instead of asserting, so callers choose ASSERT or EXPECT.
inline bool ReadSourceFile(const std::string& relative, std::string* out, std::string* error) {
  const char* root = std::getenv("OTLPD_SOURCE_DIR");
  if (root == nullptr || *root == '\0') {
    *error = "OTLPD_SOURCE_DIR is not set (run through ctest)";
    return false;
  }
  std::string path = std::string(root) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

inline std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

// The value of the first attribute named `key`, or nullptr.
template <class KeyValues>
const opentelemetry::proto::common::v1::AnyValue* FindAttribute(const KeyValues& attributes,
                                                                const std::string& key) {
  for (const auto& kv : attributes) {
    if (kv.key() == key) return &kv.value();
  }
  return nullptr;
}

// Paths of every message in the tree that carries fields the schema does not know, e.g.
// "resource_spans[0].scope_spans[0].spans[3]: 1 unknown field(s)". Empty when the schema
// understood every byte.
inline void CollectUnknownFieldPaths(const google::protobuf::Message& message,
                                     const std::string& path, std::vector<std::string>* out) {
  const auto* reflection = message.GetReflection();
  const auto& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    out->push_back((path.empty() ? "<root>" : path) + ": " +
                   std::to_string(unknown.field_count()) + " unknown field(s), first number " +
                   std::to_string(unknown.field(0).number()));
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    std::string prefix = path.empty() ? field->name() : path + "." + field->name();
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        CollectUnknownFieldPaths(reflection->GetRepeatedMessage(message, field, i),
                                 prefix + "[" + std::to_string(i) + "]", out);
      }
    } else {
      CollectUnknownFieldPaths(reflection->GetMessage(message, field), prefix, out);
    }
  }
}

inline std::vector<std::string> UnknownFieldPaths(const google::protobuf::Message& message) {
  std::vector<std::string> out;
  CollectUnknownFieldPaths(message, "", &out);
  return out;
}

}  // namespace otlpd::testing
