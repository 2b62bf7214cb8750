#include "cmd/otlpd/cli.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "cmd/otlpd/components.h"
#include "cmd/otlpd/default_config.h"
#include "config/loader.h"
#include "config/map_reader.h"
#include "pipeline/graph.h"
#include "pipeline/logging.h"
#include "pipeline/metrics_endpoint.h"
#include "pipeline/self_metrics.h"

namespace otlpd {
namespace {

constexpr const char* kUsage = R"(otlpd: an OpenTelemetry collector daemon

Usage:
  otlpd [--config FILE]... [--set KEY=VALUE]... [--shutdown-timeout DURATION]
  otlpd validate [--config FILE]... [--set KEY=VALUE]...
  otlpd components
  otlpd --version
  otlpd --help

  --config FILE         YAML config; repeat to merge several in order (maps merge, lists
                        replace). Without --config, the embedded default runs: OTLP on
                        localhost:4317 (gRPC) and localhost:4318 (HTTP) -> batch -> debug.
  --set KEY=VALUE       override one value, e.g. --set processors.batch.timeout=2s
                        (use :: between keys that contain dots: a::b.c::d=1)
  --shutdown-timeout D  how long a graceful shutdown may take (default 20s)

Exit codes: 0 ok, 1 config or usage error, 2 start failure, 3 unclean shutdown.
)";

std::string Version() {
#ifdef OTLPD_VERSION
  return OTLPD_VERSION;
#else
  return "dev";
#endif
}

void PrintComponents(const Registry& registry) {
  for (Kind kind : {Kind::kReceiver, Kind::kProcessor, Kind::kExporter, Kind::kExtension}) {
    std::cout << KindSection(kind) << ":\n";
    for (const std::string& type : registry.Types(kind)) {
      std::cout << "  " << type;
      const Factory* f = registry.Find(kind, type);
      auto aliases = f->aliases();
      if (!aliases.empty()) {
        std::cout << " (alias:";
        for (auto a : aliases) std::cout << " " << a;
        std::cout << ")";
      }
      std::cout << "\n";
    }
  }
}

void PrintWarnings(const config::Errors& errors) {
  for (const config::Error& w : errors.warnings()) std::cerr << "warning: " << w.ToString() << "\n";
}

// Blocks the signals we wait for in every thread (threads inherit the mask, so this must run
// before any thread starts), and ignores SIGPIPE, which a closed peer socket would raise.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

int Run(const CliArgs& args, const Registry& registry) {
  const sigset_t signals = BlockShutdownSignals();
  config::Errors errors;
  std::vector<std::string> unset;
  ServiceConfig cfg = LoadServiceConfig(args, registry, errors, &unset);
  PrintWarnings(errors);
  if (!errors.empty()) {
    std::cerr << errors.ToString();
    return kExitConfigError;
  }
  ConfigureLogging(cfg.telemetry.logs);
  auto log = GetLogger("service");

  SelfMetrics metrics;
  HealthBoard health;
  auto graph = Graph::Build(cfg, metrics, health);
  if (!graph.ok()) {
    log->error("cannot build the pipelines: {}", graph.status().ToString());
    return kExitStartError;
  }
  // The self-metrics endpoint comes up before the pipelines, so a start that hangs can be
  // observed, and stays up through the shutdown, so a slow drain can be watched too.
  std::optional<MetricsEndpoint> metrics_endpoint;
  if (cfg.telemetry.metrics.level != TelemetryMetricsConfig::Level::kNone) {
    metrics_endpoint.emplace(cfg.telemetry.metrics.address, metrics);
    if (Status s = metrics_endpoint->Start(); !s.ok()) {
      log->error("cannot start the telemetry endpoint: {}", s.message());
      return kExitStartError;
    }
  }
  if (Status s = (*graph)->Start(); !s.ok()) {
    log->error("cannot start: {}", s.message());
    return kExitStartError;
  }
  health.SetPhase(HealthBoard::Phase::kRunning);
  log->info("otlpd {} started; {} pipeline(s) running", Version(), cfg.pipelines.size());

  int sig = 0;
  sigwait(&signals, &sig);
  while (sig == SIGUSR1) sigwait(&signals, &sig);  // nobody else sends USR1 before shutdown
  log->info("received {}, shutting down (send it again to exit at once)",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");

  health.SetPhase(HealthBoard::Phase::kStopping);
  // Shutdown runs on its own thread so that this one can still react to a second signal.
  std::atomic<bool> clean{false};
  const pthread_t main_thread = pthread_self();
  std::thread stopper([&] {
    Status s = (*graph)->Shutdown(std::chrono::steady_clock::now() + args.shutdown_timeout);
    clean = s.ok();
    pthread_kill(main_thread, SIGUSR1);
  });
  sigwait(&signals, &sig);
  if (sig != SIGUSR1) {
    log->warn("second signal: exiting without finishing the shutdown");
    spdlog::shutdown();
    _exit(kExitUncleanShutdown);
  }
  stopper.join();
  if (metrics_endpoint) metrics_endpoint->Stop();
  log->info("shutdown {}", clean ? "complete" : "finished with errors");
  return clean ? kExitOk : kExitUncleanShutdown;
}

}  // namespace

StatusOr<CliArgs> ParseArgs(const std::vector<std::string>& args) {
  CliArgs out;
  size_t i = 0;
  if (!args.empty()) {
    if (args[0] == "validate") out.command = CliArgs::Command::kValidate, i = 1;
    else if (args[0] == "components") out.command = CliArgs::Command::kComponents, i = 1;
    else if (args[0] == "version") out.command = CliArgs::Command::kVersion, i = 1;
  }
  auto value_of = [&](const std::string& flag, const std::string& arg,
                      std::string* value) -> std::optional<Status> {
    const std::string eq = flag + "=";
    if (arg == flag) {
      if (i + 1 >= args.size()) return InvalidArgumentError(flag + " needs a value");
      *value = args[++i];
      return OkStatus();
    }
    if (arg.rfind(eq, 0) == 0) {
      *value = arg.substr(eq.size());
      return OkStatus();
    }
    return std::nullopt;  // not this flag
  };
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string value;
    if (arg == "--help" || arg == "-h") {
      out.command = CliArgs::Command::kHelp;
    } else if (arg == "--version" || arg == "-v") {
      out.command = CliArgs::Command::kVersion;
    } else if (auto s = value_of("--config", arg, &value)) {
      if (!s->ok()) return *s;
      out.config_files.push_back(value);
    } else if (auto s2 = value_of("--set", arg, &value)) {
      if (!s2->ok()) return *s2;
      out.set_overrides.push_back(value);
    } else if (auto s3 = value_of("--shutdown-timeout", arg, &value)) {
      if (!s3->ok()) return *s3;
      auto d = config::ParseDuration(value);
      if (!d || *d <= config::Duration::zero()) {
        return InvalidArgumentError("--shutdown-timeout: invalid duration \"" + value + "\"");
      }
      out.shutdown_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    } else {
      return InvalidArgumentError("unknown argument \"" + arg + "\" (see otlpd --help)");
    }
  }
  return out;
}

