#include "pipeline/otlp_wire.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <climits>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/common.h>

namespace otlpd {
namespace {

namespace pb = google::protobuf;

// ---------------------------------------------------------------------------------------------
// Tables: one per message type, built once from the generated Descriptors, so that one walker
// serves all three signals and follows the .proto files when they change.

enum class Kind : uint8_t { kVarint, kFixed64, kFixed32, kString, kBytes, kMessage };

// A trace or span ID field, in the order CheckIdLengths looks at the fields of its message.
struct IdField {
  const char* full_name;
  uint32_t want;
  const char* label;  // CheckIdLengths' name for it: "invalid <label>: want ..."
};
constexpr IdField kIdFields[] = {
    {"opentelemetry.proto.trace.v1.Span.trace_id", 16, "span trace_id"},
    {"opentelemetry.proto.trace.v1.Span.span_id", 8, "span span_id"},
    {"opentelemetry.proto.trace.v1.Span.parent_span_id", 8, "span parent_span_id"},
    {"opentelemetry.proto.trace.v1.Span.Link.trace_id", 16, "link trace_id"},
    {"opentelemetry.proto.trace.v1.Span.Link.span_id", 8, "link span_id"},
    {"opentelemetry.proto.logs.v1.LogRecord.trace_id", 16, "log record trace_id"},
    {"opentelemetry.proto.logs.v1.LogRecord.span_id", 8, "log record span_id"},
    {"opentelemetry.proto.metrics.v1.Exemplar.trace_id", 16, "exemplar trace_id"},
    {"opentelemetry.proto.metrics.v1.Exemplar.span_id", 8, "exemplar span_id"},
};

// Fields whose every element is one item for CountItems(). Data points count only inside the
// Metric's `data` oneof member that survives decoding, which the oneof handling below ensures.
constexpr const char* kItemFields[] = {
    "opentelemetry.proto.trace.v1.ScopeSpans.spans",
    "opentelemetry.proto.logs.v1.ScopeLogs.log_records",
    "opentelemetry.proto.metrics.v1.Gauge.data_points",
    "opentelemetry.proto.metrics.v1.Sum.data_points",
    "opentelemetry.proto.metrics.v1.Histogram.data_points",
    "opentelemetry.proto.metrics.v1.ExponentialHistogram.data_points",
    "opentelemetry.proto.metrics.v1.Summary.data_points",
};

constexpr int kMaxOneofs = 4;      // per message; OTLP has at most one
constexpr int kMaxIdFields = 4;    // per message; OTLP has at most three

struct Field {
  bool known = false;
  Kind kind = Kind::kVarint;
  bool packable = false;  // repeated varint/fixed: packed (wire type 2) is accepted too
  bool utf8 = false;      // proto3 string: protobuf refuses invalid UTF-8 when parsing
  bool item = false;      // each element counts one item
  int8_t oneof = -1;      // index of its oneof in the message, or -1
  int8_t id = -1;         // index into Table::ids, or -1
  int message = -1;       // kMessage: index of the field's table
};

struct Table {
  std::vector<Field> fields;  // by field number; numbers past the end are unknown
  std::vector<IdField> ids;   // check order
  // Whether items or IDs can occur in this message or below it. Most messages (attributes,
  // values) cannot, and are only checked, without the bookkeeping.
  bool tracked = false;
  const Field* Find(uint32_t number) const {
    return number < fields.size() && fields[number].known ? &fields[number] : nullptr;
  }
};

Kind KindOf(const pb::FieldDescriptor& f) {
  switch (f.type()) {
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FIXED64:
    case pb::FieldDescriptor::TYPE_SFIXED64:
      return Kind::kFixed64;
    case pb::FieldDescriptor::TYPE_FLOAT:
    case pb::FieldDescriptor::TYPE_FIXED32:
    case pb::FieldDescriptor::TYPE_SFIXED32:
      return Kind::kFixed32;
    case pb::FieldDescriptor::TYPE_STRING:
      return Kind::kString;
    case pb::FieldDescriptor::TYPE_BYTES:
      return Kind::kBytes;
    case pb::FieldDescriptor::TYPE_MESSAGE:
      return Kind::kMessage;
    default:  // integers, bool, enum (groups do not occur in proto3)
      return Kind::kVarint;
  }
}

class Tables {
 public:
  explicit Tables(const pb::Descriptor* root) {
    root_ = Add(root);
    // Message types can be recursive (AnyValue, ArrayValue): propagate up to a fixed point.
    for (Table& t : tables_) {
      for (const Field& f : t.fields) t.tracked = t.tracked || f.item || f.id >= 0;
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (Table& t : tables_) {
        for (const Field& f : t.fields) {
          if (!t.tracked && f.message >= 0 && tables_[f.message].tracked) {
            t.tracked = changed = true;
          }
        }
      }
    }
  }
  const Table& root() const { return tables_[root_]; }
  const Table& at(int index) const { return tables_[index]; }

