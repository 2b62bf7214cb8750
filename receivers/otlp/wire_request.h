// WireRequest: a gRPC request message kept as its wire bytes. Its SerializationTraits copy the
// received ByteBuffer's slices into one string instead of parsing them, so a service registered
// over WireRequest gets the bytes of an OTLP export request to scan (pipeline/otlp_wire.h) and
// hand on undecoded. This is what the generated code does with protobuf types, minus the parse.
//
//   new grpc::internal::RpcMethodHandler<Service, WireRequest, Response, WireRequest,
//                                        grpc::protobuf::MessageLite>(handler, service)
//   // handler(service, ctx, const WireRequest* request, Response*): request->bytes
#pragma once

#include <string>
#include <vector>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/impl/codegen/serialization_traits.h>
#include <grpcpp/support/slice.h>
#include <grpcpp/support/status.h>

namespace otlpd::receiver::otlp {

struct WireRequest {
  std::string bytes;
};

}  // namespace otlpd::receiver::otlp

template <>
class grpc::SerializationTraits<otlpd::receiver::otlp::WireRequest, void> {
 public:
  // Takes the received message (gRPC has already undone its own compression) and releases the
  // buffer, as protobuf's traits do. Fails only without a payload, with protobuf's words.
  static grpc::Status Deserialize(grpc::ByteBuffer* buffer,
                                  otlpd::receiver::otlp::WireRequest* out) {
    if (buffer == nullptr || !buffer->Valid()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "No payload");
    }
    std::vector<grpc::Slice> slices;
    grpc::Status s = buffer->Dump(&slices);
    buffer->Clear();
    if (!s.ok()) return s;
    size_t size = 0;
    for (const grpc::Slice& slice : slices) size += slice.size();
    out->bytes.clear();
    out->bytes.reserve(size);
    for (const grpc::Slice& slice : slices) {
      out->bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    return grpc::Status::OK;
  }

  // Only for completeness (a server never sends a request): the bytes as one slice.
  static grpc::Status Serialize(const otlpd::receiver::otlp::WireRequest& request,
                                grpc::ByteBuffer* buffer, bool* own_buffer) {
    grpc::Slice slice(request.bytes);
    *buffer = grpc::ByteBuffer(&slice, 1);
    *own_buffer = true;
    return grpc::Status::OK;
  }
};
