// Drives the real otlpd binary: version, help, components, validate over the golden configs
// (exact error lines), and a run that starts on free loopback ports and stops on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/subprocess.h"

namespace otlpd {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::OtlpdBinary;
using testing::SourceDir;
using testing::Subprocess;
using namespace std::chrono_literals;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path ConfigDir(const std::string& kind) {
  return fs::path(SourceDir()) / "tests/testdata/config" / kind;
}

std::vector<fs::path> YamlFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Variables the reference pipeline and the golden configs use.
const std::map<std::string, std::string> kScoutEnv = {
    {"SCOUT_CLIENT_ID", "otlpd-test"},
    {"SCOUT_CLIENT_SECRET", "not-a-real-secret"},
    {"SCOUT_TOKEN_URL", "https://127.0.0.1:1/oauth/token"},
    {"SCOUT_ENDPOINT", "https://127.0.0.1:1/otlp"},
    {"SCOUT_ENVIRONMENT", "test"},
};

TEST(OtlpdCliTest, PrintsVersion) {
  Subprocess p({OtlpdBinary(), "--version"});
  ASSERT_EQ(p.WaitForExit(10s), 0);
  EXPECT_THAT(p.Stdout(), ::testing::MatchesRegex("otlpd [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST(OtlpdCliTest, PrintsHelp) {
  Subprocess p({OtlpdBinary(), "--help"});
  ASSERT_EQ(p.WaitForExit(10s), 0);
  EXPECT_THAT(p.Stdout(), HasSubstr("otlpd validate"));
}

TEST(OtlpdCliTest, RejectsUnknownArguments) {
  Subprocess p({OtlpdBinary(), "--confg", "x.yaml"});
  ASSERT_EQ(p.WaitForExit(10s), 1);
  EXPECT_THAT(p.Stderr(), HasSubstr("unknown argument \"--confg\""));
}

TEST(OtlpdCliTest, ListsComponentsWithAliases) {
  Subprocess p({OtlpdBinary(), "components"});
  ASSERT_EQ(p.WaitForExit(10s), 0);
  const std::string out = p.Stdout();
  EXPECT_THAT(out, HasSubstr("receivers:\n  otlp\n"));
  EXPECT_THAT(out, HasSubstr("  batch\n"));
  EXPECT_THAT(out, HasSubstr("  debug\n"));
}

// Every config under valid/ passes `otlpd validate`.
TEST(OtlpdCliTest, GoldenValidConfigsValidate) {
  const auto files = YamlFiles(ConfigDir("valid"));
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    Subprocess p({OtlpdBinary(), "validate", "--config", file.filename().string()}, kScoutEnv,
                 file.parent_path().string());
    EXPECT_EQ(p.WaitForExit(10s), 0) << file << "\n" << p.Stderr();
    EXPECT_EQ(p.Stdout(), "config is valid\n") << file;
  }
}

// Every config under invalid/ fails `otlpd validate` with exactly the lines in its .expected.
TEST(OtlpdCliTest, GoldenInvalidConfigsPrintExactErrors) {
  const auto files = YamlFiles(ConfigDir("invalid"));
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    fs::path expected_file = file;
    expected_file.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_file)) << expected_file;
    Subprocess p({OtlpdBinary(), "validate", "--config", file.filename().string()}, kScoutEnv,
                 file.parent_path().string());
    EXPECT_EQ(p.WaitForExit(10s), 1) << file;
    EXPECT_EQ(p.Stderr(), ReadFile(expected_file)) << file;
    EXPECT_EQ(p.Stdout(), "") << file;
  }
}

// The copy under valid/ is the reference pipeline itself, unchanged.
TEST(OtlpdCliTest, ReferencePipelineCopyMatchesTheSharedOne) {
  const fs::path shared = fs::path(SourceDir()) / "../shared/reference/scout-pipeline.yaml";
  if (!fs::exists(shared)) GTEST_SKIP() << "no shared/ beside the repository";
  EXPECT_EQ(ReadFile(ConfigDir("valid") / "scout-pipeline.yaml"), ReadFile(shared));
}

TEST(OtlpdCliTest, ValidateNamesUnsetVariables) {
  Subprocess p({OtlpdBinary(), "validate", "--config", "scout-pipeline.yaml"}, {},
               ConfigDir("valid").string());
  // The unset variables expand to "" and make the config invalid (empty endpoint, token URL).
  ASSERT_TRUE(p.WaitForExit(10s).has_value());
  EXPECT_THAT(p.Stderr(), HasSubstr("unset variables: SCOUT_CLIENT_ID SCOUT_CLIENT_SECRET "
                                    "SCOUT_ENDPOINT SCOUT_ENVIRONMENT SCOUT_TOKEN_URL"));
}

// A port bound by someone else.
class BusyPort {
 public:
  BusyPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 1);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~BusyPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Every listener on a free loopback port, so tests run in parallel with each other and with a
// developer's own otlpd.
const std::vector<std::string> kFreePorts = {
    "--set", "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:0",
    "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:0",
    "--set", "service::telemetry::metrics::address=127.0.0.1:0"};

TEST(OtlpdCliTest, RunsTheDefaultConfigAndStopsCleanlyOnSigterm) {
  std::vector<std::string> argv = {OtlpdBinary()};
  argv.insert(argv.end(), kFreePorts.begin(), kFreePorts.end());
  Subprocess p(argv);
  ASSERT_TRUE(p.WaitForOutput("started", 20s)) << p.Stderr();
  p.Signal(SIGTERM);
  EXPECT_EQ(p.WaitForExit(20s), 0) << p.Stderr();
  EXPECT_THAT(p.Stderr(), HasSubstr("shutdown complete"));
}

TEST(OtlpdCliTest, SigintAlsoStopsCleanly) {
  std::vector<std::string> argv = {OtlpdBinary()};
  argv.insert(argv.end(), kFreePorts.begin(), kFreePorts.end());
  Subprocess p(argv);
  ASSERT_TRUE(p.WaitForOutput("started", 20s)) << p.Stderr();
  p.Signal(SIGINT);
  EXPECT_EQ(p.WaitForExit(20s), 0) << p.Stderr();
}

TEST(OtlpdCliTest, PortInUseExitsTwoNamingTheAddress) {
  BusyPort busy;
  const std::string addr = "127.0.0.1:" + std::to_string(busy.port());
  Subprocess p({OtlpdBinary(), "--set", "receivers::otlp::protocols::grpc::endpoint=" + addr,
                "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:0", "--set",
                "service::telemetry::metrics::address=127.0.0.1:0"});
  EXPECT_EQ(p.WaitForExit(20s), 2) << p.Stderr();
  EXPECT_THAT(p.Stderr(), HasSubstr(addr));
  EXPECT_THAT(p.Stderr(), HasSubstr("receiver/otlp"));
}

TEST(OtlpdCliTest, ConfigErrorExitsOne) {
  Subprocess p({OtlpdBinary(), "--set", "processors::batch::timeout=soon"});
  EXPECT_EQ(p.WaitForExit(10s), 1);
  EXPECT_THAT(p.Stderr(), HasSubstr("processors::batch::timeout"));
}

}  // namespace
}  // namespace otlpd