 private:
  int Add(const pb::Descriptor* d) {
    if (auto it = index_.find(d); it != index_.end()) return it->second;
    const int index = static_cast<int>(tables_.size());
    index_[d] = index;
    tables_.emplace_back();
    Table t;
    int max_number = 0;
    for (int i = 0; i < d->field_count(); ++i) max_number = std::max(max_number, d->field(i)->number());
    t.fields.resize(static_cast<size_t>(max_number) + 1);
    for (const IdField& id : kIdFields) {
      if (const pb::FieldDescriptor* f = d->FindFieldByName(LastPart(id.full_name));
          f != nullptr && f->full_name() == id.full_name) {
        t.fields[f->number()].id = static_cast<int8_t>(t.ids.size());
        t.ids.push_back(id);
      }
    }
    assert(t.ids.size() <= kMaxIdFields);
    assert(d->real_oneof_decl_count() <= kMaxOneofs);
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* fd = d->field(i);
      Field& f = t.fields[fd->number()];
      f.known = true;
      f.kind = KindOf(*fd);
      f.packable = fd->is_repeated() && f.kind != Kind::kString && f.kind != Kind::kBytes &&
                   f.kind != Kind::kMessage;
      f.utf8 = f.kind == Kind::kString &&
               d->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO3;
      if (const pb::OneofDescriptor* o = fd->real_containing_oneof()) {
        f.oneof = static_cast<int8_t>(o->index());
      }
      for (const char* name : kItemFields) f.item = f.item || fd->full_name() == name;
      // IDs are checked on the value decoding keeps: the last one of its message. That is
      // only the last one on the wire if the message itself is never merged from two.
      assert(f.kind != Kind::kMessage || fd->is_repeated() || fd->real_containing_oneof() ||
             !HasIds(fd->message_type()));
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* fd = d->field(i);
      if (KindOf(*fd) == Kind::kMessage) t.fields[fd->number()].message = Add(fd->message_type());
    }
    tables_[index] = std::move(t);
    return index;
  }

  static std::string LastPart(std::string_view full_name) {
    return std::string(full_name.substr(full_name.rfind('.') + 1));
  }
  static bool HasIds(const pb::Descriptor* d) {
    for (const IdField& id : kIdFields) {
      const pb::FieldDescriptor* f = d->FindFieldByName(LastPart(id.full_name));
      if (f != nullptr && f->full_name() == id.full_name) return true;
    }
    return false;
  }

  std::vector<Table> tables_;
  std::unordered_map<const pb::Descriptor*, int> index_;
  int root_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The walker. Varints are read here rather than with CodedInputStream because the limits must
// be those of the parser ParseFromString runs (parse_context.h), which CodedInputStream does
// not share: a tag has at most 5 bytes (bits past 32 are dropped), a length at most 5 with a
// value below 2^31, any other varint at most 10.

// protobuf's default recursion limit (io::CodedInputStream::GetDefaultRecursionLimit()).
constexpr int kRecursionLimit = 100;

// The first ID of the wrong length in decoding order, or none.
struct IdError {
  const IdField* field = nullptr;
  uint64_t length = 0;
  explicit operator bool() const { return field != nullptr; }
};

// What one message contributes: items, and its first bad ID.
struct Summary {
  int64_t items = 0;
  IdError error;
  uint32_t error_field = 0;  // the child field number the error came from (0: own ID field)
};

class Walker {
 public:
  explicit Walker(const Tables& tables) : tables_(tables) {}

