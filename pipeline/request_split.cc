#include "pipeline/request_split.h"

#include <type_traits>
#include <utility>
#include <vector>

namespace otlpd {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace resource = opentelemetry::proto::resource::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;

template <class T>
using Repeated = google::protobuf::RepeatedPtrField<T>;

// ---- Moving elements between repeated fields, by pointer ----------------------------------------

// Moves `count` elements starting at `start` of `from` to the end of `to`, preserving order.
// ExtractSubrange hands out the element pointers themselves for heap messages (it copies only
// when `from` lives on an arena, where ownership cannot be released), and AddAllocated adopts
// them, so no span or data point is copied.
template <class T>
void MoveRange(Repeated<T>& from, int start, int count, Repeated<T>& to) {
  if (count <= 0) return;
  if (start == 0 && count == from.size() && to.empty()) {
    to.Swap(&from);
    return;
  }
  std::vector<T*> moved(static_cast<size_t>(count));
  from.ExtractSubrange(start, count, moved.data());
  to.Reserve(to.size() + count);
  for (T* p : moved) to.AddAllocated(p);
}

template <class T>
void MoveFront(Repeated<T>& from, int count, Repeated<T>& to) {
  MoveRange(from, 0, count, to);
}

// Appends to `dst` a copy of `src` without its children (the list `children_of` names), so that
// a resource or scope can head both halves of a cut. The children are swapped out for the copy
// and back, which costs three pointer swaps instead of a deep copy of everything below.
template <class Msg, class ChildrenOf>
Msg* AddShellCopy(Msg& src, Repeated<Msg>& dst, ChildrenOf children_of) {
  auto& children = children_of(src);
  std::remove_reference_t<decltype(children)> parked;
  parked.Swap(&children);
  Msg* copy = dst.Add();
  copy->CopyFrom(src);
  parked.Swap(&children);
  return copy;
}

// ---- Identity of resources and scopes -----------------------------------------------------------

bool SameKeyValues(const Repeated<common::KeyValue>& a, const Repeated<common::KeyValue>& b);

bool SameAnyValue(const common::AnyValue& a, const common::AnyValue& b) {
  if (a.value_case() != b.value_case()) return false;
  switch (a.value_case()) {
    case common::AnyValue::kStringValue: return a.string_value() == b.string_value();
    case common::AnyValue::kBoolValue: return a.bool_value() == b.bool_value();
    case common::AnyValue::kIntValue: return a.int_value() == b.int_value();
    // NaN != NaN only costs a missed merge, never a wrong one.
    case common::AnyValue::kDoubleValue: return a.double_value() == b.double_value();
    case common::AnyValue::kBytesValue: return a.bytes_value() == b.bytes_value();
    case common::AnyValue::kStringValueStrindex:
      return a.string_value_strindex() == b.string_value_strindex();
    case common::AnyValue::kArrayValue: {
      const auto& x = a.array_value().values();
      const auto& y = b.array_value().values();
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); ++i) {
        if (!SameAnyValue(x[i], y[i])) return false;
      }
      return true;
    }
    case common::AnyValue::kKvlistValue:
      return SameKeyValues(a.kvlist_value().values(), b.kvlist_value().values());
    case common::AnyValue::VALUE_NOT_SET: return true;
  }
  return false;
}

// Order-sensitive on purpose: the same attributes in another order are reported as different,
// which only costs a repeated resource header, and keeps the check linear.
bool SameKeyValues(const Repeated<common::KeyValue>& a, const Repeated<common::KeyValue>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (a[i].key() != b[i].key() || a[i].key_strindex() != b[i].key_strindex() ||
        !SameAnyValue(a[i].value(), b[i].value())) {
      return false;
    }
  }
  return true;
}

