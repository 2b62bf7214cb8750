#include "processors/memory_limiter/memory_limiter.h"

#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <cstring>
#include <sstream>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/logging.h"
#include "processors/memory_limiter/factory.h"
#include "processors/memory_limiter/memory_limiter_processor.h"
#include "processors/memory_limiter/memory_usage.h"
#include "tests/support/fake_clock.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::memory_limiter {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::FakeClock;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeTraces;
using otlpd::testing::SinkConsumer;

constexpr uint64_t kMiB = 1024 * 1024;

class NullHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

// Soft limit 80 MiB (limit 100, spike 20), checked every second of fake time.
class MemoryLimiterTest : public ::testing::Test {
 protected:
  MemoryLimiterTest() {
    logger_ = std::make_shared<spdlog::logger>(
        "processor/memory_limiter", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    LimiterSettings settings;
    settings.limits = {100 * kMiB, 20 * kMiB};
    settings.check_interval = std::chrono::seconds(1);
    limiter_ = std::make_shared<MemoryLimiter>(
        settings, [this]() -> StatusOr<uint64_t> {
          if (fail_reads_) return UnavailableError("no /proc here");
          return usage_.load();
        },
        clock_, logger_);
  }

  // Advances fake time one interval at a time until the sampler has made `n` checks. The
  // sampler may not be parked on the clock yet when time moves, so keep moving it.
  bool AdvanceUntilChecks(uint64_t n) {
    for (int i = 0; i < 500; ++i) {
      if (limiter_->WaitForChecksForTest(n, std::chrono::milliseconds(10))) return true;
      clock_.Advance(std::chrono::seconds(1));
    }
    return false;
  }

  std::string Log() {
    logger_->flush();
    return log_.str();
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_;
  FakeClock clock_;
  std::atomic<uint64_t> usage_{10 * kMiB};
  std::atomic<bool> fail_reads_{false};
  std::shared_ptr<MemoryLimiter> limiter_;
  NullHost host_;
  Counter refused_;
  SinkConsumer<TracesBatch> sink_;
};

TEST_F(MemoryLimiterTest, RefusesAboveTheSoftLimitAndRecovers) {
  MemoryLimiterProcessor<TracesBatch> p(limiter_, sink_, refused_);
  usage_ = 90 * kMiB;
  ASSERT_TRUE(p.Start(host_).ok());  // measures once before returning
  EXPECT_TRUE(limiter_->refusing());

  Status s = p.Consume(MakeTraces(3));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "data refused due to high memory usage");
  ASSERT_TRUE(s.retry_after().has_value());
  EXPECT_EQ(*s.retry_after(), std::chrono::seconds(1));
  EXPECT_TRUE(IsRetryable(s));
  EXPECT_EQ(p.Admit().code(), StatusCode::kUnavailable);
  EXPECT_EQ(sink_.ItemCount(), 0);
  EXPECT_EQ(refused_.value(), 3);

  usage_ = 50 * kMiB;
  const uint64_t checks = limiter_->checks();
  ASSERT_TRUE(AdvanceUntilChecks(checks + 1));
  EXPECT_FALSE(limiter_->refusing());
  EXPECT_TRUE(p.Consume(MakeTraces(2)).ok());
  EXPECT_TRUE(p.Admit().ok());
  EXPECT_EQ(sink_.ItemCount(), 2);
  EXPECT_EQ(refused_.value(), 3);

  ASSERT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr("memory usage 90 MiB is above the soft limit 80 MiB"));
  EXPECT_THAT(log, HasSubstr("memory usage 50 MiB is below the soft limit 80 MiB again"));
}