  // Scans the fields in [p, end) as message `t`. False when protobuf would not parse them.
  // kTracked: keep count of items and IDs (t.tracked); otherwise only check.
  template <bool kTracked>
  bool Message(const Table& t, const uint8_t* p, const uint8_t* end, int depth, Summary* out) {
    // Last length of each ID field (-1: absent, i.e. empty).
    std::array<int64_t, kMaxIdFields> id_len;
    id_len.fill(-1);
    // Items and errors from message fields outside oneofs, and per oneof from the current run
    // of its current member: switching members discards the previous one, as decoding does.
    Summary plain;
    std::array<Summary, kMaxOneofs> oneof_sum{};
    std::array<uint32_t, kMaxOneofs> oneof_member{};

    while (p < end) {
      uint32_t tag;
      if (!ReadTag(p, end, &tag)) return false;
      const uint32_t wire_type = tag & 7;
      const uint32_t number = tag >> 3;
      // Tag 0 and end-group end a message; for a whole or length-delimited message that is an
      // error (only groups end that way).
      if (tag == 0 || wire_type == 4 || number == 0) return false;
      const Field* f = t.Find(number);
      if (f == nullptr || !Expected(*f, wire_type)) {
        if (!SkipUnknown(tag, p, end, depth)) return false;
        continue;
      }
      if constexpr (kTracked) {
        if (f->oneof >= 0 && oneof_member[f->oneof] != number) {
          oneof_member[f->oneof] = number;
          oneof_sum[f->oneof] = Summary();
        }
      }
      switch (wire_type) {
        case 0:
          if (!SkipVarint(p, end)) return false;
          continue;
        case 1:
          if (end - p < 8) return false;
          p += 8;
          continue;
        case 5:
          if (end - p < 4) return false;
          p += 4;
          continue;
        default:
          break;
      }
      // Wire type 2.
      uint32_t size;
      if (!ReadSize(p, end, &size)) return false;
      const uint8_t* field_end = p + size;
      switch (f->kind) {
        case Kind::kVarint:  // packed
          while (p < field_end) {
            if (!SkipVarint(p, field_end)) return false;
          }
          break;
        case Kind::kFixed64:
          if (size % 8 != 0) return false;
          break;
        case Kind::kFixed32:
          if (size % 4 != 0) return false;
          break;
        case Kind::kString:
          if (f->utf8 && !pb::internal::IsStructurallyValidUTF8(reinterpret_cast<const char*>(p),
                                                                 static_cast<int>(size))) {
            return false;
          }
          break;
        case Kind::kBytes:
          if constexpr (kTracked) {
            if (f->id >= 0) id_len[f->id] = size;
          }
          break;
        case Kind::kMessage: {
          if (depth <= 0) return false;
          const Table& sub = tables_.at(f->message);
          if (!kTracked || !sub.tracked) {
            if (!Message<false>(sub, p, field_end, depth - 1, nullptr)) return false;
            if constexpr (kTracked) {
              if (f->item) {
                (f->oneof >= 0 ? oneof_sum[f->oneof] : plain).items += 1;
              }
            }
            break;
          }
          Summary child;
          if (!Message<true>(sub, p, field_end, depth - 1, &child)) return false;
          if (f->item) ++child.items;
          Summary& into = f->oneof >= 0 ? oneof_sum[f->oneof] : plain;
          into.items += child.items;
          if (child.error && (!into.error || number < into.error_field)) {
            into.error = child.error;
            into.error_field = number;
          }
          break;
        }
      }
      p = field_end;
    }

    if constexpr (!kTracked) return true;
    // Own IDs first (CheckIdLengths looks at a span's IDs before its links), then the children
    // by field number.
    *out = plain;
    for (int o = 0; o < kMaxOneofs; ++o) {
      out->items += oneof_sum[o].items;
      if (oneof_sum[o].error && (!out->error || oneof_sum[o].error_field < out->error_field)) {
        out->error = oneof_sum[o].error;
        out->error_field = oneof_sum[o].error_field;
      }
    }
    for (size_t i = 0; i < t.ids.size(); ++i) {
      const int64_t len = id_len[i];
      if (len > 0 && static_cast<uint64_t>(len) != t.ids[i].want) {
        out->error = IdError{&t.ids[i], static_cast<uint64_t>(len)};
        out->error_field = 0;
        break;
      }
    }
    return true;
  }

