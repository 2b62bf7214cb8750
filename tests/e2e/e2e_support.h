// Helpers for end-to-end tests: start the real otlpd on free loopback ports and learn them from
// its log, and run the official JS SDK client (tests/e2e/send.mjs).
//
//   RunningOtlpd otlpd({});                       // default config, every listener on port 0
//   ASSERT_TRUE(otlpd.ready());
//   EXPECT_EQ(SendWithSdk("traces", "grpc", otlpd.GrpcUrl(), "GET /x", "tag1"), 0);
#pragma once

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace otlpd::testing {

class RunningOtlpd {
 public:
  // Starts otlpd with `extra_args` after the free-port overrides of the default config.
  explicit RunningOtlpd(std::vector<std::string> extra_args,
                        std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {OtlpdBinary(),
                                     "--set", "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:0",
                                     "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:0",
                                     "--set", "service::telemetry::metrics::address=127.0.0.1:0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<Subprocess>(argv, env);
    ready_ = process_->WaitForOutput("started", std::chrono::seconds(20));
    grpc_port_ = FindPort("OTLP/gRPC listening on 127\\.0\\.0\\.1:([0-9]+)");
    http_port_ = FindPort("OTLP/HTTP listening on 127\\.0\\.0\\.1:([0-9]+)");
  }

  bool ready() const { return ready_ && grpc_port_ > 0 && http_port_ > 0; }
  Subprocess& process() { return *process_; }
  std::string GrpcUrl() const { return "http://127.0.0.1:" + std::to_string(grpc_port_); }
  std::string HttpUrl() const { return "http://127.0.0.1:" + std::to_string(http_port_); }

 private:
  int FindPort(const std::string& pattern) {
    std::smatch m;
    const std::string err = process_->Stderr();
    if (std::regex_search(err, m, std::regex(pattern))) return std::stoi(m[1]);
    return 0;
  }
  std::unique_ptr<Subprocess> process_;
  bool ready_ = false;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

// The folder with send.mjs and its node_modules (installed by `make test` with npm ci).
inline std::filesystem::path E2eDir() { return std::filesystem::path(SourceDir()) / "tests/e2e"; }

// Runs send.mjs and returns its exit code (0: the SDK exporter reported success).
inline int SendWithSdk(const std::string& signal, const std::string& transport,
                       const std::string& endpoint, const std::string& names,
                       const std::string& tag, std::string* output = nullptr) {
  Subprocess node({"/usr/bin/env", "node", (E2eDir() / "send.mjs").string(), "--signal", signal,
                   "--transport", transport, "--endpoint", endpoint, "--names", names, "--tag",
                   tag});
  auto code = node.WaitForExit(std::chrono::seconds(60));
  if (output) *output = node.Stdout() + node.Stderr();
  return code.value_or(-1);
}

}  // namespace otlpd::testing
