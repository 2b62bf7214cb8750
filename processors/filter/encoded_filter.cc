#include "processors/filter/encoded_filter.h"

#include <bit>
#include <vector>

#include "pipeline/wire_fields.h"

namespace otlpd::processor::filter {

using ottl::Expr;
using ottl::ExprKind;
using ottl::Field;
using ottl::Level;
using opentelemetry::proto::common::v1::InstrumentationScope;
using opentelemetry::proto::logs::v1::LogRecord;
using opentelemetry::proto::resource::v1::Resource;
using opentelemetry::proto::trace::v1::Span;

// Field numbers shared by the traces and logs messages (trace.proto, logs.proto).
constexpr uint32_t kResourceListField = 1;  // Export*ServiceRequest.resource_{spans,logs}
constexpr uint32_t kResourceField = 1;      // ResourceX.resource
constexpr uint32_t kScopeListField = 2;     // ResourceX.scope_{spans,logs}
constexpr uint32_t kScopeField = 1;         // ScopeX.scope
constexpr uint32_t kItemField = 2;          // ScopeX.spans / log_records

struct TracesLayout {
  using Item = Span;
  static constexpr Level kLevel = Level::kSpan;

  // The Span field a span-context path reads; 0 when the projection does not know it.
  static uint32_t FieldNumber(Field field) {
    switch (field) {
      case Field::kTraceId:
      case Field::kTraceIdString: return Span::kTraceIdFieldNumber;
      case Field::kSpanId:
      case Field::kSpanIdString: return Span::kSpanIdFieldNumber;
      case Field::kTraceState: return Span::kTraceStateFieldNumber;
      case Field::kParentSpanId:
      case Field::kParentSpanIdString: return Span::kParentSpanIdFieldNumber;
      case Field::kName: return Span::kNameFieldNumber;
      case Field::kKind:
      case Field::kKindString: return Span::kKindFieldNumber;
      case Field::kStartTimeUnixNano: return Span::kStartTimeUnixNanoFieldNumber;
      case Field::kEndTimeUnixNano: return Span::kEndTimeUnixNanoFieldNumber;
      case Field::kAttributes: return Span::kAttributesFieldNumber;
      case Field::kDroppedAttributesCount: return Span::kDroppedAttributesCountFieldNumber;
      case Field::kDroppedEventsCount: return Span::kDroppedEventsCountFieldNumber;
      case Field::kDroppedLinksCount: return Span::kDroppedLinksCountFieldNumber;
      case Field::kStatusCode:
      case Field::kStatusMessage: return Span::kStatusFieldNumber;
      case Field::kFlags: return Span::kFlagsFieldNumber;
      default: return 0;
    }
  }

  // The singular string and bytes fields: for them the last occurrence is the value, so a
  // projection can set them from the bytes without running the parser (the receiver checked
  // their UTF-8).
  static constexpr uint32_t kDirectFields =
      (1u << Span::kTraceIdFieldNumber) | (1u << Span::kSpanIdFieldNumber) |
      (1u << Span::kTraceStateFieldNumber) | (1u << Span::kParentSpanIdFieldNumber) |
      (1u << Span::kNameFieldNumber);
  static void SetDirect(uint32_t number, std::string_view value, Span* span) {
    switch (number) {
      case Span::kTraceIdFieldNumber: span->mutable_trace_id()->assign(value); break;
      case Span::kSpanIdFieldNumber: span->mutable_span_id()->assign(value); break;
      case Span::kTraceStateFieldNumber: span->mutable_trace_state()->assign(value); break;
      case Span::kParentSpanIdFieldNumber: span->mutable_parent_span_id()->assign(value); break;
      case Span::kNameFieldNumber: span->mutable_name()->assign(value); break;
      default: break;
    }
  }

  static void Point(ottl::EvalContext& ctx, const Span* span) {
    ctx.span = span;
    ctx.event = nullptr;
  }
};

struct LogsLayout {
  using Item = LogRecord;
  static constexpr Level kLevel = Level::kLog;