ServiceConfig LoadServiceConfig(const CliArgs& args, const Registry& registry,
                                config::Errors& errors, std::vector<std::string>* unset_variables) {
  config::LoadResult loaded;
  if (args.config_files.empty()) {
    loaded = config::LoadString(kDefaultConfigYaml, "<default>", config::ProcessEnv(), errors);
    for (const std::string& set : args.set_overrides) config::ApplySet(loaded.root, set, errors);
  } else {
    loaded = config::LoadFiles(args.config_files, args.set_overrides, config::ProcessEnv(), errors);
  }
  if (unset_variables) *unset_variables = loaded.unset_variables;
  // Decoding a tree that failed to load would only add noise after the real error.
  if (!errors.empty()) return ServiceConfig();
  return DecodeServiceConfig(loaded.root, registry, errors);
}

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  StatusOr<CliArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) {
    std::cerr << "otlpd: " << parsed.status().message() << "\n";
    return kExitConfigError;
  }
  Registry registry;
  if (Status s = RegisterComponents(registry); !s.ok()) {
    std::cerr << "otlpd: internal error: " << s.ToString() << "\n";
    return kExitStartError;
  }
  switch (parsed->command) {
    case CliArgs::Command::kHelp:
      std::cout << kUsage;
      return kExitOk;
    case CliArgs::Command::kVersion:
      std::cout << "otlpd " << Version() << "\n";
      return kExitOk;
    case CliArgs::Command::kComponents:
      PrintComponents(registry);
      return kExitOk;
    case CliArgs::Command::kValidate: {
      config::Errors errors;
      std::vector<std::string> unset;
      LoadServiceConfig(*parsed, registry, errors, &unset);
      PrintWarnings(errors);
      if (!unset.empty()) {
        std::cerr << "unset variables:";
        for (const auto& v : unset) std::cerr << " " << v;
        std::cerr << "\n";
      }
      if (!errors.empty()) {
        std::cerr << errors.ToString();
        return kExitConfigError;
      }
      std::cout << "config is valid\n";
      return kExitOk;
    }
    case CliArgs::Command::kRun:
      return Run(*parsed, registry);
  }
  return kExitOk;
}

}  // namespace otlpd
