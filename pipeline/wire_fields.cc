#include "pipeline/wire_fields.h"

#include <climits>

#include <google/protobuf/wire_format_lite.h>

namespace otlpd {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::internal::WireFormatLite;

WireFieldReader::WireFieldReader(std::string_view message)
    : message_(message),
      input_(reinterpret_cast<const uint8_t*>(message.data()), static_cast<int>(message.size())) {
  // The default limit is below the largest request a receiver may accept; the receiver's own
  // limit already bounds the size.
  input_.SetTotalBytesLimit(INT_MAX);
}

bool WireFieldReader::Next(WireField* field) {
  if (failed_) return false;
  const int start = input_.CurrentPosition();
  const uint32_t tag = input_.ReadTag();
  if (tag == 0) {
    // ReadTag gives 0 both at the end and for a bad tag; only the end is clean.
    failed_ = static_cast<size_t>(start) != message_.size();
    return false;
  }
  field->number = WireFormatLite::GetTagFieldNumber(tag);
  field->length_delimited =
      WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
  if (field->length_delimited) {
    uint32_t length = 0;
    if (!input_.ReadVarint32(&length)) {
      failed_ = true;
      return false;
    }
    const int value_start = input_.CurrentPosition();
    if (!input_.Skip(static_cast<int>(length))) {
      failed_ = true;
      return false;
    }
    field->payload = message_.substr(static_cast<size_t>(value_start), length);
  } else {
    if (!WireFormatLite::SkipField(&input_, tag)) {
      failed_ = true;
      return false;
    }
    field->payload = {};
  }
  const int end = input_.CurrentPosition();
  field->whole = message_.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
  return true;
}

size_t LengthDelimitedSize(uint32_t number, size_t size) {
  const uint32_t tag = WireFormatLite::MakeTag(static_cast<int>(number),
                                               WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  return CodedOutputStream::VarintSize32(tag) +
         CodedOutputStream::VarintSize32(static_cast<uint32_t>(size)) + size;
}

void AppendLengthDelimitedHeader(uint32_t number, size_t size, std::string* out) {
  uint8_t buffer[10];
  const uint32_t tag = WireFormatLite::MakeTag(static_cast<int>(number),
                                               WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  uint8_t* end = CodedOutputStream::WriteVarint32ToArray(tag, buffer);
  end = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(size), end);
  out->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(end - buffer));
}

}  // namespace otlpd
