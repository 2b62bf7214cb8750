// Subprocess: runs the real otlpd binary (or any program) from a test, captures its output into
// files, and lets the test wait for a line or for exit with a timeout, or send it a signal.
//
//   Subprocess p({OtlpdBinary(), "--config", path}, {{"SCOUT_ENDPOINT", url}});
//   ASSERT_TRUE(p.WaitForOutput("started", 10s));
//   p.Signal(SIGTERM);
//   EXPECT_EQ(p.WaitForExit(20s), 0);
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace otlpd::testing {

// The otlpd binary of the build under test (OTLPD_BUILD_DIR is set by CTest).
inline std::string OtlpdBinary() {
  const char* dir = std::getenv("OTLPD_BUILD_DIR");
  return std::string(dir ? dir : ".") + "/cmd/otlpd/otlpd";
}

// The source tree (OTLPD_SOURCE_DIR is set by CTest).
inline std::string SourceDir() {
  const char* dir = std::getenv("OTLPD_SOURCE_DIR");
  return dir ? dir : ".";
}

class Subprocess {
 public:
  // Starts `argv` with the current environment plus `env`, in `cwd` when given.
  Subprocess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
             const std::string& cwd = "") {
    char out_tmpl[] = "/tmp/otlpd-test-out-XXXXXX";
    char err_tmpl[] = "/tmp/otlpd-test-err-XXXXXX";
    const int out_fd = mkstemp(out_tmpl);
    const int err_fd = mkstemp(err_tmpl);
    out_path_ = out_tmpl;
    err_path_ = err_tmpl;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out_fd, 1);
      dup2(err_fd, 2);
      // The test runner may block signals; the child must see SIGTERM normally.
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out_fd);
    close(err_fd);
  }
  ~Subprocess() {
    if (!exit_code_ && pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    unlink(out_path_.c_str());
    unlink(err_path_.c_str());
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig) { kill(pid_, sig); }

  // The exit code (128 + signal when killed), or nullopt on timeout.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      // Polling a child process has no condition variable to wait on; the step is short.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_code_;
  }

  // True once stdout or stderr contains `text`; false at the timeout or when the process exited
  // without printing it.
  bool WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Stdout().find(text) != std::string::npos || Stderr().find(text) != std::string::npos)
        return true;
      if (exit_code_ || WaitForExit(std::chrono::milliseconds(0))) {
        return Stdout().find(text) != std::string::npos || Stderr().find(text) != std::string::npos;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::string Stdout() const { return ReadFile(out_path_); }
  std::string Stderr() const { return ReadFile(err_path_); }

 private:
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_, err_path_;
};

}  // namespace otlpd::testing