  static uint32_t FieldNumber(Field field) {
    switch (field) {
      case Field::kBody:
      case Field::kBodyString: return LogRecord::kBodyFieldNumber;
      case Field::kSeverityNumber: return LogRecord::kSeverityNumberFieldNumber;
      case Field::kSeverityText: return LogRecord::kSeverityTextFieldNumber;
      case Field::kAttributes: return LogRecord::kAttributesFieldNumber;
      case Field::kTimeUnixNano: return LogRecord::kTimeUnixNanoFieldNumber;
      case Field::kObservedTimeUnixNano: return LogRecord::kObservedTimeUnixNanoFieldNumber;
      case Field::kTraceId:
      case Field::kTraceIdString: return LogRecord::kTraceIdFieldNumber;
      case Field::kSpanId:
      case Field::kSpanIdString: return LogRecord::kSpanIdFieldNumber;
      case Field::kFlags: return LogRecord::kFlagsFieldNumber;
      case Field::kEventName: return LogRecord::kEventNameFieldNumber;
      case Field::kDroppedAttributesCount: return LogRecord::kDroppedAttributesCountFieldNumber;
      default: return 0;
    }
  }

  static constexpr uint32_t kDirectFields =
      (1u << LogRecord::kSeverityTextFieldNumber) | (1u << LogRecord::kTraceIdFieldNumber) |
      (1u << LogRecord::kSpanIdFieldNumber) | (1u << LogRecord::kEventNameFieldNumber);
  static void SetDirect(uint32_t number, std::string_view value, LogRecord* log) {
    switch (number) {
      case LogRecord::kSeverityTextFieldNumber: log->mutable_severity_text()->assign(value); break;
      case LogRecord::kTraceIdFieldNumber: log->mutable_trace_id()->assign(value); break;
      case LogRecord::kSpanIdFieldNumber: log->mutable_span_id()->assign(value); break;
      case LogRecord::kEventNameFieldNumber: log->mutable_event_name()->assign(value); break;
      default: break;
    }
  }

