// Differential libFuzzer target for the wire scan (pipeline/otlp_wire.h): receivers hand on the
// bytes it accepts without decoding them, so it must agree with the decoder exactly. For every
// input and each of the three signals:
//   - ScanEncodedRequest accepts  <=>  ParseFromString succeeds and CheckIdLengths passes;
//   - when both accept, the scan's count equals CountItems() of the decoded request;
//   - when CheckIdLengths refuses, the scan refuses with the same message.
//
//   build-fuzz/tests/fuzz/otlp_wire_fuzzer -max_total_time=60 tests/fuzz/corpus/otlp_wire
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <google/protobuf/stubs/logging.h>

#include "pipeline/id_lengths.h"
#include "pipeline/otlp_wire.h"
#include "pipeline/telemetry.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view signal) {
  std::fprintf(stderr, "otlp_wire_fuzzer: %s (%.*s)\n", what, static_cast<int>(signal.size()),
               signal.data());
  std::abort();
}

template <class Request>
void Check(std::string_view body) {
  const std::string_view signal = Request::descriptor()->name();
  const otlpd::StatusOr<int64_t> scanned = otlpd::ScanEncodedRequest<Request>(body);
  Request request;
  if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    if (scanned.ok()) Fail("scan accepts what protobuf does not parse", signal);
    if (!otlpd::IsUnparsableProtobuf(scanned.status())) Fail("wrong refusal for bad bytes", signal);
    return;
  }
  if (const otlpd::Status ids = otlpd::CheckIdLengths(request); !ids.ok()) {
    if (scanned.ok()) Fail("scan accepts an ID of the wrong length", signal);
    if (scanned.status().message() != ids.message()) Fail("other ID-length message", signal);
    return;
  }
  if (!scanned.ok()) Fail("scan refuses a request the decoder accepts", signal);
  if (*scanned != otlpd::CountItems(request)) Fail("item counts differ", signal);
}

}  // namespace

// protobuf logs every string with invalid UTF-8 it refuses; that is most inputs here.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int,
                                     const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  Check<otlpd::TraceRequest>(body);
  Check<otlpd::MetricsRequest>(body);
  Check<otlpd::LogsRequest>(body);
  return 0;
}
