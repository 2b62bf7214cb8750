// Reading and writing the top level of a serialised protobuf message without decoding it, for
// every stage that works on encoded batches (the resource and filter processors, the wire-level
// split): walk a message field by field, copy the fields they do not change byte for byte, and
// re-frame the ones they do.
//
//   WireFieldReader reader(resource_spans_bytes);
//   WireField f;
//   while (reader.Next(&f)) {
//     if (f.number == 1 && f.length_delimited) Decode(f.payload); else out.append(f.whole);
//   }
//   if (reader.failed()) ...;   // malformed bytes: a bug when a receiver checked them
//   AppendLengthDelimited(2, body, &out);   // tag, length, body
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/io/coded_stream.h>

namespace otlpd {

// One field occurrence of a serialised message. Views into the message's bytes.
struct WireField {
  uint32_t number = 0;
  bool length_delimited = false;
  std::string_view whole;    // the tag, the length if any, and the value: what to copy verbatim
  std::string_view payload;  // length-delimited fields: the value's bytes; else empty
};

class WireFieldReader {
 public:
  explicit WireFieldReader(std::string_view message);
  WireFieldReader(const WireFieldReader&) = delete;
  WireFieldReader& operator=(const WireFieldReader&) = delete;

  // Reads the next field. False at the end of the message, or when the bytes are malformed
  // (then failed() is true).
  bool Next(WireField* field);
  bool failed() const { return failed_; }

 private:
  std::string_view message_;
  google::protobuf::io::CodedInputStream input_;
  bool failed_ = false;
};

// The size of a length-delimited field `number` whose value has `size` bytes, framing included.
size_t LengthDelimitedSize(uint32_t number, size_t size);
// Appends the tag and length of a length-delimited field `number` of `size` bytes (the caller
// appends the value).
void AppendLengthDelimitedHeader(uint32_t number, size_t size, std::string* out);

}  // namespace otlpd
