#include "processors/memory_limiter/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/memory_limiter/factory.h"

namespace otlpd::processor::memory_limiter {
namespace {

using ::testing::HasSubstr;
constexpr uint64_t kMiB = 1024 * 1024;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

std::unique_ptr<MemoryLimiterConfig> Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  auto cfg = std::make_unique<MemoryLimiterConfig>();
  const config::Node* node = loaded.root.Find("memory_limiter");
  if (node == nullptr) {
    ADD_FAILURE() << "no memory_limiter: in the yaml";
    return cfg;
  }
  config::MapReader reader(*node, "processors::memory_limiter", errors);
  MemoryLimiterProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  return cfg;
}

TEST(MemoryLimiterConfig, ReferenceConfig) {
  config::Errors errors;
  auto cfg = Decode("memory_limiter:\n  limit_mib: 256\n  check_interval: 1s\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg->check_interval, std::chrono::seconds(1));
  EXPECT_FALSE(cfg->NeedsTotalMemory());
  StatusOr<Limits> l = ComputeLimits(*cfg, 0);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->limit_bytes, 256 * kMiB);
  EXPECT_EQ(l->spike_bytes, 256 * kMiB / 5);  // default: 20% of the limit
  EXPECT_EQ(l->soft_limit_bytes(), 256 * kMiB - 256 * kMiB / 5);
}

TEST(MemoryLimiterConfig, ExplicitSpikeAndPercentages) {
  config::Errors errors;
  auto mib = Decode("memory_limiter:\n  limit_mib: 100\n  spike_limit_mib: 30\n  check_interval: 500ms\n",
                    errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ComputeLimits(*mib, 0)->soft_limit_bytes(), 70 * kMiB);

  auto pct = Decode(
      "memory_limiter:\n  limit_percentage: 80\n  spike_limit_percentage: 30\n  check_interval: 1s\n",
      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_TRUE(pct->NeedsTotalMemory());
  StatusOr<Limits> l = ComputeLimits(*pct, 1000 * kMiB);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->limit_bytes, 1000 * kMiB / 100 * 80);
  EXPECT_EQ(l->spike_bytes, 1000 * kMiB / 100 * 30);

  auto pct_default_spike =
      Decode("memory_limiter:\n  limit_percentage: 50\n  check_interval: 1s\n", errors);
  EXPECT_EQ(ComputeLimits(*pct_default_spike, 1000 * kMiB)->spike_bytes, 1000 * kMiB / 100 * 50 / 5);
}

TEST(MemoryLimiterConfig, SpikeAboveAPercentageLimitFailsAtCreation) {
  config::Errors errors;
  auto cfg = Decode(
      "memory_limiter:\n  limit_percentage: 10\n  spike_limit_mib: 200\n  check_interval: 1s\n",
      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();  // only known once memory is known
  StatusOr<Limits> l = ComputeLimits(*cfg, 1000 * kMiB);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status().message(), HasSubstr("must be below the memory limit"));
}

TEST(MemoryLimiterConfig, Errors) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"memory_limiter:\n  limit_mib: 256\n",
            "processors::memory_limiter: missing required key \"check_interval\""},
           {"memory_limiter:\n  limit_mib: 256\n  check_interval: 0s\n",
            "processors::memory_limiter::check_interval: must be greater than 0"},
           {"memory_limiter:\n  check_interval: 1s\n",
            "one of limit_mib or limit_percentage is required"},
           {"memory_limiter:\n  limit_mib: 100\n  spike_limit_mib: 100\n  check_interval: 1s\n",
            "processors::memory_limiter::spike_limit_mib: must be below limit_mib (100), got 100"},
           {"memory_limiter:\n  limit_mib: 100\n  spike_limit_mib: 150\n  check_interval: 1s\n",
            "must be below limit_mib"},
           {"memory_limiter:\n  limit_mib: 100\n  limit_percentage: 50\n  check_interval: 1s\n",
            "limit_percentage: cannot be combined with limit_mib"},
           {"memory_limiter:\n  limit_percentage: 101\n  check_interval: 1s\n",
            "processors::memory_limiter::limit_percentage"},
           {"memory_limiter:\n  limit_percentage: 50\n  spike_limit_percentage: 50\n  check_interval: 1s\n",
            "must be below limit_percentage (50), got 50"},
           {"memory_limiter:\n  limit_mib: 100\n  spike_limit_mib: 10\n  spike_limit_percentage: 5\n"
            "  check_interval: 1s\n",
            "spike_limit_percentage: cannot be combined with spike_limit_mib"},
           {"memory_limiter:\n  limit_mib: 100\n  check_interval: 1s\n  ballast_size_mib: 10\n",
            "unknown key"},
       }) {
    config::Errors errors;
    Decode(c.yaml, errors);
    EXPECT_FALSE(errors.empty()) << c.yaml;
    EXPECT_THAT(errors.ToString(), HasSubstr(c.expected)) << c.yaml;
  }
}

}  // namespace
}  // namespace otlpd::processor::memory_limiter