 private:
  // The wire types protobuf's generated parser takes for a known field; any other makes the
  // field unknown.
  static bool Expected(const Field& f, uint32_t wire_type) {
    switch (f.kind) {
      case Kind::kVarint: return wire_type == 0 || (wire_type == 2 && f.packable);
      case Kind::kFixed64: return wire_type == 1 || (wire_type == 2 && f.packable);
      case Kind::kFixed32: return wire_type == 5 || (wire_type == 2 && f.packable);
      default: return wire_type == 2;
    }
  }

  static bool ReadTag(const uint8_t*& p, const uint8_t* end, uint32_t* tag) {
    uint32_t value = 0;
    for (int i = 0; i < 5; ++i) {
      if (p == end) return false;
      const uint8_t byte = *p++;
      value |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) {
        *tag = value;
        return true;
      }
    }
    return false;
  }

  static bool ReadSize(const uint8_t*& p, const uint8_t* end, uint32_t* size) {
    uint32_t value = 0;
    for (int i = 0; i < 5; ++i) {
      if (p == end) return false;
      const uint8_t byte = *p++;
      if (i == 4 && byte >= 8) return false;  // 2^31 or more
      value |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) {
        if (value > static_cast<uint64_t>(end - p)) return false;
        *size = value;
        return true;
      }
    }
    return false;
  }

  static bool SkipVarint(const uint8_t*& p, const uint8_t* end) {
    for (int i = 0; i < 10; ++i) {
      if (p == end) return false;
      if (*p++ < 0x80) return true;
    }
    return false;
  }

  // An unknown field, which protobuf keeps: its value must still be well-formed.
  bool SkipUnknown(uint32_t tag, const uint8_t*& p, const uint8_t* end, int depth) {
    switch (tag & 7) {
      case 0:
        return SkipVarint(p, end);
      case 1:
        if (end - p < 8) return false;
        p += 8;
        return true;
      case 2: {
        uint32_t size;
        if (!ReadSize(p, end, &size)) return false;
        p += size;
        return true;
      }
      case 3: {  // a group: fields up to the end-group tag of the same number
        if (depth <= 0) return false;
        while (true) {
          uint32_t inner;
          if (!ReadTag(p, end, &inner)) return false;
          if ((inner & 7) == 4) return inner == tag + 1;
          if (inner == 0 || (inner >> 3) == 0) return false;
          if (!SkipUnknown(inner, p, end, depth - 1)) return false;
        }
      }
      case 5:
        if (end - p < 4) return false;
        p += 4;
        return true;
      default:  // 4 is handled by the callers; 6 and 7 do not exist
        return false;
    }
  }

  const Tables& tables_;
};

Status IdLengthError(const IdError& e) {
  return InvalidArgumentError("invalid " + std::string(e.field->label) + ": want " +
                              std::to_string(e.field->want) + " bytes or none, got " +
                              std::to_string(e.length));
}

}  // namespace

bool IsUnparsableProtobuf(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument && status.message() == kUnparsableProtobuf;
}

template <class Request>
StatusOr<int64_t> ScanEncodedRequest(std::string_view bytes) {
  static const Tables* const tables = new Tables(Request::descriptor());
  if (bytes.size() > INT_MAX) return InvalidArgumentError(std::string(kUnparsableProtobuf));
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  Summary summary;
  if (!Walker(*tables).Message<true>(tables->root(), p, p + bytes.size(), kRecursionLimit, &summary)) {
    return InvalidArgumentError(std::string(kUnparsableProtobuf));
  }
  if (summary.error) return IdLengthError(summary.error);
  return summary.items;
}

template StatusOr<int64_t> ScanEncodedRequest<TraceRequest>(std::string_view);
template StatusOr<int64_t> ScanEncodedRequest<MetricsRequest>(std::string_view);
template StatusOr<int64_t> ScanEncodedRequest<LogsRequest>(std::string_view);

}  // namespace otlpd