  static void Point(ottl::EvalContext& ctx, const LogRecord* log) { ctx.log = log; }
};

namespace {

// Item field numbers a projection may read: bits of a uint32_t.
constexpr uint32_t kMaxFieldNumber = 31;

// What one expression tree reads. False when it reads something the projection cannot serve.
template <class Layout>
bool Plan(const Expr& e, bool* resource, bool* scope, uint32_t* item_fields) {
  if (e.kind == ExprKind::kPath) {
    if (e.path.level == Level::kResource) {
      *resource = true;
    } else if (e.path.level == Level::kScope) {
      *scope = true;
    } else if (e.path.level == Layout::kLevel) {
      const uint32_t number = Layout::FieldNumber(e.path.field);
      if (number == 0 || number > kMaxFieldNumber) return false;
      *item_fields |= 1u << number;
    } else {
      return false;
    }
  }
  for (const auto& child : e.children) {
    if (!Plan<Layout>(*child, resource, scope, item_fields)) return false;
  }
  return true;
}

// A field of a ResourceX (scope >= 0: the ScopeX at that index) or of a ScopeX.
struct Piece {
  std::string_view whole;
  std::string_view payload;  // length-delimited fields
  int scope = -1;
  bool is_item = false;
  bool is_scope = false;  // ScopeX.scope
  bool keep = true;
};

struct ScopePlan {
  std::string_view whole;
  std::string_view payload;
  size_t first = 0;  // its fields: scratch.scope_pieces[first, first + count)
  size_t count = 0;
  size_t body_size = 0;  // of the kept fields
  bool keep = true;
  bool changed = false;
};

// Reused per thread: receivers call the processor from many threads at once.
template <class Layout>
struct Scratch {
  Resource resource;
  InstrumentationScope scope;
  typename Layout::Item item;
  std::string joined;
  std::vector<std::string_view> occurrences;
  std::vector<Piece> rs_pieces;
  std::vector<Piece> scope_pieces;
  std::vector<ScopePlan> scopes;
};

template <class Layout>
Scratch<Layout>& ThreadScratch() {
  thread_local Scratch<Layout> scratch;
  return scratch;
}

// Parses the occurrences of a message field into `out`, merged as protobuf merges them.
template <class Message>
bool ParseOccurrences(const std::vector<std::string_view>& payloads, std::string* joined,
                      Message* out) {
  if (payloads.size() == 1) {
    return out->ParseFromArray(payloads[0].data(), static_cast<int>(payloads[0].size()));
  }
  joined->clear();
  for (std::string_view p : payloads) joined->append(p);
  return out->ParseFromString(*joined);
}

// Fills `*item` with only the fields in `mask`, exactly as a full decode gives them: either set
// directly (only direct fields read) or by parsing just those fields' bytes (tags included).
template <class Layout>
bool Project(std::string_view bytes, uint32_t mask, std::string* joined,
             typename Layout::Item* item) {
  if (mask == 0) {
    item->Clear();
    return true;
  }
  WireFieldReader reader(bytes);
  WireField f;
  if ((mask & ~Layout::kDirectFields) == 0) {
    constexpr uint32_t kLastDirect = std::bit_width(Layout::kDirectFields) - 1;
    std::string_view last[kLastDirect + 1];
    uint32_t seen = 0;
    while (reader.Next(&f)) {
      if (f.number > kLastDirect || ((mask >> f.number) & 1u) == 0 || !f.length_delimited) {
        continue;
      }
      last[f.number] = f.payload;
      seen |= 1u << f.number;
    }
    if (reader.failed()) return false;
    for (uint32_t n = 1; n <= kLastDirect; ++n) {
      if ((mask >> n) & 1u) {
        Layout::SetDirect(n, (seen >> n) & 1u ? last[n] : std::string_view(), item);
      }
    }
    return true;
  }
  std::string_view only;
  int found = 0;
  while (reader.Next(&f)) {
    if (f.number > kMaxFieldNumber || ((mask >> f.number) & 1u) == 0) continue;
    if (found++ == 0) {
      only = f.whole;
      continue;
    }
    if (found == 2) joined->assign(only);
    joined->append(f.whole);
  }
  if (reader.failed()) return false;
  if (found == 0) {
    item->Clear();
    return true;
  }
  if (found == 1) return item->ParseFromArray(only.data(), static_cast<int>(only.size()));
  return item->ParseFromString(*joined);
}

}  // namespace

template <class Layout>
EncodedFilter<Layout>::EncodedFilter(const SignalConditions* conditions)
    : conditions_(conditions) {
  if (conditions == nullptr) return;
  // Only these contexts may hold conditions: span events edit the spans themselves.
  for (int l = 0; l < ottl::kLevelCount; ++l) {
    const auto level = static_cast<Level>(l);
    if (level == Level::kResource || level == Level::kScope || level == Layout::kLevel) continue;
    if (!conditions->group(level).empty()) return;
  }
  for (Level level : {Level::kResource, Level::kScope, Layout::kLevel}) {
    const ConditionGroup& group = conditions->group(level);
    for (size_t i = 0; i < group.size(); ++i) {
      if (!Plan<Layout>(*group.condition(i).root, &read_resource_, &read_scope_, &item_fields_)) {
        return;
      }
    }
  }
  usable_ = true;
}

template <class Layout>
EncodedFilterResult EncodedFilter<Layout>::Run(std::string_view request, ConditionErrors* errors,
                                               std::string* out) const {
  Scratch<Layout>& s = ThreadScratch<Layout>();
  const ConditionGroup& resource_group = conditions_->group(Level::kResource);
  const ConditionGroup& scope_group = conditions_->group(Level::kScope);
  const ConditionGroup& item_group = conditions_->group(Layout::kLevel);
  EncodedFilterResult result;
  const auto malformed = [&result] {
    result.malformed = true;
    return result;
  };
  size_t copied = 0;  // request bytes before this offset are in *out (once changed)
  ottl::EvalContext ctx;

  WireFieldReader top(request);
  WireField rs;
  while (top.Next(&rs)) {
    if (rs.number != kResourceListField || !rs.length_delimited) continue;  // kept verbatim

    // The ResourceX's own fields; the resource, decoded if a condition reads it.
    s.rs_pieces.clear();
    s.scope_pieces.clear();
    s.scopes.clear();
    s.occurrences.clear();
    {
      WireFieldReader fields(rs.payload);
      WireField f;
      while (fields.Next(&f)) {
        Piece piece{f.whole, f.payload};
        if (f.number == kScopeListField && f.length_delimited) {
          piece.scope = static_cast<int>(s.scopes.size());
          s.scopes.push_back({f.whole, f.payload});
        } else if (f.number == kResourceField && f.length_delimited) {
          s.occurrences.push_back(f.payload);
        }
        s.rs_pieces.push_back(piece);
      }
      if (fields.failed()) return malformed();
    }
    // As the decoded path sets it: a resource always (the empty one when absent), no scope yet.
    ctx = {};
    ctx.resource = &Resource::default_instance();
    if (read_resource_) {
      s.resource.Clear();
      if (!s.occurrences.empty() && !ParseOccurrences(s.occurrences, &s.joined, &s.resource)) {
        return malformed();
      }
      ctx.resource = &s.resource;
    }

    // Each ScopeX's fields, in order; the items among them marked.
    for (ScopePlan& scope : s.scopes) {
      scope.first = s.scope_pieces.size();
      WireFieldReader fields(scope.payload);
      WireField f;
      while (fields.Next(&f)) {
        Piece piece{f.whole, f.payload};
        piece.is_item = f.number == kItemField && f.length_delimited;
        piece.is_scope = f.number == kScopeField && f.length_delimited;
        s.scope_pieces.push_back(piece);
      }
      if (fields.failed()) return malformed();
      scope.count = s.scope_pieces.size() - scope.first;
    }
    const auto item_count = [&s](const ScopePlan& scope) {
      int64_t n = 0;
      for (size_t i = scope.first; i < scope.first + scope.count; ++i) n += s.scope_pieces[i].is_item;
      return n;
    };

    // The decoded path's order: resource, then each scope, then each item in it.
    bool drop_resource = false;
    bool resource_changed = false;
    if (!resource_group.empty() && resource_group.Matches(ctx, errors)) {
      for (const ScopePlan& scope : s.scopes) result.filtered += item_count(scope);
      drop_resource = true;
    } else {
      if (errors->propagate) return result;
      size_t scopes_left = 0;
      for (ScopePlan& scope : s.scopes) {
        ctx.scope = &InstrumentationScope::default_instance();
        if (read_scope_) {
          s.occurrences.clear();
          for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
            if (s.scope_pieces[i].is_scope) s.occurrences.push_back(s.scope_pieces[i].payload);
          }
          s.scope.Clear();
          if (!s.occurrences.empty() && !ParseOccurrences(s.occurrences, &s.joined, &s.scope)) {
            return malformed();
          }
          ctx.scope = &s.scope;
        }
        if (!scope_group.empty() && scope_group.Matches(ctx, errors)) {
          result.filtered += item_count(scope);
          scope.keep = false;
          resource_changed = true;
          continue;
        }
        if (errors->propagate) return result;
        int64_t kept = 0;
        for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
          Piece& piece = s.scope_pieces[i];
          if (!piece.is_item) {
            scope.body_size += piece.whole.size();
            continue;
          }
          if (!item_group.empty()) {
            if (!Project<Layout>(piece.payload, item_fields_, &s.joined, &s.item)) {
              return malformed();
            }
            Layout::Point(ctx, &s.item);
            if (item_group.Matches(ctx, errors)) {
              ++result.filtered;
              piece.keep = false;
              scope.changed = true;
              continue;
            }
            if (errors->propagate) return result;
          }
          scope.body_size += piece.whole.size();
          ++kept;
        }
        if (kept == 0) {
          scope.keep = false;
          resource_changed = true;
        } else {
          ++scopes_left;
          resource_changed |= scope.changed;
        }
      }
      drop_resource = scopes_left == 0;
    }
    if (!drop_resource && !resource_changed) {
      ++result.resources_left;
      continue;
    }

