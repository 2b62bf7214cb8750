#include "exporters/helper/retry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "config/loader.h"
#include "exporters/helper/config.h"
#include "exporters/helper/queue_config.h"
#include "exporters/helper/tls_config.h"

namespace otlpd::exporter::helper {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// Decodes the helper keys of the map under `x:` in `yaml`.
Config Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(
      yaml, "c.yaml", [](const std::string&) { return std::optional<std::string>(); }, errors);
  Config cfg(30s);
  config::MapReader r(*loaded.root.Find("x"), "exporters::x", errors);
  DecodeConfig(r, cfg);
  r.Finish();
  return cfg;
}

std::string AllErrors(const config::Errors& errors) { return errors.ToString(); }

TEST(BackoffTest, JitterStaysWithinTheRandomizationFactor) {
  RetryConfig cfg;
  cfg.initial_interval = 10s;
  cfg.randomization_factor = 0.5;
  cfg.multiplier = 1.5;
  cfg.max_interval = 30s;
  RandomSource low = [] { return 0.0; };
  RandomSource high = [] { return 1.0; };
  Backoff a(cfg, low);
  Backoff b(cfg, high);
  EXPECT_EQ(a.Next(), Clock::Duration(5s));   // 10s - 50%
  EXPECT_EQ(b.Next(), Clock::Duration(15s));  // 10s + 50%
  EXPECT_EQ(a.Next(), Clock::Duration(7500ms));
  EXPECT_EQ(b.Next(), Clock::Duration(22500ms));
}

TEST(BackoffTest, IntervalGrowsByMultiplierUpToMaxInterval) {
  RetryConfig cfg;
  cfg.initial_interval = 5s;
  cfg.randomization_factor = 0;
  cfg.multiplier = 1.5;
  cfg.max_interval = 10s;
  RandomSource mid = [] { return 0.5; };
  Backoff b(cfg, mid);
  EXPECT_EQ(b.Next(), Clock::Duration(5s));
  EXPECT_EQ(b.Next(), Clock::Duration(7500ms));
  EXPECT_EQ(b.Next(), Clock::Duration(10s));
  EXPECT_EQ(b.Next(), Clock::Duration(10s));
}

TEST(BackoffTest, DefaultRandomSourceIsInRange) {
  RandomSource r = DefaultRandomSource();
  for (int i = 0; i < 1000; ++i) {
    const double v = r();
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
  }
}

TEST(HelperConfigTest, DefaultsAreTheCollectors) {
  config::Errors errors;
  Config cfg = Decode("x: {}\n", errors);
  ASSERT_TRUE(errors.empty()) << AllErrors(errors);
  EXPECT_EQ(cfg.timeout, 30s);
  EXPECT_TRUE(cfg.retry.enabled);
  EXPECT_EQ(cfg.retry.initial_interval, 5s);
  EXPECT_EQ(cfg.retry.randomization_factor, 0.5);
  EXPECT_EQ(cfg.retry.multiplier, 1.5);
  EXPECT_EQ(cfg.retry.max_interval, 30s);
  EXPECT_EQ(cfg.retry.max_elapsed_time, 300s);
  EXPECT_TRUE(cfg.queue.enabled);
  EXPECT_EQ(cfg.queue.num_consumers, 10);
  EXPECT_EQ(cfg.queue.queue_size, 1000);
  EXPECT_EQ(cfg.queue.sizer, QueueSizer::kRequests);
  EXPECT_FALSE(cfg.queue.block_on_overflow);
  EXPECT_FALSE(cfg.queue.batch.has_value());
}

TEST(HelperConfigTest, ReadsEveryKey) {
  config::Errors errors;
  Config cfg = Decode(R"(x:
  timeout: 2s
  retry_on_failure:
    enabled: false
    initial_interval: 1s
    randomization_factor: 0.1
    multiplier: 2
    max_interval: 10s
    max_elapsed_time: 0s
  sending_queue:
    enabled: true
    num_consumers: 3
    queue_size: 50
    sizer: items
    block_on_overflow: true
    batch:
      flush_timeout: 1s
      min_size: 100
      max_size: 200
)",
                      errors);
  ASSERT_TRUE(errors.empty()) << AllErrors(errors);
  EXPECT_EQ(cfg.timeout, 2s);
  EXPECT_FALSE(cfg.retry.enabled);
  EXPECT_EQ(cfg.retry.initial_interval, 1s);
  EXPECT_EQ(cfg.retry.randomization_factor, 0.1);
  EXPECT_EQ(cfg.retry.multiplier, 2);
  EXPECT_EQ(cfg.retry.max_interval, 10s);
  EXPECT_EQ(cfg.retry.max_elapsed_time, 0s);
  EXPECT_EQ(cfg.queue.num_consumers, 3);
  EXPECT_EQ(cfg.queue.queue_size, 50);
  EXPECT_EQ(cfg.queue.sizer, QueueSizer::kItems);
  EXPECT_TRUE(cfg.queue.block_on_overflow);
  ASSERT_TRUE(cfg.queue.batch.has_value());
  EXPECT_EQ(cfg.queue.batch->flush_timeout, 1s);
  EXPECT_EQ(cfg.queue.batch->min_size, 100);
  EXPECT_EQ(cfg.queue.batch->max_size, 200);
}