bool SameStrings(const Repeated<std::string>& a, const Repeated<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

bool SameResource(const resource::Resource& a, const resource::Resource& b) {
  if (a.dropped_attributes_count() != b.dropped_attributes_count()) return false;
  if (a.entity_refs_size() != b.entity_refs_size()) return false;
  for (int i = 0; i < a.entity_refs_size(); ++i) {
    const auto& x = a.entity_refs(i);
    const auto& y = b.entity_refs(i);
    if (x.schema_url() != y.schema_url() || x.type() != y.type() ||
        !SameStrings(x.id_keys(), y.id_keys()) ||
        !SameStrings(x.description_keys(), y.description_keys())) {
      return false;
    }
  }
  return SameKeyValues(a.attributes(), b.attributes());
}

bool SameScope(const common::InstrumentationScope& a, const common::InstrumentationScope& b) {
  return a.name() == b.name() && a.version() == b.version() &&
         a.dropped_attributes_count() == b.dropped_attributes_count() &&
         SameKeyValues(a.attributes(), b.attributes());
}

// The ResourceX / ScopeX messages of every signal have the same shape: a header (resource or
// scope, schema_url) and a list of children.
template <class ResourceX>
bool SameResourceHeader(const ResourceX& a, const ResourceX& b) {
  return a.schema_url() == b.schema_url() && SameResource(a.resource(), b.resource());
}

template <class ScopeX>
bool SameScopeHeader(const ScopeX& a, const ScopeX& b) {
  return a.schema_url() == b.schema_url() && SameScope(a.scope(), b.scope());
}

// ---- Per-signal traits --------------------------------------------------------------------------
//
// Everything above the leaf list is generic. A traits struct names the lists of one signal and
// says how to count and cut the items of one scope; only metrics need more than a list move
// there, because their items (data points) sit one level further down, inside a metric.

template <class Request>
struct SignalTraits;

template <>
struct SignalTraits<TraceRequest> {
  using ResourceX = trace::ResourceSpans;
  using ScopeX = trace::ScopeSpans;
  static Repeated<ResourceX>& Resources(TraceRequest& r) { return *r.mutable_resource_spans(); }
  static Repeated<ScopeX>& Scopes(ResourceX& r) { return *r.mutable_scope_spans(); }
  static const Repeated<ScopeX>& Scopes(const ResourceX& r) { return r.scope_spans(); }
  static Repeated<trace::Span>& Children(ScopeX& s) { return *s.mutable_spans(); }
  static int64_t ScopeItems(const ScopeX& s) { return s.spans_size(); }
  static void MoveFrontItems(ScopeX& from, int64_t n, ScopeX& to) {
    MoveFront(Children(from), static_cast<int>(n), Children(to));
  }
};

template <>
struct SignalTraits<LogsRequest> {
  using ResourceX = logs::ResourceLogs;
  using ScopeX = logs::ScopeLogs;
  static Repeated<ResourceX>& Resources(LogsRequest& r) { return *r.mutable_resource_logs(); }
  static Repeated<ScopeX>& Scopes(ResourceX& r) { return *r.mutable_scope_logs(); }
  static const Repeated<ScopeX>& Scopes(const ResourceX& r) { return r.scope_logs(); }
  static Repeated<logs::LogRecord>& Children(ScopeX& s) { return *s.mutable_log_records(); }
  static int64_t ScopeItems(const ScopeX& s) { return s.log_records_size(); }
  static void MoveFrontItems(ScopeX& from, int64_t n, ScopeX& to) {
    MoveFront(Children(from), static_cast<int>(n), Children(to));
  }
};

int64_t MetricPoints(const metrics::Metric& m) {
  switch (m.data_case()) {
    case metrics::Metric::kGauge: return m.gauge().data_points_size();
    case metrics::Metric::kSum: return m.sum().data_points_size();
    case metrics::Metric::kHistogram: return m.histogram().data_points_size();
    case metrics::Metric::kExponentialHistogram:
      return m.exponential_histogram().data_points_size();
    case metrics::Metric::kSummary: return m.summary().data_points_size();
    case metrics::Metric::DATA_NOT_SET: return 0;
  }
  return 0;
}

// Cuts metric `m` in two: a copy of everything but the data points is appended to `dst` and
// receives the first `n` points of `m`. `data_of` selects the data message of m's type.
template <class DataOf>
void CutMetric(metrics::Metric& m, int64_t n, Repeated<metrics::Metric>& dst, DataOf data_of) {
  metrics::Metric* head =
      AddShellCopy(m, dst, [&](metrics::Metric& x) -> auto& { return *data_of(x).mutable_data_points(); });
  MoveFront(*data_of(m).mutable_data_points(), static_cast<int>(n),
            *data_of(*head).mutable_data_points());
}

template <>
struct SignalTraits<MetricsRequest> {
  using ResourceX = metrics::ResourceMetrics;
  using ScopeX = metrics::ScopeMetrics;
  static Repeated<ResourceX>& Resources(MetricsRequest& r) {
    return *r.mutable_resource_metrics();
  }
  static Repeated<ScopeX>& Scopes(ResourceX& r) { return *r.mutable_scope_metrics(); }
  static const Repeated<ScopeX>& Scopes(const ResourceX& r) { return r.scope_metrics(); }
  static Repeated<metrics::Metric>& Children(ScopeX& s) { return *s.mutable_metrics(); }
  static int64_t ScopeItems(const ScopeX& s) {
    int64_t n = 0;
    for (const auto& m : s.metrics()) n += MetricPoints(m);
    return n;
  }
  // Whole metrics while they fit, then the first metric that does not fit is cut in two.
  static void MoveFrontItems(ScopeX& from, int64_t n, ScopeX& to) {
    auto& list = Children(from);
    int whole = 0;
    while (whole < list.size() && n > 0) {
      const int64_t c = MetricPoints(list[whole]);
      if (c > n) break;
      n -= c;
      ++whole;
    }
    MoveFront(list, whole, Children(to));
    if (n == 0 || list.empty()) return;
    metrics::Metric& m = *list.Mutable(0);
    switch (m.data_case()) {
      case metrics::Metric::kGauge:
        CutMetric(m, n, Children(to), [](metrics::Metric& x) -> auto& { return *x.mutable_gauge(); });
        break;
      case metrics::Metric::kSum:
        CutMetric(m, n, Children(to), [](metrics::Metric& x) -> auto& { return *x.mutable_sum(); });
        break;
      case metrics::Metric::kHistogram:
        CutMetric(m, n, Children(to),
                  [](metrics::Metric& x) -> auto& { return *x.mutable_histogram(); });
        break;
      case metrics::Metric::kExponentialHistogram:
        CutMetric(m, n, Children(to),
                  [](metrics::Metric& x) -> auto& { return *x.mutable_exponential_histogram(); });
        break;
      case metrics::Metric::kSummary:
        CutMetric(m, n, Children(to),
                  [](metrics::Metric& x) -> auto& { return *x.mutable_summary(); });
        break;
      case metrics::Metric::DATA_NOT_SET:
        break;  // no points, so it cannot be the metric a cut falls into
    }
  }
};

template <class Traits>
int64_t ResourceItems(const typename Traits::ResourceX& r) {
  int64_t n = 0;
  for (const auto& s : Traits::Scopes(r)) n += Traits::ScopeItems(s);
  return n;
}

// How many leading elements of `list` fit whole into `budget` items; subtracts them from it.
// Elements without items are taken while the budget is not yet spent.
template <class T, class CountFn>
int TakeWhole(const Repeated<T>& list, int64_t& budget, CountFn count) {
  int whole = 0;
  while (whole < list.size() && budget > 0) {
    const int64_t c = count(list[whole]);
    if (c > budget) break;
    budget -= c;
    ++whole;
  }
  return whole;
}

}  // namespace