TEST_F(MemoryLimiterTest, TransitionsAreLoggedOnceNotEveryCheck) {
  usage_ = 95 * kMiB;
  limiter_->CheckNow();
  limiter_->CheckNow();
  limiter_->CheckNow();
  usage_ = 5 * kMiB;
  limiter_->CheckNow();
  limiter_->CheckNow();
  const std::string log = Log();
  size_t above = 0, below = 0;
  for (size_t pos = 0; (pos = log.find("is above the soft limit", pos)) != std::string::npos; ++pos) ++above;
  for (size_t pos = 0; (pos = log.find("is below the soft limit", pos)) != std::string::npos; ++pos) ++below;
  EXPECT_EQ(above, 1u);
  EXPECT_EQ(below, 1u);
}

TEST_F(MemoryLimiterTest, ExactlyAtTheSoftLimitIsAccepted) {
  usage_ = 80 * kMiB;
  limiter_->CheckNow();
  EXPECT_FALSE(limiter_->refusing());
  usage_ = 80 * kMiB + 1;
  limiter_->CheckNow();
  EXPECT_TRUE(limiter_->refusing());
}

TEST_F(MemoryLimiterTest, AFailedReadKeepsTheLastStateAndIsLoggedOnce) {
  usage_ = 90 * kMiB;
  limiter_->CheckNow();
  ASSERT_TRUE(limiter_->refusing());
  fail_reads_ = true;
  limiter_->CheckNow();
  limiter_->CheckNow();
  EXPECT_TRUE(limiter_->refusing());
  const std::string log = Log();
  EXPECT_EQ(log.find("cannot measure memory usage"), log.rfind("cannot measure memory usage"));
  EXPECT_THAT(log, HasSubstr("no /proc here"));
}

TEST_F(MemoryLimiterTest, PassesAdmitDownstreamWhenAccepting) {
  MemoryLimiterProcessor<TracesBatch> p(limiter_, sink_, refused_);
  ASSERT_TRUE(p.Start(host_).ok());
  sink_.SetAdmit(UnavailableError("queue is full"));
  EXPECT_EQ(p.Admit().message(), "queue is full");
  ASSERT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
}

TEST_F(MemoryLimiterTest, SamplerKeepsRunningUntilTheLastSharingProcessorStops) {
  SinkConsumer<LogsBatch> logs_sink;
  MemoryLimiterProcessor<TracesBatch> a(limiter_, sink_, refused_);
  MemoryLimiterProcessor<LogsBatch> b(limiter_, logs_sink, refused_);
  ASSERT_TRUE(a.Start(host_).ok());
  ASSERT_TRUE(b.Start(host_).ok());
  EXPECT_EQ(limiter_->checks(), 1u);  // one initial measurement, not one per processor
  ASSERT_TRUE(a.Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
  usage_ = 99 * kMiB;
  ASSERT_TRUE(AdvanceUntilChecks(limiter_->checks() + 1));  // still sampling for b
  EXPECT_EQ(b.Consume(MakeLogs(4)).code(), StatusCode::kUnavailable);
  ASSERT_TRUE(b.Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
}

TEST_F(MemoryLimiterTest, ShutdownWithoutStartIsFine) {
  MemoryLimiterProcessor<TracesBatch> p(limiter_, sink_, refused_);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now()).ok());
  EXPECT_EQ(limiter_->checks(), 0u);
}