TEST(HelperConfigTest, EmptyBatchTurnsBatchingOnWithDefaults) {
  config::Errors errors;
  Config cfg = Decode("x:\n  sending_queue:\n    batch:\n", errors);
  ASSERT_TRUE(errors.empty()) << AllErrors(errors);
  ASSERT_TRUE(cfg.queue.batch.has_value());
  EXPECT_EQ(cfg.queue.batch->flush_timeout, 200ms);
  EXPECT_EQ(cfg.queue.batch->min_size, 8192);
  EXPECT_EQ(cfg.queue.batch->max_size, 0);
}

TEST(HelperConfigTest, StorageTakesTheIdOfAStorageExtension) {
  config::Errors errors;
  Config cfg = Decode("x:\n  sending_queue:\n    storage: file_storage/q\n", errors);
  EXPECT_EQ(AllErrors(errors), "");
  ASSERT_TRUE(cfg.queue.storage.has_value());
  EXPECT_EQ(*cfg.queue.storage, ComponentId("file_storage", "q"));
  EXPECT_FALSE(Decode("x:\n  sending_queue: {}\n", errors).queue.storage.has_value());
}

TEST(HelperConfigTest, StorageErrorsNameTheirPath) {
  config::Errors errors;
  Decode("x:\n  sending_queue:\n    storage: file_storage/a/b\n", errors);
  EXPECT_THAT(AllErrors(errors), HasSubstr("c.yaml:3:"));
  EXPECT_THAT(AllErrors(errors), HasSubstr("exporters::x::sending_queue::storage: invalid "
                                           "component ID \"file_storage/a/b\""));
  config::Errors disabled;
  Decode("x:\n  sending_queue:\n    enabled: false\n    storage: file_storage\n", disabled);
  EXPECT_THAT(AllErrors(disabled),
              HasSubstr("exporters::x::sending_queue::storage: needs sending_queue::enabled: "
                        "true"));
}

TEST(HelperConfigTest, InvalidValuesAreReportedWithTheirPaths) {
  config::Errors errors;
  Decode(R"(x:
  timeout: -1s
  retry_on_failure:
    initial_interval: 10s
    max_interval: 1s
    randomization_factor: 2
    multiplier: 0.5
    max_elapsed_tme: 1s
  sending_queue:
    num_consumers: 0
    queue_size: 0
    sizer: bytes
    batch:
      min_size: 10
      max_size: 5
)",
         errors);
  const std::string all = AllErrors(errors);
  EXPECT_THAT(all, HasSubstr("exporters::x::timeout"));
  EXPECT_THAT(all, HasSubstr("exporters::x::retry_on_failure::max_interval: must be >= "
                             "initial_interval (10s), got 1s"));
  EXPECT_THAT(all, HasSubstr("exporters::x::retry_on_failure::randomization_factor"));
  EXPECT_THAT(all, HasSubstr("exporters::x::retry_on_failure::multiplier"));
  EXPECT_THAT(all, HasSubstr("did you mean \"max_elapsed_time\"?"));
  EXPECT_THAT(all, HasSubstr("exporters::x::sending_queue::num_consumers"));
  EXPECT_THAT(all, HasSubstr("exporters::x::sending_queue::queue_size"));
  EXPECT_THAT(all, HasSubstr("exporters::x::sending_queue::sizer: must be one of requests, items"));
  EXPECT_THAT(all, HasSubstr("exporters::x::sending_queue::batch::max_size: must be >= min_size"));
}

TEST(TlsConfigTest, CertAndKeyGoTogether) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      "tls:\n  cert_file: /c.pem\n  min_version: \"1.1\"\n", "c.yaml",
      [](const std::string&) { return std::optional<std::string>(); }, errors);
  TlsClientConfig tls;
  config::MapReader r(*loaded.root.Find("tls"), "exporters::x::tls", errors);
  DecodeTlsClientConfig(r, tls);
  r.Finish();
  const std::string all = AllErrors(errors);
  EXPECT_THAT(all, HasSubstr("cert_file and key_file must be set together"));
  EXPECT_THAT(all, HasSubstr("exporters::x::tls::min_version: must be one of 1.2, 1.3"));
}

TEST(TlsConfigTest, UnreadableFilesAreNamed) {
  TlsClientConfig tls;
  tls.ca_file = "/nonexistent/ca.pem";
  Status s = CheckTlsFilesReadable(tls);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("tls::ca_file"));
  EXPECT_THAT(s.message(), HasSubstr("/nonexistent/ca.pem"));
}

}  // namespace
}  // namespace otlpd::exporter::helper
