// Merging and splitting encoded OTLP export requests (protobuf wire bytes) at item boundaries,
// without decoding them: the batch processor and exporter-side batching build requests of a
// target size this way when the receivers handed over encoded batches.
//
// Merging is concatenation: the only field of an Export*ServiceRequest is the repeated list of
// resources, so two serialised requests back to back are one valid request holding both. Unlike
// AppendRequest (pipeline/request_split.h), an identical resource at the seam is NOT merged into
// one; the Go collector's batch processor does not merge either, and a backend sees the same
// items under the same resource and scope attributes.
//
// Splitting cuts the bytes exactly where SplitRequest cuts the objects: decoded, both halves
// equal what SplitRequest returns and leaves behind (resource and scope headers are repeated on
// both sides of a cut; a metric cut in two keeps everything but the other half's points).
//
//   std::string bytes = batch.TakeEncoded();  int64_t items = ...;
//   std::string head = SplitEncoded<TraceRequest>(bytes, items, 8192);  // first 8192 spans
//   // `bytes` and `items` now describe the rest.
//   int64_t n = AppendBatchKeepingBytes(pending, std::move(incoming));
//   TracesBatch first = SplitBatchKeepingBytes(pending, 8192);
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/request_split.h"
#include "pipeline/telemetry.h"

namespace otlpd {

// Takes the first `n` items of the encoded request `bytes` (holding `items` items, as counted by
// ScanEncodedRequest or CountItems) and returns them as encoded bytes; `bytes` and `items` keep
// the rest. n >= items moves everything (and leaves `bytes` empty, `items` 0); n <= 0 returns
// an empty string. The bytes must be as well-formed as ScanEncodedRequest demands.
template <class Request>
std::string SplitEncoded(std::string& bytes, int64_t& items, int64_t n);

// AppendBatch that keeps the wire form: when either batch is encoded, `dst` becomes the
// concatenation of both encodings (the decoded one is serialised once) and no object is built;
// when both are decoded it is AppendBatch on the objects (JSON input keeps its merge). Keeps the
// metadata of `dst`. Returns the number of items appended.
template <class Request>
int64_t AppendBatchKeepingBytes(Batch<Request>& dst, Batch<Request>&& src) {
  if (!dst.is_encoded() && !src.is_encoded()) return AppendBatch(dst, std::move(src));
  const int64_t added = src.ItemCount();
  const int64_t items = dst.ItemCount() + added;
  std::string merged;
  if (dst.is_encoded()) {
    merged = dst.TakeEncoded();
  } else {
    dst.Serialized(&merged);
  }
  std::string scratch;
  merged.append(src.Serialized(&scratch));
  dst.set_encoded(std::move(merged), items);
  return added;
}

// SplitBatch that keeps the wire form: an encoded batch is cut with SplitEncoded, a decoded one
// with SplitRequest. The head shares the metadata of `batch`.
template <class Request>
Batch<Request> SplitBatchKeepingBytes(Batch<Request>& batch, int64_t n) {
  if (!batch.is_encoded()) return SplitBatch(batch, n);
  int64_t items = batch.ItemCount();
  const int64_t before = items;
  std::string rest = batch.TakeEncoded();
  std::string head_bytes = SplitEncoded<Request>(rest, items, n);
  batch.set_encoded(std::move(rest), items);
  Batch<Request> head = Batch<Request>::FromEncoded(std::move(head_bytes), before - items);
  head.set_metadata(batch.shared_metadata());
  return head;
}

// Explicitly instantiated in encoded_split.cc for the three request types.
extern template std::string SplitEncoded<TraceRequest>(std::string&, int64_t&, int64_t);
extern template std::string SplitEncoded<MetricsRequest>(std::string&, int64_t&, int64_t);
extern template std::string SplitEncoded<LogsRequest>(std::string&, int64_t&, int64_t);

}  // namespace otlpd