TEST(MemoryLimiterFactory, OneLimiterPerIdSharedAcrossSignals) {
  std::atomic<uint64_t> usage{0};
  MemoryLimiterProcessorFactory factory([&]() -> StatusOr<uint64_t> { return usage.load(); });
  auto cfg = factory.CreateDefaultConfig();
  auto& c = dynamic_cast<MemoryLimiterConfig&>(*cfg);
  c.check_interval = std::chrono::seconds(1);
  c.limit_mib = 64;
  SelfMetrics metrics;
  FakeClock clock;
  CreateSettings settings;
  settings.id = ComponentId("memory_limiter");
  settings.metrics = &metrics;
  settings.clock = &clock;
  CreateSettings other = settings;
  other.id = ComponentId("memory_limiter", "other");
  SinkConsumer<TracesBatch> traces;
  SinkConsumer<LogsBatch> logs;
  auto t = factory.CreateTraces(settings, *cfg, traces);
  auto l = factory.CreateLogs(settings, *cfg, logs);
  auto o = factory.CreateTraces(other, *cfg, traces);
  ASSERT_TRUE(t.ok() && l.ok() && o.ok());
  auto& tp = dynamic_cast<MemoryLimiterProcessor<TracesBatch>&>(**t);
  auto& lp = dynamic_cast<MemoryLimiterProcessor<LogsBatch>&>(**l);
  auto& op = dynamic_cast<MemoryLimiterProcessor<TracesBatch>&>(**o);
  EXPECT_EQ(&tp.limiter(), &lp.limiter());
  EXPECT_NE(&tp.limiter(), &op.limiter());

  NullHost host;
  usage = 60 * kMiB;  // above 64 - 12.8
  ASSERT_TRUE(tp.Start(host).ok());
  ASSERT_TRUE(lp.Start(host).ok());
  EXPECT_EQ(tp.Consume(MakeTraces(2)).code(), StatusCode::kUnavailable);
  EXPECT_EQ(lp.Consume(MakeLogs(5)).code(), StatusCode::kUnavailable);
  EXPECT_EQ(metrics.CounterValue("otelcol_processor_refused_spans", {{"processor", "memory_limiter"}}), 2);
  EXPECT_EQ(metrics.CounterValue("otelcol_processor_refused_log_records",
                                 {{"processor", "memory_limiter"}}),
            5);
  const Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  ASSERT_TRUE(tp.Shutdown(deadline).ok());
  ASSERT_TRUE(lp.Shutdown(deadline).ok());
}

TEST(MemoryLimiterFactory, ConfigProblemsFailCreation) {
  MemoryLimiterProcessorFactory factory([]() -> StatusOr<uint64_t> { return 0; }, 1000 * kMiB);
  auto cfg = factory.CreateDefaultConfig();
  auto& c = dynamic_cast<MemoryLimiterConfig&>(*cfg);
  c.check_interval = std::chrono::seconds(1);
  c.limit_percentage = 10;    // 100 MiB
  c.spike_limit_mib = 200;    // above it
  SinkConsumer<TracesBatch> sink;
  CreateSettings settings;
  settings.id = ComponentId("memory_limiter");
  auto p = factory.CreateTraces(settings, *cfg, sink);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
}

// The real measurement: a limit just above the current RSS, then a large allocation that is
// touched (so it is resident) and released again.
TEST(MemoryLimiterRealRss, RefusesWhileALargeAllocationIsHeld) {
  StatusOr<uint64_t> base = ReadProcessRss();
  ASSERT_TRUE(base.ok());
  LimiterSettings settings;
  settings.limits = {*base + 100 * kMiB, 36 * kMiB};  // soft limit: RSS now + 64 MiB
  settings.check_interval = std::chrono::seconds(1);
  FakeClock clock;
  MemoryLimiter limiter(settings, [] { return ReadProcessRss(); }, clock,
                        GetLogger("processor/memory_limiter/real"));
  limiter.CheckNow();
  EXPECT_FALSE(limiter.refusing());
  {
    std::vector<char> big(192 * kMiB);
    std::memset(big.data(), 1, big.size());
    limiter.CheckNow();
    EXPECT_TRUE(limiter.refusing()) << "rss " << limiter.last_usage_bytes() / kMiB << " MiB";
    EXPECT_EQ(big[big.size() / 2], 1);
  }
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // Sanitizer allocators keep freed memory (ASan's quarantine), so RSS does not fall back.
#else
  limiter.CheckNow();  // glibc returns a block this large to the kernel when it is freed
  EXPECT_FALSE(limiter.refusing()) << "rss " << limiter.last_usage_bytes() / kMiB << " MiB";
#endif
}

}  // namespace
}  // namespace otlpd::processor::memory_limiter
