#include "pipeline/encoded_split.h"

#include <string_view>
#include <utility>

#include "pipeline/wire_fields.h"

namespace otlpd {
namespace {

namespace metrics = opentelemetry::proto::metrics::v1;

// The three levels of every signal have the same shape on the wire: the request lists resources
// in field 1; a ResourceX lists scopes in field 2 beside its header (resource, schema_url); a
// ScopeX lists its items (spans, metrics, log records) in field 2 beside its header.
constexpr int kResourcesField = 1;
constexpr int kChildrenField = 2;
// Metric's `data` oneof (gauge, sum, histogram, exponential_histogram, summary); each of those
// messages lists its points in field 1.
constexpr int kPointsField = 1;

bool IsMetricData(int number) {
  return number == metrics::Metric::kGaugeFieldNumber ||
         number == metrics::Metric::kSumFieldNumber ||
         number == metrics::Metric::kHistogramFieldNumber ||
         number == metrics::Metric::kExponentialHistogramFieldNumber ||
         number == metrics::Metric::kSummaryFieldNumber;
}

// A field the decoder reads as an element of the message-typed list `number` (a wrong wire type
// makes it an unknown field, which travels like a header field).
bool IsListElement(const WireField& f, int number) {
  return f.length_delimited && f.number == static_cast<uint32_t>(number);
}

void AppendDelimited(std::string& out, int number, std::string_view payload) {
  AppendLengthDelimitedHeader(static_cast<uint32_t>(number), payload.size(), &out);
  out.append(payload);
}

int64_t CountListElements(std::string_view message, int number) {
  int64_t n = 0;
  WireFieldReader reader(message);
  WireField f;
  while (reader.Next(&f)) n += IsListElement(f, number) ? 1 : 0;
  return n;
}

// Data points of one metric as the decoder sees them: the oneof member set last wins (setting
// another member clears the points read so far), and repeated occurrences of the same member
// merge (their points add up).
int64_t MetricPoints(std::string_view metric) {
  uint32_t active = 0;
  int64_t points = 0;
  WireFieldReader reader(metric);
  WireField f;
  while (reader.Next(&f)) {
    if (!f.length_delimited || !IsMetricData(static_cast<int>(f.number))) continue;
    if (f.number != active) {
      active = f.number;
      points = 0;
    }
    points += CountListElements(f.payload, kPointsField);
  }
  return points;
}

// `data` keeps its first `n` points; `rest`, a copy of `data`, keeps the others.
template <class Data>
void KeepFirstPoints(Data& data, Data& rest, int n) {
  auto& points = *data.mutable_data_points();
  rest.mutable_data_points()->DeleteSubrange(0, n);
  points.DeleteSubrange(n, points.size() - n);
}

// Cuts one metric after `n` of its points, as SplitRequest does on objects (everything but the
// points is in both halves). Only this one metric is decoded: a split decodes at most one.
void CutMetric(std::string_view bytes, int64_t n, std::string& head, std::string& rest) {
  metrics::Metric first;
  if (!first.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    ReportUndecodableEncodedBatch(metrics::Metric::descriptor()->full_name(), bytes.size());
  }
  metrics::Metric second = first;
  const int cut = static_cast<int>(n);
  switch (first.data_case()) {
    case metrics::Metric::kGauge:
      KeepFirstPoints(*first.mutable_gauge(), *second.mutable_gauge(), cut);
      break;
    case metrics::Metric::kSum:
      KeepFirstPoints(*first.mutable_sum(), *second.mutable_sum(), cut);
      break;
    case metrics::Metric::kHistogram:
      KeepFirstPoints(*first.mutable_histogram(), *second.mutable_histogram(), cut);
      break;
    case metrics::Metric::kExponentialHistogram:
      KeepFirstPoints(*first.mutable_exponential_histogram(),
                      *second.mutable_exponential_histogram(), cut);
      break;
    case metrics::Metric::kSummary:
      KeepFirstPoints(*first.mutable_summary(), *second.mutable_summary(), cut);
      break;
    case metrics::Metric::DATA_NOT_SET:
      break;  // no points, so a cut cannot fall inside it
  }
  first.SerializeToString(&head);
  second.SerializeToString(&rest);
}

// Per-signal knowledge: how many items one ScopeX's item element holds, and how to cut one.
// Spans and log records are one item each, so a cut never falls inside them.
template <class Request>
struct Leaf {
  static int64_t Items(std::string_view) { return 1; }
  static void Cut(std::string_view, int64_t, std::string&, std::string&) {}
};

template <>
struct Leaf<MetricsRequest> {
  static int64_t Items(std::string_view metric) { return MetricPoints(metric); }
  static void Cut(std::string_view metric, int64_t n, std::string& head, std::string& rest) {
    CutMetric(metric, n, head, rest);
  }
};

template <class Request>
int64_t ScopeItems(std::string_view scope) {
  int64_t n = 0;
  WireFieldReader reader(scope);
  WireField f;
  while (reader.Next(&f)) {
    if (IsListElement(f, kChildrenField)) n += Leaf<Request>::Items(f.payload);
  }
  return n;
}

template <class Request>
int64_t ResourceItems(std::string_view resource) {
  int64_t n = 0;
  WireFieldReader reader(resource);
  WireField f;
  while (reader.Next(&f)) {
    if (IsListElement(f, kChildrenField)) n += ScopeItems<Request>(f.payload);
  }
  return n;
}

template <class Request>
void CutScope(std::string_view scope, int64_t budget, std::string& head, std::string& rest);

// Cuts a ResourceX or ScopeX (`container`, holding more than `budget` items) after `budget`
// items: header fields go to both halves, children to the head while they fit whole, then the
// first child that does not fit is cut by `cut_child`, and the remaining children stay in the
// rest. Children without items are taken while the budget is not spent (SplitRequest's rule).
template <class CountFn, class CutFn>
void CutContainer(std::string_view container, int64_t budget, CountFn count, CutFn cut_child,
                  std::string& head, std::string& rest) {
  WireFieldReader reader(container);
  WireField f;
  while (reader.Next(&f)) {
    if (!IsListElement(f, kChildrenField)) {
      head.append(f.whole);
      rest.append(f.whole);
      continue;
    }
    if (budget == 0) {
      rest.append(f.whole);
      continue;
    }
    const int64_t c = count(f.payload);
    if (c <= budget) {
      head.append(f.whole);
      budget -= c;
      continue;
    }
    std::string head_child;
    std::string rest_child;
    cut_child(f.payload, budget, head_child, rest_child);
    AppendDelimited(head, kChildrenField, head_child);
    AppendDelimited(rest, kChildrenField, rest_child);
    budget = 0;
  }
}

template <class Request>
void CutScope(std::string_view scope, int64_t budget, std::string& head, std::string& rest) {
  CutContainer(scope, budget, Leaf<Request>::Items, Leaf<Request>::Cut, head, rest);
}

template <class Request>
void CutResource(std::string_view resource, int64_t budget, std::string& head,
                 std::string& rest) {
  CutContainer(resource, budget, ScopeItems<Request>, CutScope<Request>, head, rest);
}

}  // namespace

template <class Request>
std::string SplitEncoded(std::string& bytes, int64_t& items, int64_t n) {
  if (n <= 0) return {};
  if (n >= items) {
    std::string all = std::move(bytes);
    bytes.clear();
    items = 0;
    return all;
  }
  // The cut falls strictly inside the request. Resources before it are copied whole, the one it
  // falls into is cut, the ones after it are copied whole into the rest; only the resources up
  // to the cut are walked to count their items.
  std::string head;
  std::string rest;
  int64_t budget = n;
  WireFieldReader reader(bytes);
  WireField f;
  while (reader.Next(&f)) {
    if (!IsListElement(f, kResourcesField) || budget == 0) {
      rest.append(f.whole);  // unknown request fields stay with the request, as on objects
      continue;
    }
    const int64_t c = ResourceItems<Request>(f.payload);
    if (c <= budget) {
      head.append(f.whole);
      budget -= c;
      continue;
    }
    std::string head_resource;
    std::string rest_resource;
    CutResource<Request>(f.payload, budget, head_resource, rest_resource);
    AppendDelimited(head, kResourcesField, head_resource);
    AppendDelimited(rest, kResourcesField, rest_resource);
    budget = 0;
  }
  bytes = std::move(rest);
  items -= n;
  return head;
}

template std::string SplitEncoded<TraceRequest>(std::string&, int64_t&, int64_t);
template std::string SplitEncoded<MetricsRequest>(std::string&, int64_t&, int64_t);
template std::string SplitEncoded<LogsRequest>(std::string&, int64_t&, int64_t);

}  // namespace otlpd
