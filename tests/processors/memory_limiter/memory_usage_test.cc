#include "processors/memory_limiter/memory_usage.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

namespace otlpd::processor::memory_limiter {
namespace {

namespace fs = std::filesystem;

// A fake root with /proc and /sys files, removed afterwards.
class FakeRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    root_ = fs::temp_directory_path() /
            ("otlpd-memory-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& content) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }
  std::string root() const { return root_.string(); }
  fs::path root_;
};

constexpr uint64_t kMiB = 1024 * 1024;
const char* kMeminfo = "MemTotal:        2097152 kB\nMemFree:          100000 kB\n";  // 2 GiB

TEST_F(FakeRoot, NoCgroupLimitMeansMemTotal) {
  Write("proc/meminfo", kMeminfo);
  Write("proc/self/cgroup", "0::/user.slice\n");
  Write("sys/fs/cgroup/user.slice/memory.max", "max\n");
  StatusOr<uint64_t> total = TotalMemoryBytes(root());
  ASSERT_TRUE(total.ok()) << total.status().ToString();
  EXPECT_EQ(*total, 2048 * kMiB);
}

TEST_F(FakeRoot, CgroupV2LimitOfTheOwnCgroup) {
  Write("proc/meminfo", kMeminfo);
  Write("proc/self/cgroup", "0::/kubepods/pod1\n");
  Write("sys/fs/cgroup/kubepods/pod1/memory.max", "536870912\n");
  EXPECT_EQ(*TotalMemoryBytes(root()), 512 * kMiB);
}

TEST_F(FakeRoot, CgroupV2InANamespaceReadsTheRootFile) {
  Write("proc/meminfo", kMeminfo);
  Write("proc/self/cgroup", "0::/\n");
  Write("sys/fs/cgroup/memory.max", "268435456\n");
  EXPECT_EQ(*TotalMemoryBytes(root()), 256 * kMiB);
}

TEST_F(FakeRoot, CgroupV1LimitAndItsNoLimitValue) {
  Write("proc/meminfo", kMeminfo);
  Write("proc/self/cgroup", "4:cpu,cpuacct:/docker/abc\n7:memory:/docker/abc\n");
  Write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "134217728\n");
  EXPECT_EQ(*TotalMemoryBytes(root()), 128 * kMiB);
  // v1 says "unlimited" with a huge number: the machine's memory applies.
  Write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(*TotalMemoryBytes(root()), 2048 * kMiB);
}

TEST_F(FakeRoot, NothingReadableIsAnError) {
  StatusOr<uint64_t> total = TotalMemoryBytes(root());
  EXPECT_FALSE(total.ok());
  EXPECT_FALSE(ReadProcessRss(root()).ok());
}

TEST_F(FakeRoot, RssIsResidentPagesTimesPageSize) {
  Write("proc/self/statm", "1000 250 30 10 0 400 0\n");
  StatusOr<uint64_t> rss = ReadProcessRss(root());
  ASSERT_TRUE(rss.ok());
  EXPECT_EQ(*rss, 250u * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
}

TEST(MemoryUsage, RealValuesAreSane) {
  StatusOr<uint64_t> rss = ReadProcessRss();
  ASSERT_TRUE(rss.ok()) << rss.status().ToString();
  EXPECT_GT(*rss, 1 * kMiB);
  StatusOr<uint64_t> total = TotalMemoryBytes();
  ASSERT_TRUE(total.ok()) << total.status().ToString();
  EXPECT_GT(*total, *rss);
}

}  // namespace
}  // namespace otlpd::processor::memory_limiter