template <class Request>
int64_t AppendRequest(Request& dst, Request&& src) {
  using T = SignalTraits<Request>;
  auto& from = T::Resources(src);
  auto& to = T::Resources(dst);
  if (from.empty()) return 0;
  const int64_t items = CountItems(src);
  if (to.empty()) {
    to.Swap(&from);
    return items;
  }
  int first = 0;
  auto& last = *to.Mutable(to.size() - 1);
  auto& incoming = *from.Mutable(0);
  if (SameResourceHeader(last, incoming)) {
    auto& scopes_to = T::Scopes(last);
    auto& scopes_from = T::Scopes(incoming);
    int first_scope = 0;
    if (!scopes_to.empty() && !scopes_from.empty() &&
        SameScopeHeader(scopes_to[scopes_to.size() - 1], scopes_from[0])) {
      auto& children = T::Children(*scopes_from.Mutable(0));
      MoveFront(children, children.size(), T::Children(*scopes_to.Mutable(scopes_to.size() - 1)));
      first_scope = 1;
    }
    MoveRange(scopes_from, first_scope, scopes_from.size() - first_scope, scopes_to);
    first = 1;
  }
  MoveRange(from, first, from.size() - first, to);
  from.Clear();  // drops the emptied shell of a merged resource
  return items;
}

template <class Request>
Request SplitRequest(Request& request, int64_t n) {
  using T = SignalTraits<Request>;
  Request head;
  if (n <= 0) return head;
  if (n >= CountItems(request)) {
    T::Resources(head).Swap(&T::Resources(request));
    return head;
  }
  // From here on the cut falls strictly inside the request: every loop below stops at an element
  // holding more items than the budget left, and such an element exists.
  auto& resources = T::Resources(request);
  int64_t budget = n;
  const int whole = TakeWhole(resources, budget, ResourceItems<T>);
  MoveFront(resources, whole, T::Resources(head));
  if (budget == 0) return head;

  auto& cut_resource = *resources.Mutable(0);
  auto* head_resource = AddShellCopy(cut_resource, T::Resources(head),
                                     [](auto& r) -> auto& { return T::Scopes(r); });
  auto& scopes = T::Scopes(cut_resource);
  const int whole_scopes = TakeWhole(scopes, budget, T::ScopeItems);
  MoveFront(scopes, whole_scopes, T::Scopes(*head_resource));
  if (budget == 0) return head;

  auto& cut_scope = *scopes.Mutable(0);
  auto* head_scope = AddShellCopy(cut_scope, T::Scopes(*head_resource),
                                  [](auto& s) -> auto& { return T::Children(s); });
  T::MoveFrontItems(cut_scope, budget, *head_scope);
  return head;
}

template int64_t AppendRequest<TraceRequest>(TraceRequest&, TraceRequest&&);
template int64_t AppendRequest<MetricsRequest>(MetricsRequest&, MetricsRequest&&);
template int64_t AppendRequest<LogsRequest>(LogsRequest&, LogsRequest&&);
template TraceRequest SplitRequest<TraceRequest>(TraceRequest&, int64_t);
template MetricsRequest SplitRequest<MetricsRequest>(MetricsRequest&, int64_t);
template LogsRequest SplitRequest<LogsRequest>(LogsRequest&, int64_t);

}  // namespace otlpd
