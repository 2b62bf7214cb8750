// The config otlpd runs when started without --config: OTLP in on the standard local ports,
// batched, printed by the debug exporter. It is what `make run` shows a new user.
#pragma once

namespace otlpd {

inline constexpr const char* kDefaultConfigYaml = R"(receivers:
  otlp:
    protocols:
      grpc:
        endpoint: localhost:4317
      http:
        endpoint: localhost:4318

processors:
  batch:

exporters:
  debug:
    verbosity: normal

service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
)";

}  // namespace otlpd
