// Merging and splitting OTLP export requests at item boundaries, for every signal: the batch
// processor and exporter-side batching use these to build requests of a target size.
//
// Items are spans, metric data points and log records (the units of Batch::ItemCount()).
// Nothing is copied item by item: whole ResourceX / ScopeX / item messages change owner by
// pointer, and only the small resource and scope headers are duplicated when one of them has to
// appear on both sides of a cut.
//
//   TraceRequest pending;
//   int64_t n = AppendRequest(pending, std::move(incoming));   // returns the items appended
//   TraceRequest head = SplitRequest(pending, 8192);           // exactly 8192 spans (or all)
//   // `pending` keeps the rest, with their resources and scopes.
#pragma once

#include <cstdint>

#include "pipeline/telemetry.h"

namespace otlpd {

// Moves every resource of `src` to the end of `dst`; `src` is left empty. When the first resource
// of `src` is identical to the last one of `dst` (attributes in the same order, dropped count,
// entity refs, schema URL), its scopes go into that resource instead of repeating it; the same
// holds one level down for an identical scope (name, version, attributes, dropped count, schema
// URL). Only the last resource and scope are compared: the check stays O(attributes) per call,
// and requests from one client usually repeat the same resource back to back. Returns the number
// of items moved.
template <class Request>
int64_t AppendRequest(Request& dst, Request&& src);

// Takes the first `n` items of `request` (in order) and returns them as a new request; `request`
// keeps the rest. Each item keeps its resource and scope: a resource or scope cut in two appears
// in both halves. A metric cut in two keeps its name, description, unit, metadata, type,
// temporality and monotonicity in both halves. Containers without items that come before the
// cut travel with the head. When `n` >= the item count, everything moves to the result and
// `request` is left empty; otherwise `request` keeps exactly CountItems(request) - n items.
template <class Request>
Request SplitRequest(Request& request, int64_t n);

// The same on batches. Append keeps the metadata of `dst`; the head of a split shares the
// metadata of the batch it came from.
template <class Request>
int64_t AppendBatch(Batch<Request>& dst, Batch<Request>&& src) {
  return AppendRequest(dst.mutable_request(), std::move(src.mutable_request()));
}

template <class Request>
Batch<Request> SplitBatch(Batch<Request>& batch, int64_t n) {
  Batch<Request> head(SplitRequest(batch.mutable_request(), n));
  head.set_metadata(batch.shared_metadata());
  return head;
}

// Explicitly instantiated in request_split.cc for the three request types.
extern template int64_t AppendRequest<TraceRequest>(TraceRequest&, TraceRequest&&);
extern template int64_t AppendRequest<MetricsRequest>(MetricsRequest&, MetricsRequest&&);
extern template int64_t AppendRequest<LogsRequest>(LogsRequest&, LogsRequest&&);
extern template TraceRequest SplitRequest<TraceRequest>(TraceRequest&, int64_t);
extern template MetricsRequest SplitRequest<MetricsRequest>(MetricsRequest&, int64_t);
extern template LogsRequest SplitRequest<LogsRequest>(LogsRequest&, int64_t);

}  // namespace otlpd
