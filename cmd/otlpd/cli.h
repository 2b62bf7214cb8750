// The otlpd command line: argument parsing, config loading for every subcommand, and the run
// loop with signal handling. main.cc only calls RunCli.
//
//   otlpd [--config FILE]... [--set key=value]... [--shutdown-timeout 20s]
//   otlpd validate [--config FILE]... [--set key=value]...
//   otlpd components | otlpd --version | otlpd --help
//
// Exit codes: 0 clean run and shutdown (or valid config), 1 config or usage error, 2 start
// failure (e.g. a port in use), 3 shutdown not clean (deadline passed or a component failed to
// stop; a second SIGTERM/SIGINT also exits with 3 at once).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/errors.h"
#include "pipeline/registry.h"
#include "pipeline/service_config.h"

namespace otlpd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitConfigError = 1;
inline constexpr int kExitStartError = 2;
inline constexpr int kExitUncleanShutdown = 3;

struct CliArgs {
  enum class Command { kRun, kValidate, kComponents, kVersion, kHelp };
  Command command = Command::kRun;
  std::vector<std::string> config_files;
  std::vector<std::string> set_overrides;
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(20);
};

// INVALID_ARGUMENT with a usage message for unknown flags or missing values.
StatusOr<CliArgs> ParseArgs(const std::vector<std::string>& args);

// Loads the files (or the embedded default when none) with the overrides, and decodes them.
// Errors and warnings are collected in `errors`; `unset_variables` receives the names.
ServiceConfig LoadServiceConfig(const CliArgs& args, const Registry& registry,
                                config::Errors& errors, std::vector<std::string>* unset_variables);

int RunCli(int argc, char** argv);

}  // namespace otlpd
