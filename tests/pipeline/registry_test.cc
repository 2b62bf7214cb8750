#include "pipeline/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_components.h"

namespace otlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::EventLog;
using testing::TestExporterFactory;
using testing::TestProcessorFactory;

TEST(RegistryTest, FindsTypesAndAliases) {
  auto events = std::make_shared<EventLog>();
  Registry r;
  ASSERT_TRUE(r.Add(std::make_unique<TestExporterFactory>(events)).ok());
  const Factory* by_type = r.Find(Kind::kExporter, "test_exporter");
  ASSERT_NE(by_type, nullptr);
  EXPECT_EQ(r.Find(Kind::kExporter, "testexp"), by_type);
  EXPECT_EQ(r.FindExporter("testexp"), by_type);
  EXPECT_EQ(r.Find(Kind::kReceiver, "test_exporter"), nullptr);  // kinds are separate
  EXPECT_THAT(r.Types(Kind::kExporter), ElementsAre("test_exporter"));
  EXPECT_THAT(r.Names(Kind::kExporter), ElementsAre("test_exporter", "testexp"));
}

TEST(RegistryTest, RejectsDuplicateTypes) {
  auto events = std::make_shared<EventLog>();
  Registry r;
  ASSERT_TRUE(r.Add(std::make_unique<TestProcessorFactory>("dup", events)).ok());
  Status s = r.Add(std::make_unique<TestProcessorFactory>("dup", events));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(s.message(), HasSubstr("\"dup\" is registered twice"));
}

TEST(RegistryTest, RejectsAliasThatCollidesWithAType) {
  auto events = std::make_shared<EventLog>();
  Registry r;
  ASSERT_TRUE(r.Add(std::make_unique<TestProcessorFactory>("testexp", events)).ok());
  // Different kinds do not collide...
  ASSERT_TRUE(r.Add(std::make_unique<TestExporterFactory>(events)).ok());
  // ...the same kind does.
  Status s = r.Add(std::make_unique<TestProcessorFactory>(
      "other", events, std::vector<std::string_view>{"testexp"}));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(r.Find(Kind::kProcessor, "other"), nullptr);  // nothing half-registered
}

TEST(RegistryTest, RejectsInvalidTypeNames) {
  auto events = std::make_shared<EventLog>();
  Registry r;
  EXPECT_EQ(r.Add(std::make_unique<TestProcessorFactory>("bad-name", events)).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace otlpd
