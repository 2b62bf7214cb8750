// The batch processor's keys: defaults, every key, and the errors a user sees, exactly.
#include "processors/batch/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/batch/factory.h"

namespace otlpd::processor::batch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct Decoded {
  Config cfg;
  std::vector<std::string> errors;  // one line each
};

// Decodes `yaml` (the body of processors::batch) through the factory, as the service does.
Decoded Decode(const std::string& yaml) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      "processors:\n  batch:\n" + yaml, "c.yaml",
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  BatchProcessorFactory factory;
  std::unique_ptr<ComponentConfig> cfg = factory.CreateDefaultConfig();
  const config::Node* node = loaded.root.Find("processors")->Find("batch");
  config::MapReader reader(*node, "processors::batch", errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  Decoded out{static_cast<Config&>(*cfg), {}};
  for (const auto& e : errors.errors()) out.errors.push_back(e.ToString());
  return out;
}

TEST(BatchConfigTest, DefaultsAreTheCollectorsDefaults) {
  Decoded d = Decode("");
  EXPECT_THAT(d.errors, ::testing::IsEmpty());
  EXPECT_EQ(d.cfg.send_batch_size, 8192);
  EXPECT_EQ(d.cfg.timeout, 200ms);
  EXPECT_EQ(d.cfg.send_batch_max_size, 0);
  EXPECT_TRUE(d.cfg.metadata_keys.empty());
  EXPECT_EQ(d.cfg.metadata_cardinality_limit, 1000);
  EXPECT_FALSE(d.cfg.PassThrough());
}

TEST(BatchConfigTest, EveryKeyIsRead) {
  Decoded d = Decode(
      "    send_batch_size: 100\n"
      "    timeout: 5s\n"
      "    send_batch_max_size: 150\n"
      "    metadata_keys: [X-Tenant, Region]\n"
      "    metadata_cardinality_limit: 10\n");
  EXPECT_THAT(d.errors, ::testing::IsEmpty());
  EXPECT_EQ(d.cfg.send_batch_size, 100);
  EXPECT_EQ(d.cfg.timeout, 5s);
  EXPECT_EQ(d.cfg.send_batch_max_size, 150);
  EXPECT_THAT(d.cfg.metadata_keys, ElementsAre("x-tenant", "region"));
  EXPECT_EQ(d.cfg.metadata_cardinality_limit, 10);
}

TEST(BatchConfigTest, ZeroTimeoutOrSizeMeansNoBuffering) {
  EXPECT_TRUE(Decode("    timeout: 0s\n").cfg.PassThrough());
  EXPECT_TRUE(Decode("    send_batch_size: 0\n").cfg.PassThrough());
}

TEST(BatchConfigTest, MaxBelowSizeIsRefusedOnTheMaxKey) {
  Decoded d = Decode(
      "    send_batch_size: 1024\n"
      "    send_batch_max_size: 100\n");
  EXPECT_THAT(d.errors, ElementsAre("c.yaml:4:26: processors::batch::send_batch_max_size: "
                                    "must be >= send_batch_size (1024), got 100"));
}

TEST(BatchConfigTest, MaxBelowTheDefaultSizeIsRefusedToo) {
  Decoded d = Decode("    send_batch_max_size: 10\n");
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_THAT(d.errors[0], HasSubstr("must be >= send_batch_size (8192), got 10"));
}

TEST(BatchConfigTest, MaxEqualToSizeIsFine) {
  EXPECT_THAT(Decode("    send_batch_size: 5\n    send_batch_max_size: 5\n").errors,
              ::testing::IsEmpty());
}

TEST(BatchConfigTest, UnknownKeyIsAnError) {
  Decoded d = Decode("    send_batch_sise: 10\n");
  ASSERT_EQ(d.errors.size(), 1u);
  // The wording belongs to config::MapReader; what matters here is that the key is refused,
  // located and given a suggestion.
  EXPECT_THAT(d.errors[0], HasSubstr("c.yaml:3:5: processors::batch"));
  EXPECT_THAT(d.errors[0], HasSubstr("unknown key"));
  EXPECT_THAT(d.errors[0], HasSubstr("send_batch_sise"));
  EXPECT_THAT(d.errors[0], HasSubstr("did you mean"));
  EXPECT_THAT(d.errors[0], HasSubstr("send_batch_size"));
}

TEST(BatchConfigTest, BadDurationIsAnError) {
  Decoded d = Decode("    timeout: 10\n");
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_THAT(d.errors[0], HasSubstr("c.yaml:3:14: processors::batch::timeout:"));
  EXPECT_THAT(d.errors[0], HasSubstr("invalid duration"));
  EXPECT_EQ(Decode("    timeout: -1s\n").errors.size(), 1u);
}

TEST(BatchConfigTest, NegativeOrHugeCountsAreErrors) {
  EXPECT_THAT(Decode("    send_batch_size: -1\n").errors,
              ElementsAre(HasSubstr("send_batch_size: must be >= 0, got -1")));
  EXPECT_THAT(Decode("    send_batch_max_size: 5000000000\n").errors,
              ElementsAre(HasSubstr("send_batch_max_size: must be <= 4294967295")));
  EXPECT_THAT(Decode("    metadata_cardinality_limit: x\n").errors,
              ElementsAre(HasSubstr("metadata_cardinality_limit: expected an integer")));
}

TEST(BatchConfigTest, DuplicateMetadataKeysIgnoringCaseAreErrors) {
  Decoded d = Decode("    metadata_keys: [Tenant, tenant]\n");
  EXPECT_THAT(d.errors, ElementsAre(HasSubstr(
                            "processors::batch::metadata_keys: duplicate entry \"tenant\"")));
}

}  // namespace
}  // namespace otlpd::processor::batch
