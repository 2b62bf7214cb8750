// FileStorageExtension: directory checks and creation with permissions, the process lock, log
// names, and logs that survive a restart of the extension.
#include "extensions/file_storage/file_storage_extension.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "extensions/file_storage/directory_lock.h"
#include "temp_dir.h"

namespace otlpd::extension::file_storage {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class NoExtensionsHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

CreateSettings Settings() {
  CreateSettings settings;
  settings.id = ComponentId::Parse("file_storage").value();
  return settings;
}

Config ConfigIn(const std::string& directory) {
  Config cfg;
  cfg.directory = directory;
  cfg.timeout = 50ms;
  return cfg;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(FileStorageExtensionTest, MissingDirectoryIsAStartErrorNamingIt) {
  TempDir dir;
  NoExtensionsHost host;
  const std::string missing = dir.path() + "/missing";
  FileStorageExtension storage(Settings(), ConfigIn(missing));
  Status s = storage.Start(host);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr(missing));
  EXPECT_THAT(s.message(), HasSubstr("create_directory"));
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_EQ(storage.OpenLog("q").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, CreateDirectoryUsesTheConfiguredPermissions) {
  TempDir dir;
  NoExtensionsHost host;
  const mode_t old_umask = umask(0);
  Config cfg = ConfigIn(dir.path() + "/a/b");
  cfg.create_directory = true;
  cfg.directory_permissions = 0710;
  FileStorageExtension storage(Settings(), cfg);
  ASSERT_TRUE(storage.Start(host).ok());
  EXPECT_EQ(ModeOf(dir.path() + "/a"), 0710u);
  EXPECT_EQ(ModeOf(dir.path() + "/a/b"), 0710u);
  auto log = storage.OpenLog("traces");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(ModeOf(dir.path() + "/a/b/traces"), 0710u);
  umask(old_umask);
  ASSERT_TRUE((*log)->Close().ok());
  EXPECT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, SecondInstanceOnTheSameDirectoryIsRefusedUntilTheFirstStops) {
  TempDir dir;
  NoExtensionsHost host;
  FileStorageExtension first(Settings(), ConfigIn(dir.path()));
  FileStorageExtension second(Settings(), ConfigIn(dir.path()));
  ASSERT_TRUE(first.Start(host).ok());
  Status s = second.Start(host);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("in use by another process"));
  EXPECT_THAT(s.message(), HasSubstr(dir.path()));
  ASSERT_TRUE(first.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
  // The lock is gone with the first instance.
  FileStorageExtension third(Settings(), ConfigIn(dir.path()));
  EXPECT_TRUE(third.Start(host).ok());
  EXPECT_TRUE(third.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, NamesAreCheckedAndOpenOnce) {
  TempDir dir;
  NoExtensionsHost host;
  FileStorageExtension storage(Settings(), ConfigIn(dir.path()));
  ASSERT_TRUE(storage.Start(host).ok());
  for (const char* bad : {"", "..", "a/b", "with space", "."}) {
    EXPECT_EQ(storage.OpenLog(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto log = storage.OpenLog("otlp_http-backend-traces");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(storage.OpenLog("otlp_http-backend-traces").status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE((*log)->Close().ok());
  auto again = storage.OpenLog("otlp_http-backend-traces");
  EXPECT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE((*again)->Close().ok());
  EXPECT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, RecordsSurviveARestartOfTheExtension) {
  TempDir dir;
  NoExtensionsHost host;
  {
    FileStorageExtension storage(Settings(), ConfigIn(dir.path()));
    ASSERT_TRUE(storage.Start(host).ok());
    auto log = storage.OpenLog("logs");
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->Append("one").ok());
    ASSERT_TRUE((*log)->Append("two").ok());
    ASSERT_TRUE((*log)->Close().ok());
    ASSERT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
  }
  FileStorageExtension storage(Settings(), ConfigIn(dir.path()));
  ASSERT_TRUE(storage.Start(host).ok());
  auto log = storage.OpenLog("logs");
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->PendingRecords(), 2);
  auto first = (*log)->ReadNext();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->data, "one");
  ASSERT_TRUE((*log)->Close().ok());
  EXPECT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, UnwritableDirectoryIsAClearError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  NoExtensionsHost host;
  ASSERT_EQ(chmod(dir.path().c_str(), 0500), 0);
  FileStorageExtension storage(Settings(), ConfigIn(dir.path()));
  Status s = storage.Start(host);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(dir.path()));
  EXPECT_TRUE(storage.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(FileStorageExtensionTest, IsAStorageProviderThroughTheExtensionInterface) {
  TempDir dir;
  FileStorageExtension storage(Settings(), ConfigIn(dir.path()));
  Extension* as_extension = &storage;
  EXPECT_NE(dynamic_cast<StorageProvider*>(as_extension), nullptr);
}

}  // namespace
}  // namespace otlpd::extension::file_storage