    // Rewrite this ResourceX (or leave it out) after the unchanged bytes before it.
    if (!result.changed) {
      out->clear();
      out->reserve(request.size());
      result.changed = true;
    }
    const size_t rs_start = static_cast<size_t>(rs.whole.data() - request.data());
    out->append(request.substr(copied, rs_start - copied));
    copied = rs_start + rs.whole.size();
    if (drop_resource) continue;
    ++result.resources_left;
    size_t body = 0;
    for (const Piece& piece : s.rs_pieces) {
      if (piece.scope < 0) {
        body += piece.whole.size();
        continue;
      }
      const ScopePlan& scope = s.scopes[static_cast<size_t>(piece.scope)];
      if (!scope.keep) continue;
      body += scope.changed ? LengthDelimitedSize(kScopeListField, scope.body_size)
                            : scope.whole.size();
    }
    AppendLengthDelimitedHeader(kResourceListField, body, out);
    for (const Piece& piece : s.rs_pieces) {
      if (piece.scope < 0) {
        out->append(piece.whole);
        continue;
      }
      const ScopePlan& scope = s.scopes[static_cast<size_t>(piece.scope)];
      if (!scope.keep) continue;
      if (!scope.changed) {
        out->append(scope.whole);
        continue;
      }
      AppendLengthDelimitedHeader(kScopeListField, scope.body_size, out);
      for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
        if (s.scope_pieces[i].keep) out->append(s.scope_pieces[i].whole);
      }
    }
  }
  if (top.failed()) return malformed();
  if (result.changed) out->append(request.substr(copied));
  return result;
}

template class EncodedFilter<TracesLayout>;
template class EncodedFilter<LogsLayout>;

}  // namespace otlpd::processor::filter
