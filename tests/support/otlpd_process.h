// OtlpdProcess: the real otlpd binary run from a test on a YAML config the test writes, with the
// ports it bound (gRPC, HTTP, self-metrics) read from its log. Unlike RunningOtlpd (the default
// config plus overrides), the test owns the whole config, and can kill the process and start it
// again on the same config and the same storage: the fault-injection suite does exactly that.
//
//   OtlpdProcess otlpd(yaml);                  // listeners in `yaml` say 127.0.0.1:0
//   ASSERT_TRUE(otlpd.Start()) << otlpd.Output();
//   ... send to otlpd.GrpcTarget() ...
//   otlpd.Kill();                              // SIGKILL: no shutdown code runs
//   ASSERT_TRUE(otlpd.Start()) << otlpd.Output();   // same config, new ports
#pragma once

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace otlpd::testing {

class OtlpdProcess {
 public:
  // `yaml` is written to a fresh file, removed with this object. `extra_args` follow
  // `--config <file>` on every start (e.g. {"--shutdown-timeout", "2s"}).
  explicit OtlpdProcess(const std::string& yaml, std::vector<std::string> extra_args = {},
                        std::map<std::string, std::string> env = {})
      : extra_args_(std::move(extra_args)), env_(std::move(env)) {
    static int counter = 0;
    config_path_ = std::filesystem::temp_directory_path() /
                   ("otlpd-faults-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++) + ".yaml");
    std::ofstream(config_path_) << yaml;
  }
  ~OtlpdProcess() {
    process_.reset();  // SIGKILLs a process still running
    std::error_code ignored;
    std::filesystem::remove(config_path_, ignored);
  }
  OtlpdProcess(const OtlpdProcess&) = delete;
  OtlpdProcess& operator=(const OtlpdProcess&) = delete;

  // Runs otlpd through `launcher` from the next Start() on: argv becomes launcher + otlpd's own
  // (e.g. a wrapper that mounts a small filesystem first and then execs otlpd, so pid() is
  // otlpd's).
  void SetLauncher(std::vector<std::string> launcher) { launcher_ = std::move(launcher); }

  // Starts otlpd (again) and waits until it logged "started"; false when it did not within
  // `timeout` or exited first. The output of an earlier run is kept in PreviousOutput().
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (process_) previous_output_ += Output();
    std::vector<std::string> argv = launcher_;
    for (const std::string& a : {OtlpdBinary(), std::string("--config"), config_path_.string()}) {
      argv.push_back(a);
    }
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    process_ = std::make_unique<Subprocess>(argv, env_);
    if (!process_->WaitForOutput("started", timeout)) return false;
    grpc_port_ = FindPort("OTLP/gRPC listening on 127\\.0\\.0\\.1:([0-9]+)");
    http_port_ = FindPort("OTLP/HTTP listening on 127\\.0\\.0\\.1:([0-9]+)");
    metrics_port_ = FindPort("serving http://127\\.0\\.0\\.1:([0-9]+)");
    return true;
  }

  // SIGKILL and reap: the process gets no chance to flush, close or fsync anything.
  void Kill() {
    process_->Signal(SIGKILL);
    process_->WaitForExit(std::chrono::seconds(10));
  }
  // SIGTERM, then the exit code (nullopt when it did not exit within `timeout`).
  std::optional<int> Terminate(std::chrono::milliseconds timeout) {
    process_->Signal(SIGTERM);
    return process_->WaitForExit(timeout);
  }
  // True while the process has not exited.
  bool Running() { return process_ && !process_->WaitForExit(std::chrono::milliseconds(0)); }

  Subprocess& process() { return *process_; }
  pid_t pid() const { return process_->pid(); }
  // "127.0.0.1:<port>" for a gRPC channel; 0-port strings when the protocol is off.
  std::string GrpcTarget() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  std::string HttpUrl() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  std::string MetricsUrl() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }
  int grpc_port() const { return grpc_port_; }
  int http_port() const { return http_port_; }

  // This run's stdout and stderr.
  std::string Output() const { return process_ ? process_->Stdout() + process_->Stderr() : ""; }
  // Every earlier run's output, then this run's.
  std::string AllOutput() const { return previous_output_ + Output(); }

  // Resident memory of the running process in KiB (from /proc), or -1.
  long RssKib() const {
    std::ifstream in("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  int FindPort(const std::string& pattern) const {
    std::smatch m;
    const std::string err = process_->Stderr();
    return std::regex_search(err, m, std::regex(pattern)) ? std::stoi(m[1]) : 0;
  }

  std::vector<std::string> launcher_;
  std::vector<std::string> extra_args_;
  std::map<std::string, std::string> env_;
  std::filesystem::path config_path_;
  std::unique_ptr<Subprocess> process_;
  std::string previous_output_;
  int grpc_port_ = 0;
  int http_port_ = 0;
  int metrics_port_ = 0;
};

}  // namespace otlpd::testing
