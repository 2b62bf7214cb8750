// Test tools shared by the exporter tests (helper, otlp_http, otlp_grpc):
//
//   ObservedClock  a FakeClock that also reports every WaitUntil it serves (how many, until
//                  when), so a test can wait for a worker to park in its retry backoff and read
//                  the length of that wait, on the fake clock, without sleeping;
//   FakeHost       a Host with a fixed set of extensions;
//   FakeAuthenticator  a ClientAuthenticator handing out "Bearer token-<n>", n growing with
//                  every Invalidate();
//   LogCapture     a logger whose lines a test can read back;
//   DecodeYaml     YAML text -> a component config through its factory, with the errors.
//
//   ObservedClock clock;
//   exporter->Consume(MakeTraces(3));
//   ASSERT_TRUE(clock.WaitForEntries(1, 5s));   // the worker waits before its first retry
//   EXPECT_EQ(clock.LastWait(), 2s);
//   clock.Advance(clock.LastWait());
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/errors.h"
#include "config/loader.h"
#include "config/map_reader.h"
#include "pipeline/client_auth.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "tests/support/fake_clock.h"

namespace otlpd::testing {

class ObservedClock final : public Clock {
 public:
  TimePoint Now() const override { return fake_.Now(); }
  std::chrono::system_clock::time_point WallNow() const override { return fake_.WallNow(); }

  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline, const std::function<bool()>& done) override {
    {
      std::lock_guard l(mu_);
      ++entries_;
      waits_.push_back(deadline == TimePoint::max() ? Duration::max() : deadline - fake_.Now());
    }
    observed_.notify_all();
    return fake_.WaitUntil(cv, lock, deadline, done);
  }

  void Advance(Duration d) { fake_.Advance(d); }

  // True once WaitUntil has been entered at least `n` times in all (real-time `timeout`).
  bool WaitForEntries(int64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock l(mu_);
    return observed_.wait_for(l, timeout, [&] { return entries_ >= n; });
  }
  int64_t Entries() const {
    std::lock_guard l(mu_);
    return entries_;
  }
  // Length of the most recent wait (deadline minus fake now at entry).
  Duration LastWait() const {
    std::lock_guard l(mu_);
    return waits_.empty() ? Duration::zero() : waits_.back();
  }
  std::vector<Duration> Waits() const {
    std::lock_guard l(mu_);
    return waits_;
  }

 private:
  FakeClock fake_;
  mutable std::mutex mu_;
  std::condition_variable observed_;
  int64_t entries_ = 0;
  std::vector<Duration> waits_;
};

class FakeHost final : public Host {
 public:
  Extension* GetExtension(const ComponentId& id) const override {
    auto it = extensions.find(id);
    return it == extensions.end() ? nullptr : it->second;
  }
  std::map<ComponentId, Extension*> extensions;
};

class FakeAuthenticator final : public Extension, public ClientAuthenticator {
 public:
  StatusOr<AuthHeaders> GetRequestHeaders(Deadline) override {
    std::lock_guard l(mu_);
    ++fetches_;
    if (!fail_.ok()) return fail_;
    return AuthHeaders{{"authorization", "Bearer token-" + std::to_string(generation_)}};
  }
  void Invalidate() override {
    std::lock_guard l(mu_);
    ++generation_;
    ++invalidations_;
  }
  bool AllowsInsecureTransport() const override { return allow_insecure; }

  void FailWith(Status s) {
    std::lock_guard l(mu_);
    fail_ = std::move(s);
  }
  int invalidations() const {
    std::lock_guard l(mu_);
    return invalidations_;
  }
  int fetches() const {
    std::lock_guard l(mu_);
    return fetches_;
  }

  bool allow_insecure = true;

 private:
  mutable std::mutex mu_;
  int generation_ = 1;
  int invalidations_ = 0;
  int fetches_ = 0;
  Status fail_;
};

// A logger whose lines a test can read back (level and message: "error exporter ...").
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<LineSink>()),
        logger_(std::make_shared<spdlog::logger>("test", sink_)) {
    sink_->set_pattern("%l %v");
    logger_->set_level(spdlog::level::debug);
  }
  std::shared_ptr<spdlog::logger> logger() const { return logger_; }
  std::vector<std::string> Lines() const { return sink_->Lines(); }
  // Lines containing `needle`.
  std::vector<std::string> Matching(const std::string& needle) const {
    std::vector<std::string> out;
    for (const std::string& l : Lines()) {
      if (l.find(needle) != std::string::npos) out.push_back(l);
    }
    return out;
  }

 private:
  class LineSink final : public spdlog::sinks::base_sink<std::mutex> {
   public:
    std::vector<std::string> Lines() {
      std::lock_guard l(mutex_);
      return lines_;
    }

   protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
      spdlog::memory_buf_t buf;
      formatter_->format(msg, buf);
      std::string line(buf.data(), buf.size());
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      lines_.push_back(std::move(line));
    }
    void flush_() override {}

   private:
    std::vector<std::string> lines_;
  };

  std::shared_ptr<LineSink> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

// Decodes the map at `exporters::<id>` of `yaml` with `factory`; errors land in `errors`.
inline std::unique_ptr<ComponentConfig> DecodeYaml(const Factory& factory, const std::string& yaml,
                                                   const std::string& id, config::Errors& errors,
                                                   std::map<std::string, std::string> env = {}) {
  config::LoadResult loaded = config::LoadString(
      yaml, "c.yaml",
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      errors);
  std::unique_ptr<ComponentConfig> cfg = factory.CreateDefaultConfig();
  const config::Node* exporters = loaded.root.Find("exporters");
  const config::Node* node = exporters != nullptr ? exporters->Find(id) : nullptr;
  static const config::Node kNull;
  config::MapReader reader(node != nullptr ? *node : kNull, "exporters::" + id, errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  return cfg;
}

}  // namespace otlpd::testing
