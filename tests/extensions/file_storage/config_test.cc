// file_storage config: defaults, every key, Go's boolean fsync, and errors with file:line:col.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "extensions/file_storage/config.h"
#include "extensions/file_storage/factory.h"

namespace otlpd::extension::file_storage {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

Config Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(
      yaml, "c.yaml", [](const std::string&) { return std::optional<std::string>(); }, errors);
  FileStorageFactory factory;
  auto cfg = factory.CreateDefaultConfig();
  const config::Node* node = loaded.root.Find("file_storage");
  EXPECT_NE(node, nullptr);
  if (node == nullptr) return Config();
  config::MapReader reader(*node, "extensions::file_storage", errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  return static_cast<Config&>(*cfg);
}

TEST(FileStorageConfigTest, DefaultsAreTheCollectorsWhereTheyExist) {
  config::Errors errors;
  Config cfg = Decode("file_storage:\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.directory, "/var/lib/otelcol/file_storage");
  EXPECT_FALSE(cfg.create_directory);
  EXPECT_EQ(cfg.directory_permissions, 0750u);
  EXPECT_EQ(cfg.fsync, FsyncPolicy::kBatch);
  EXPECT_EQ(cfg.max_size_mib, 1024);
  EXPECT_EQ(cfg.segment_size_mib, 8);
  EXPECT_EQ(cfg.timeout, 1s);
}

TEST(FileStorageConfigTest, EveryKey) {
  config::Errors errors;
  Config cfg = Decode(R"(file_storage:
  directory: /data/queue
  create_directory: true
  directory_permissions: "0700"
  fsync: always
  max_size_mib: 64
  segment_size_mib: 4
  timeout: 250ms
)",
                      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.directory, "/data/queue");
  EXPECT_TRUE(cfg.create_directory);
  EXPECT_EQ(cfg.directory_permissions, 0700u);
  EXPECT_EQ(cfg.fsync, FsyncPolicy::kAlways);
  EXPECT_EQ(cfg.max_size_mib, 64);
  EXPECT_EQ(cfg.segment_size_mib, 4);
  EXPECT_EQ(cfg.timeout, 250ms);
}

TEST(FileStorageConfigTest, FsyncAcceptsPoliciesAndGoBooleans) {
  const std::pair<const char*, FsyncPolicy> cases[] = {
      {"always", FsyncPolicy::kAlways}, {"batch", FsyncPolicy::kBatch}, {"never", FsyncPolicy::kNever},
      {"true", FsyncPolicy::kAlways},   {"false", FsyncPolicy::kNever}, {"True", FsyncPolicy::kAlways},
  };
  for (const auto& [text, policy] : cases) {
    config::Errors errors;
    Config cfg = Decode(std::string("file_storage:\n  fsync: ") + text + "\n", errors);
    EXPECT_TRUE(errors.empty()) << text << ": " << errors.ToString();
    EXPECT_EQ(cfg.fsync, policy) << text;
  }
}

TEST(FileStorageConfigTest, SmallMaxSizeShrinksTheDefaultSegment) {
  config::Errors errors;
  Config cfg = Decode("file_storage:\n  max_size_mib: 2\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.segment_size_mib, 2);
}

TEST(FileStorageConfigTest, ErrorsNameLineColumnAndPath) {
  config::Errors errors;
  Decode(R"(file_storage:
  fsync: sometimes
  directory_permissions: "0999"
  max_size_mib: 0
  segment_size_mib: 16
  timeout: 0s
  compaction:
    on_start: true
  recreate: true
)",
         errors);
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("c.yaml:2:10: extensions::file_storage::fsync: must be one of always, batch, never"));
  EXPECT_THAT(text, HasSubstr("c.yaml:3:26: extensions::file_storage::directory_permissions: must be an octal mode"));
  EXPECT_THAT(text, HasSubstr("c.yaml:4:17: extensions::file_storage::max_size_mib:"));
  EXPECT_THAT(text, HasSubstr("c.yaml:6:12: extensions::file_storage::timeout:"));
  EXPECT_THAT(text, HasSubstr("c.yaml:8:5: extensions::file_storage::compaction: not supported: otlpd's file_storage compacts by itself"));
  EXPECT_THAT(text, HasSubstr("c.yaml:9:3: extensions::file_storage::recreate: unknown key"));
}

TEST(FileStorageConfigTest, SegmentLargerThanTheLogIsRefused) {
  config::Errors errors;
  Decode("file_storage:\n  max_size_mib: 4\n  segment_size_mib: 8\n", errors);
  EXPECT_THAT(errors.ToString(),
              HasSubstr("c.yaml:3:21: extensions::file_storage::segment_size_mib: must be <= max_size_mib (4), got 8"));
}

TEST(FileStorageConfigTest, FsyncAsAMapIsRefused) {
  config::Errors errors;
  Decode("file_storage:\n  fsync: {a: b}\n", errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("extensions::file_storage::fsync: must be one of"));
}

}  // namespace
}  // namespace otlpd::extension::file_storage
