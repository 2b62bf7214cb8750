#include "processors/filter/encoded_traces_filter.h"

#include <vector>

#include "processors/common/wire_fields.h"

namespace otlpd::processor::filter {
namespace {

using ottl::Expr;
using ottl::ExprKind;
using ottl::Field;
using ottl::Level;
using opentelemetry::proto::common::v1::InstrumentationScope;
using opentelemetry::proto::resource::v1::Resource;
using opentelemetry::proto::trace::v1::Span;

// Field numbers of the trace messages (opentelemetry/proto/trace/v1/trace.proto).
constexpr uint32_t kResourceSpansField = 1;  // ExportTraceServiceRequest.resource_spans
constexpr uint32_t kResourceField = 1;       // ResourceSpans.resource
constexpr uint32_t kScopeSpansField = 2;     // ResourceSpans.scope_spans
constexpr uint32_t kScopeField = 1;          // ScopeSpans.scope
constexpr uint32_t kSpansField = 2;          // ScopeSpans.spans

// The Span field a span-context path reads; 0 when the projection does not know it.
uint32_t SpanFieldNumber(Field field) {
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

// What one expression tree reads. False when it reads something the projection cannot serve.
bool Plan(const Expr& e, bool* resource, bool* scope, uint32_t* span_fields) {
  if (e.kind == ExprKind::kPath) {
    switch (e.path.level) {
      case Level::kResource: *resource = true; break;
      case Level::kScope: *scope = true; break;
      case Level::kSpan: {
        const uint32_t number = SpanFieldNumber(e.path.field);
        if (number == 0 || number >= 32) return false;
        *span_fields |= 1u << number;
        break;
      }
      default: return false;
    }
  }
  for (const auto& child : e.children) {
    if (!Plan(*child, resource, scope, span_fields)) return false;
  }
  return true;
}

// A field of a ResourceSpans (scope >= 0: the ScopeSpans at that index) or of a ScopeSpans.
struct Piece {
  std::string_view whole;
  std::string_view payload;  // length-delimited fields
  int scope = -1;
  bool is_span = false;
  bool is_scope = false;  // ScopeSpans.scope
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
struct Scratch {
  Resource resource;
  InstrumentationScope scope;
  Span span;
  std::string joined;
  std::vector<Piece> rs_pieces;
  std::vector<Piece> scope_pieces;
  std::vector<ScopePlan> scopes;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
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

// The singular string and bytes fields of Span: for them the last occurrence is the value, so a
// projection can set them from the bytes without running the parser (the receiver checked
// their UTF-8).
constexpr uint32_t kDirectFields =
    (1u << Span::kTraceIdFieldNumber) | (1u << Span::kSpanIdFieldNumber) |
    (1u << Span::kTraceStateFieldNumber) | (1u << Span::kParentSpanIdFieldNumber) |
    (1u << Span::kNameFieldNumber);

void SetDirect(uint32_t number, std::string_view value, Span* span) {
  switch (number) {
    case Span::kTraceIdFieldNumber: span->mutable_trace_id()->assign(value); break;
    case Span::kSpanIdFieldNumber: span->mutable_span_id()->assign(value); break;
    case Span::kTraceStateFieldNumber: span->mutable_trace_state()->assign(value); break;
    case Span::kParentSpanIdFieldNumber: span->mutable_parent_span_id()->assign(value); break;
    case Span::kNameFieldNumber: span->mutable_name()->assign(value); break;
    default: break;
  }
}

// Fills `*span` with only the fields in `mask`, exactly as a full decode gives them: either set
// directly (only direct fields read) or by parsing just those fields' bytes (tags included).
bool ProjectSpan(std::string_view bytes, uint32_t mask, std::string* joined, Span* span) {
  if (mask == 0) {
    span->Clear();
    return true;
  }
  WireFieldReader reader(bytes);
  WireField f;
  if ((mask & ~kDirectFields) == 0) {
    std::string_view last[Span::kNameFieldNumber + 1];
    uint32_t seen = 0;
    while (reader.Next(&f)) {
      if (f.number >= 32 || ((mask >> f.number) & 1u) == 0 || !f.length_delimited) continue;
      last[f.number] = f.payload;
      seen |= 1u << f.number;
    }
    if (reader.failed()) return false;
    for (uint32_t n = 1; n <= Span::kNameFieldNumber; ++n) {
      if ((mask >> n) & 1u) SetDirect(n, (seen >> n) & 1u ? last[n] : std::string_view(), span);
    }
    return true;
  }
  std::string_view only;
  int found = 0;
  while (reader.Next(&f)) {
    if (f.number >= 32 || ((mask >> f.number) & 1u) == 0) continue;
    if (found++ == 0) {
      only = f.whole;
      continue;
    }
    if (found == 2) joined->assign(only);
    joined->append(f.whole);
  }
  if (reader.failed()) return false;
  if (found == 0) {
    span->Clear();
    return true;
  }
  if (found == 1) return span->ParseFromArray(only.data(), static_cast<int>(only.size()));
  return span->ParseFromString(*joined);
}

}  // namespace

EncodedTracesFilter::EncodedTracesFilter(const SignalConditions* conditions)
    : conditions_(conditions) {
  if (conditions == nullptr || !conditions->group(Level::kSpanEvent).empty()) return;
  for (Level level : {Level::kResource, Level::kScope, Level::kSpan}) {
    const ConditionGroup& group = conditions->group(level);
    for (size_t i = 0; i < group.size(); ++i) {
      if (!Plan(*group.condition(i).root, &read_resource_, &read_scope_, &span_fields_)) return;
    }
  }
  usable_ = true;
}

EncodedTracesFilter::Result EncodedTracesFilter::Run(std::string_view request,
                                                     ConditionErrors* errors,
                                                     std::string* out) const {
  Scratch& s = ThreadScratch();
  const ConditionGroup& resource_group = conditions_->group(Level::kResource);
  const ConditionGroup& scope_group = conditions_->group(Level::kScope);
  const ConditionGroup& span_group = conditions_->group(Level::kSpan);
  Result result;
  const auto malformed = [&result] {
    result.malformed = true;
    return result;
  };
  std::vector<std::string_view> occurrences;
  size_t copied = 0;  // request bytes before this offset are in *out (once changed)
  ottl::EvalContext ctx;

  WireFieldReader top(request);
  WireField rs;
  while (top.Next(&rs)) {
    if (rs.number != kResourceSpansField || !rs.length_delimited) continue;  // kept verbatim

    // The ResourceSpans' own fields; the resource, decoded if a condition reads it.
    s.rs_pieces.clear();
    s.scope_pieces.clear();
    s.scopes.clear();
    occurrences.clear();
    {
      WireFieldReader fields(rs.payload);
      WireField f;
      while (fields.Next(&f)) {
        Piece piece{f.whole, f.payload};
        if (f.number == kScopeSpansField && f.length_delimited) {
          piece.scope = static_cast<int>(s.scopes.size());
          s.scopes.push_back({f.whole, f.payload});
        } else if (f.number == kResourceField && f.length_delimited) {
          occurrences.push_back(f.payload);
        }
        s.rs_pieces.push_back(piece);
      }
      if (fields.failed()) return malformed();
    }
    ctx = {};
    ctx.resource = &Resource::default_instance();
    if (read_resource_) {
      s.resource.Clear();
      if (!occurrences.empty() && !ParseOccurrences(occurrences, &s.joined, &s.resource)) {
        return malformed();
      }
      ctx.resource = &s.resource;
    }

    // Each ScopeSpans' fields, in order; the spans among them marked.
    for (ScopePlan& scope : s.scopes) {
      scope.first = s.scope_pieces.size();
      WireFieldReader fields(scope.payload);
      WireField f;
      while (fields.Next(&f)) {
        Piece piece{f.whole, f.payload};
        piece.is_span = f.number == kSpansField && f.length_delimited;
        piece.is_scope = f.number == kScopeField && f.length_delimited;
        s.scope_pieces.push_back(piece);
      }
      if (fields.failed()) return malformed();
      scope.count = s.scope_pieces.size() - scope.first;
    }
    const auto span_count = [&s](const ScopePlan& scope) {
      int64_t n = 0;
      for (size_t i = scope.first; i < scope.first + scope.count; ++i) n += s.scope_pieces[i].is_span;
      return n;
    };

    bool drop_resource = false;
    bool resource_changed = false;
    if (!resource_group.empty() && resource_group.Matches(ctx, errors)) {
      for (const ScopePlan& scope : s.scopes) result.filtered += span_count(scope);
      drop_resource = true;
    } else {
      if (errors->propagate) return result;
      size_t scopes_left = 0;
      for (ScopePlan& scope : s.scopes) {
        ctx.scope = &InstrumentationScope::default_instance();
        if (read_scope_) {
          occurrences.clear();
          for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
            if (s.scope_pieces[i].is_scope) occurrences.push_back(s.scope_pieces[i].payload);
          }
          s.scope.Clear();
          if (!occurrences.empty() && !ParseOccurrences(occurrences, &s.joined, &s.scope)) {
            return malformed();
          }
          ctx.scope = &s.scope;
        }
        if (!scope_group.empty() && scope_group.Matches(ctx, errors)) {
          result.filtered += span_count(scope);
          scope.keep = false;
          resource_changed = true;
          continue;
        }
        if (errors->propagate) return result;
        int64_t kept = 0;
        for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
          Piece& piece = s.scope_pieces[i];
          if (!piece.is_span) {
            scope.body_size += piece.whole.size();
            continue;
          }
          if (!span_group.empty()) {
            if (!ProjectSpan(piece.payload, span_fields_, &s.joined, &s.span)) return malformed();
            ctx.span = &s.span;
            ctx.event = nullptr;
            if (span_group.Matches(ctx, errors)) {
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

    // Rewrite this ResourceSpans (or leave it out) after the unchanged bytes before it.
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
      body += scope.changed ? LengthDelimitedSize(kScopeSpansField, scope.body_size)
                            : scope.whole.size();
    }
    AppendLengthDelimitedHeader(kResourceSpansField, body, out);
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
      AppendLengthDelimitedHeader(kScopeSpansField, scope.body_size, out);
      for (size_t i = scope.first; i < scope.first + scope.count; ++i) {
        if (s.scope_pieces[i].keep) out->append(s.scope_pieces[i].whole);
      }
    }
  }
  if (top.failed()) return malformed();
  if (result.changed) out->append(request.substr(copied));
  return result;
}

}  // namespace otlpd::processor::filter
