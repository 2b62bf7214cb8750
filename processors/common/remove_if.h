// RemoveIf for protobuf repeated message fields: drops the elements a predicate selects, in one
// pass and without copying the kept ones (they are swapped into place), keeping their order.
// The predicate gets a mutable reference so that it can filter nested lists on the way (a span's
// events, a metric's points) before deciding about the element itself.
//
//   int dropped = RemoveIf(scope_spans.mutable_spans(), [&](Span& span) {
//     return span.name() == "GET /health";
//   });
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

namespace otlpd::processor {

// Returns how many elements were removed.
template <class T, class Pred>
int RemoveIf(google::protobuf::RepeatedPtrField<T>* field, Pred&& remove) {
  const int n = field->size();
  int kept = 0;
  for (int i = 0; i < n; ++i) {
    if (remove(*field->Mutable(i))) continue;
    if (kept != i) field->SwapElements(kept, i);
    ++kept;
  }
  if (kept < n) field->DeleteSubrange(kept, n - kept);
  return n - kept;
}

}  // namespace otlpd::processor
