// What the fault-injection tests share: the otlpd config they run (a reference-like traces
// pipeline with short timeouts so every fault plays out in seconds), a self-metrics reader, a
// fresh storage directory, and whether this build has the persistent queue yet.
//
//   PipelineOptions p{.backend_url = backend.Url(), .queue_size = 5};
//   OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
//   ASSERT_TRUE(otlpd.Start()) << otlpd.Output();
//   EXPECT_GE(MetricValue(otlpd.MetricsUrl(), "otelcol_exporter_queue_size{...}"), 0);
#pragma once

#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>

#include "tests/support/subprocess.h"

namespace otlpd::testing {

struct PipelineOptions {
  std::string backend_url{};
  bool grpc = true;
  bool http = true;
  std::string read_header_timeout{};  // "" keeps the receiver's default (10s)
  // Processors, in the reference's order; the filter never matches the load client's spans.
  bool memory_limiter = true;
  bool batch = false;
  std::string batch_timeout = "200ms";
  int send_batch_size = 200;
  // Exporter (otlp_http), with retries that never give up: a fault must delay data, not drop it.
  std::string compression = "gzip";
  std::string exporter_timeout = "1s";
  int queue_size = 100;
  int num_consumers = 2;
  std::string retry_initial = "50ms";
  std::string retry_max = "200ms";
  // Persistent queue: file_storage in `storage_dir` when non-empty.
  std::string storage_dir{};
  std::string fsync = "batch";
  int max_size_mib = 0;  // 0: the extension's default
  // OAuth2 on the exporter when non-empty.
  std::string token_url{};
  std::string client_secret{};
};

inline std::string PipelineYaml(const PipelineOptions& p) {
  std::ostringstream y;
  const bool oauth = !p.token_url.empty();
  const bool storage = !p.storage_dir.empty();
  if (oauth || storage) y << "extensions:\n";
  if (oauth) {
    y << "  oauth2client:\n"
      << "    client_id: faults\n"
      << "    client_secret: " << p.client_secret << "\n"
      << "    token_url: " << p.token_url << "\n"
      << "    timeout: 1s\n";
  }
  if (storage) {
    y << "  file_storage:\n"
      << "    directory: " << p.storage_dir << "\n"
      << "    fsync: " << p.fsync << "\n";
    if (p.max_size_mib > 0) y << "    max_size_mib: " << p.max_size_mib << "\n";
  }
  y << "receivers:\n  otlp:\n    protocols:\n";
  if (p.grpc) y << "      grpc:\n        endpoint: 127.0.0.1:0\n";
  if (p.http) {
    y << "      http:\n        endpoint: 127.0.0.1:0\n";
    if (!p.read_header_timeout.empty()) {
      y << "        read_header_timeout: " << p.read_header_timeout << "\n";
    }
  }
  std::string processors;
  y << "processors:\n";
  y << "  filter/noisy:\n    error_mode: ignore\n    traces:\n      span:\n"
    << "        - 'IsMatch(name, \".*(/api)?/health.*\")'\n";
  y << "  resource:\n    attributes:\n"
    << "      - {key: deployment.environment, value: faults, action: upsert}\n";
  if (p.memory_limiter) {
    y << "  memory_limiter:\n    limit_mib: 512\n    check_interval: 1s\n";
    processors += "memory_limiter, ";
  }
  processors += "filter/noisy, resource";
  if (p.batch) {
    y << "  batch:\n    timeout: " << p.batch_timeout
      << "\n    send_batch_size: " << p.send_batch_size << "\n";
    processors += ", batch";
  }
  y << "exporters:\n  otlp_http/backend:\n"
    << "    endpoint: " << p.backend_url << "\n"
    << "    compression: " << p.compression << "\n"
    << "    timeout: " << p.exporter_timeout << "\n"
    << "    retry_on_failure:\n"
    << "      initial_interval: " << p.retry_initial << "\n"
    << "      max_interval: " << p.retry_max << "\n"
    << "      max_elapsed_time: 0s\n"
    << "    sending_queue:\n"
    << "      num_consumers: " << p.num_consumers << "\n"
    << "      queue_size: " << p.queue_size << "\n";
  if (storage) y << "      storage: file_storage\n";
  if (p.backend_url.rfind("https://", 0) == 0) y << "    tls:\n      insecure_skip_verify: true\n";
  if (oauth) y << "    auth:\n      authenticator: oauth2client\n";
  y << "service:\n";
  if (oauth || storage) {
    y << "  extensions: [" << (oauth ? "oauth2client" : "")
      << (oauth && storage ? ", " : "") << (storage ? "file_storage" : "") << "]\n";
  }
  y << "  telemetry:\n    metrics:\n      address: 127.0.0.1:0\n"
    << "  pipelines:\n    traces:\n      receivers: [otlp]\n"
    << "      processors: [" << processors << "]\n"
    << "      exporters: [otlp_http/backend]\n";
  return y.str();
}

// One sample of otlpd's Prometheus text at `metrics_url`, e.g.
// `otelcol_exporter_queue_size{exporter="otlp_http/backend",data_type="traces"}`; -1 when absent.
inline double MetricValue(const std::string& metrics_url, const std::string& series) {
  std::string text;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, metrics_url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION,
                   +[](char* data, size_t size, size_t n, void* out) {
                     static_cast<std::string*>(out)->append(data, size * n);
                     return size * n;
                   });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &text);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return -1;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

// A fresh, empty directory removed with this object: the persistent queue's storage.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("otlpd-faults-storage-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// True when this build of otlpd knows the component type `type` (`otlpd components`): the
// persistent-queue tests skip, saying why, in a build without file_storage.
inline bool OtlpdHasComponent(const std::string& type) {
  Subprocess components({OtlpdBinary(), "components"});
  components.WaitForExit(std::chrono::seconds(10));
  const std::string out = components.Stdout() + components.Stderr();
  return out.find(type) != std::string::npos;
}

}  // namespace otlpd::testing
