// Checks the deployment files under deploy/ with the real otlpd binary, so that nothing there can
// ship a config or a flag that otlpd refuses: every otlpd config validates, and so do the exact
// command lines that the Kubernetes manifests, the container image and the systemd unit run.
// It also checks the promises those files make to the platform around otlpd: the kill timeout
// leaves room for --shutdown-timeout, probes ask health_check where the config serves it, and the
// Kubernetes containers run locked down.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/duration.h"
#include "tests/support/subprocess.h"

namespace otlpd {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::OtlpdBinary;
using testing::SourceDir;
using testing::Subprocess;
using namespace std::chrono_literals;

// Every variable a config under deploy/ reads, with values shaped like real ones. A config that
// reads a variable missing here fails the validate test ("unset variables"), so this list and
// the configs cannot drift apart silently.
const std::map<std::string, std::string> kDeployEnv = {
    {"SCOUT_CLIENT_ID", "otlpd-deploy-test"},
    {"SCOUT_CLIENT_SECRET", "not-a-real-secret"},
    {"SCOUT_TOKEN_URL", "https://auth.example.com/oauth/token"},
    {"SCOUT_ENDPOINT", "https://otlp.example.com"},
    {"SCOUT_ENVIRONMENT", "test"},
    {"K8S_NODE_NAME", "node-1"},
    {"OTLPD_GATEWAY_ENDPOINT", "otlpd-gateway:4317"},
};

// Where every deployment file puts the config.
constexpr const char* kConfigPath = "/etc/otlpd/config.yaml";

fs::path DeployDir() { return fs::path(SourceDir()) / "deploy"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// node[k1][k2]... or an undefined node (false in a condition) when any key is missing: yaml-cpp
// throws when the result of a missing key is indexed again.
YAML::Node Path(const YAML::Node& node, std::initializer_list<const char*> keys) {
  YAML::Node cur;
  cur.reset(node);
  for (const char* k : keys) {
    if (!cur.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& parent = cur;
    const YAML::Node next = parent[k];
    if (!next) return YAML::Node(YAML::NodeType::Undefined);
    cur.reset(next);
  }
  return cur;
}

// Go duration text ("20s") to whole seconds; fails the test on anything else.
int64_t Seconds(const std::string& text) {
  const config::DurationParse d = config::ParseGoDuration(text);
  EXPECT_EQ(d.error, config::DurationError::kNone) << "not a duration: \"" << text << "\"";
  return std::chrono::duration_cast<std::chrono::seconds>(d.value).count();
}

// An otlpd config is a YAML map with `receivers` and `service` and no Kubernetes `kind`
// (compose files have `services`, kustomizations and manifests have `kind`).
bool IsOtlpdConfig(const fs::path& p) {
  try {
    const YAML::Node doc = YAML::LoadFile(p.string());
    return doc.IsMap() && doc["receivers"] && doc["service"] && !doc["kind"];
  } catch (const YAML::Exception&) {
    return false;  // not YAML at all: not ours to judge here (yamllint is)
  }
}

std::vector<fs::path> OtlpdConfigs() {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(DeployDir()); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path().filename() == "node_modules") {
      it.disable_recursion_pending();
      continue;
    }
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml") && IsOtlpdConfig(it->path())) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Relative(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const fs::path& p : paths) out.push_back(fs::relative(p, DeployDir()).generic_string());
  return out;
}

// Runs `otlpd validate <args>` and expects success with no variable left unset.
void ExpectValidates(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env, const std::string& what) {
  std::vector<std::string> argv = {OtlpdBinary(), "validate"};
  argv.insert(argv.end(), args.begin(), args.end());
  Subprocess p(argv, env);
  EXPECT_EQ(p.WaitForExit(10s), 0) << what << "\n" << p.Stderr();
  EXPECT_EQ(p.Stdout(), "config is valid\n") << what;
  EXPECT_THAT(p.Stderr(), Not(HasSubstr("unset variables"))) << what;
}

// Replaces kConfigPath inside every argument ("--config=/etc/otlpd/config.yaml" or the value
// after "--config") with the file that the platform mounts there.
std::vector<std::string> MapConfigPath(std::vector<std::string> args, const fs::path& file) {
  for (std::string& a : args) {
    const size_t at = a.find(kConfigPath);
    if (at != std::string::npos) a.replace(at, std::string(kConfigPath).size(), file.string());
  }
  return args;
}

// The value of `--flag V` or `--flag=V` in `args`.
std::optional<std::string> FlagValue(const std::vector<std::string>& args, const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(flag + "=", 0) == 0) return args[i].substr(flag.size() + 1);
  }
  return std::nullopt;
}

// health_check's port and path in an otlpd config (the Collector's defaults when unset).
struct HealthCheck {
  int port = 13133;
  std::string path = "/";
};
std::optional<HealthCheck> HealthCheckOf(const fs::path& config) {
  const YAML::Node hc = Path(YAML::LoadFile(config.string()), {"extensions", "health_check"});
  if (!hc) return std::nullopt;
  HealthCheck out;
  if (hc["endpoint"]) {
    const std::string endpoint = hc["endpoint"].as<std::string>();
    out.port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  }
  if (hc["path"]) out.path = hc["path"].as<std::string>();
  return out;
}

TEST(DeployConfigsTest, FindsEveryExampleConfig) {
  const std::vector<std::string> found = Relative(OtlpdConfigs());
  for (const char* expected : {"examples/minimal.yaml", "examples/reference.yaml", "examples/agent.yaml",
                               "examples/gateway.yaml", "compose/backend.yaml"}) {
    EXPECT_THAT(found, Contains(expected));
  }
}

TEST(DeployConfigsTest, EveryOtlpdConfigValidates) {
  const std::vector<fs::path> configs = OtlpdConfigs();
  ASSERT_FALSE(configs.empty());
  for (const fs::path& config : configs) {
    ExpectValidates({"--config", config.string()}, kDeployEnv, config.string());
  }
}

// ---- Kubernetes ---------------------------------------------------------------------------------

// ConfigMap name -> example file, from the configMapGenerator in deploy/examples.
std::map<std::string, fs::path> GeneratedConfigMaps() {
  const fs::path dir = DeployDir() / "examples";
  const YAML::Node k = YAML::LoadFile((dir / "kustomization.yaml").string());
  std::map<std::string, fs::path> out;
  for (const YAML::Node& gen : k["configMapGenerator"]) {
    for (const YAML::Node& f : gen["files"]) {
      const std::string spec = f.as<std::string>();  // "config.yaml=agent.yaml"
      const size_t eq = spec.find('=');
      if (spec.substr(0, eq) == "config.yaml") {
        out[gen["name"].as<std::string>()] = dir / spec.substr(eq + 1);
      }
    }
  }
  return out;
}

// One otlpd container of a Deployment or DaemonSet under deploy/kubernetes.
struct OtlpdWorkload {
  std::string name;     // "kubernetes/gateway/deployment.yaml: Deployment otlpd-gateway"
  YAML::Node pod;       // spec.template.spec
  YAML::Node container;
  fs::path config;      // the example file mounted at /etc/otlpd/config.yaml
};

std::vector<OtlpdWorkload> OtlpdWorkloads() {
  const std::map<std::string, fs::path> config_maps = GeneratedConfigMaps();
  std::vector<OtlpdWorkload> out;
  for (const auto& e : fs::recursive_directory_iterator(DeployDir() / "kubernetes")) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    for (const YAML::Node& doc : YAML::LoadAllFromFile(e.path().string())) {
      if (!doc.IsMap() || !doc["kind"]) continue;
      const std::string kind = doc["kind"].as<std::string>();
      if (kind != "Deployment" && kind != "DaemonSet") continue;
      const YAML::Node pod = Path(doc, {"spec", "template", "spec"});
      for (const char* list : {"initContainers", "containers"}) {
        for (const YAML::Node& c : pod[list]) {
          if (c["image"].as<std::string>() != "otlpd") continue;
          OtlpdWorkload w;
          w.name = fs::relative(e.path(), DeployDir()).generic_string() + ": " + kind + " " +
                   doc["metadata"]["name"].as<std::string>();
          w.pod = pod;
          w.container = c;
          for (const YAML::Node& m : c["volumeMounts"]) {
            if (m["mountPath"].as<std::string>() != "/etc/otlpd") continue;
            for (const YAML::Node& v : pod["volumes"]) {
              if (v["name"].as<std::string>() == m["name"].as<std::string>() && v["configMap"]) {
                const auto it = config_maps.find(v["configMap"]["name"].as<std::string>());
                if (it != config_maps.end()) w.config = it->second;
              }
            }
          }
          out.push_back(w);
        }
      }
    }
  }
  return out;
}

std::vector<std::string> Strings(const YAML::Node& list) {
  std::vector<std::string> out;
  for (const YAML::Node& n : list) out.push_back(n.as<std::string>());
  return out;
}

TEST(DeployKubernetesTest, EveryModeHasAnOtlpdWorkloadWithItsConfig) {
  const std::vector<OtlpdWorkload> workloads = OtlpdWorkloads();
  std::set<std::string> modes;
  for (const OtlpdWorkload& w : workloads) {
    modes.insert(w.name.substr(0, w.name.find('/', std::string("kubernetes/").size())));
    EXPECT_FALSE(w.config.empty()) << w.name << ": no generated ConfigMap mounted at /etc/otlpd";
    EXPECT_TRUE(fs::exists(w.config)) << w.name << ": " << w.config;
  }
  EXPECT_EQ(modes, (std::set<std::string>{"kubernetes/agent", "kubernetes/gateway",
                                          "kubernetes/sidecar"}));
}

// The exact args of each otlpd container, with the env the manifest sets, are accepted.
TEST(DeployKubernetesTest, CommandLinesValidate) {
  for (const OtlpdWorkload& w : OtlpdWorkloads()) {
    std::map<std::string, std::string> env = kDeployEnv;
    for (const YAML::Node& e : w.container["env"]) {
      if (e["value"]) env[e["name"].as<std::string>()] = e["value"].as<std::string>();
    }
    const std::vector<std::string> args = Strings(w.container["args"]);
    ASSERT_TRUE(FlagValue(args, "--config")) << w.name;
    ExpectValidates(MapConfigPath(args, w.config), env, w.name);
  }
}

// Kubernetes counts terminationGracePeriodSeconds from the start of preStop, then SIGKILLs: the
// preStop pause plus otlpd's whole drain must fit inside it.
TEST(DeployKubernetesTest, GracePeriodCoversPreStopAndShutdownTimeout) {
  for (const OtlpdWorkload& w : OtlpdWorkloads()) {
    const auto shutdown = FlagValue(Strings(w.container["args"]), "--shutdown-timeout");
    ASSERT_TRUE(shutdown) << w.name << ": set --shutdown-timeout explicitly";
    ASSERT_TRUE(w.pod["terminationGracePeriodSeconds"]) << w.name;
    const int64_t grace = w.pod["terminationGracePeriodSeconds"].as<int64_t>();
    int64_t pre_stop = 0;
    if (const YAML::Node cmd = Path(w.container, {"lifecycle", "preStop", "exec", "command"})) {
      ASSERT_EQ(cmd[0].as<std::string>(), "sleep") << w.name;
      pre_stop = cmd[1].as<int64_t>();
    }
    EXPECT_GT(grace, pre_stop + Seconds(*shutdown)) << w.name;
  }
}

// Liveness and readiness ask health_check on the port and path the mounted config serves.
TEST(DeployKubernetesTest, ProbesAskHealthCheck) {
  for (const OtlpdWorkload& w : OtlpdWorkloads()) {
    const std::optional<HealthCheck> hc = HealthCheckOf(w.config);
    ASSERT_TRUE(hc) << w.name << ": " << w.config << " has no health_check";
    for (const char* probe : {"livenessProbe", "readinessProbe"}) {
      const YAML::Node get = Path(w.container, {probe, "httpGet"});
      ASSERT_TRUE(get) << w.name << ": no " << probe << ".httpGet";
      EXPECT_EQ(get["path"].as<std::string>(), hc->path) << w.name << " " << probe;
      int port = -1;
      const std::string named = get["port"].as<std::string>();
      for (const YAML::Node& p : w.container["ports"]) {
        if (p["name"] && p["name"].as<std::string>() == named) port = p["containerPort"].as<int>();
      }
      if (port < 0) port = get["port"].as<int>();
      EXPECT_EQ(port, hc->port) << w.name << " " << probe;
    }
  }
}

TEST(DeployKubernetesTest, ContainersRunLockedDownWithAMemoryLimit) {
  for (const OtlpdWorkload& w : OtlpdWorkloads()) {
    EXPECT_TRUE(Path(w.pod, {"securityContext", "runAsNonRoot"}).as<bool>(false)) << w.name;
    const YAML::Node sc = Path(w.container, {"securityContext"});
    EXPECT_TRUE(sc["readOnlyRootFilesystem"].as<bool>(false)) << w.name;
    EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>(true)) << w.name;
    EXPECT_THAT(Strings(Path(sc, {"capabilities", "drop"})), Contains("ALL")) << w.name;
    // memory_limiter's limit is set against this (percentage) or sized below it (limit_mib).
    EXPECT_TRUE(Path(w.container, {"resources", "limits", "memory"})) << w.name;
  }
}

// ---- Container image, compose, systemd ------------------------------------------------------------

// The image's default command runs the baked minimal.yaml, and its HEALTHCHECK asks the port
// that config's health_check serves.
TEST(DeployImageTest, DefaultCommandAndHealthcheckMatchTheBakedConfig) {
  const std::string dockerfile = ReadFile(DeployDir() / "docker/Dockerfile");
  const fs::path baked = DeployDir() / "examples/minimal.yaml";
  EXPECT_THAT(dockerfile, HasSubstr("COPY deploy/examples/minimal.yaml /etc/otlpd/config.yaml"));
  EXPECT_THAT(dockerfile, HasSubstr("ENTRYPOINT [\"otlpd\"]"));
  EXPECT_THAT(dockerfile, HasSubstr("CMD [\"--config\", \"/etc/otlpd/config.yaml\"]"));
  ExpectValidates(MapConfigPath({"--config", kConfigPath}, baked), kDeployEnv, "image CMD");
  const std::optional<HealthCheck> hc = HealthCheckOf(baked);
  ASSERT_TRUE(hc);
  EXPECT_THAT(dockerfile, HasSubstr("/dev/tcp/127.0.0.1/" + std::to_string(hc->port)));
  for (int port : {4317, 4318, hc->port, 8888}) {
    EXPECT_THAT(dockerfile, ::testing::ContainsRegex("EXPOSE.* " + std::to_string(port)));
  }
}

// Compose: each otlpd service mounts a config that exists (and so is validated above), reads its
// secrets from .env only, and may drain before the stop timeout. The stand-in backend serves
// TLS, since otlpd never sends the OAuth2 token over plaintext.
TEST(DeployComposeTest, OtlpdServicesMountValidConfigsAndMayDrain) {
  const fs::path dir = DeployDir() / "compose";
  const YAML::Node compose = YAML::LoadFile((dir / "compose.yaml").string());
  int otlpd_services = 0;
  for (const auto& service : compose["services"]) {
    const std::string name = service.first.as<std::string>();
    const YAML::Node s = service.second;
    // Services that run otlpd itself (the image with its own entrypoint; `certs` only borrows
    // the image's openssl).
    if (!s["image"] || s["image"].as<std::string>() != "otlpd:dev" || s["entrypoint"]) continue;
    ++otlpd_services;
    bool mounted = false;
    for (const YAML::Node& v : s["volumes"]) {
      const std::string spec = v.as<std::string>();  // "../examples/reference.yaml:/etc/...:ro"
      if (spec.find(std::string(":") + kConfigPath) == std::string::npos) continue;
      mounted = true;
      const fs::path source = dir / spec.substr(0, spec.find(':'));
      ASSERT_TRUE(fs::exists(source)) << name << ": " << source;
      EXPECT_TRUE(IsOtlpdConfig(source)) << name << ": " << source;
    }
    EXPECT_TRUE(mounted) << name << ": no config mounted at " << kConfigPath;
    ASSERT_TRUE(s["stop_grace_period"]) << name;
    EXPECT_GT(Seconds(s["stop_grace_period"].as<std::string>()), 20) << name;
    for (const auto& e : s["environment"]) {
      EXPECT_THAT(e.first.as<std::string>(), Not(HasSubstr("SECRET"))) << name;
    }
  }
  EXPECT_EQ(otlpd_services, 2);
  EXPECT_TRUE(fs::exists(dir / ".env.example"));
  const std::string default_endpoint =
      compose["services"]["otlpd"]["environment"]["SCOUT_ENDPOINT"].as<std::string>();
  EXPECT_THAT(default_endpoint, HasSubstr("https://backend:"));
  EXPECT_TRUE(Path(YAML::LoadFile((dir / "backend.yaml").string()),
                   {"receivers", "otlp", "protocols", "http", "tls", "cert_file"}));
}

// systemd: ExecStart's flags are accepted, and TimeoutStopSec exceeds --shutdown-timeout.
TEST(DeploySystemdTest, ExecStartValidatesAndStopTimeoutCoversTheDrain) {
  const std::string unit = ReadFile(DeployDir() / "systemd/otlpd.service");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(unit, m, std::regex(R"(\nExecStart=(\S+)((?: \S+)*)\n)")));
  std::vector<std::string> args;
  std::istringstream words(m[2].str());
  for (std::string w; words >> w;) args.push_back(w);
  // The unit's install comment puts reference.yaml at /etc/otlpd/config.yaml.
  ExpectValidates(MapConfigPath(args, DeployDir() / "examples/reference.yaml"), kDeployEnv,
                  "ExecStart");
  const auto shutdown = FlagValue(args, "--shutdown-timeout");
  ASSERT_TRUE(shutdown) << "set --shutdown-timeout explicitly in ExecStart";
  ASSERT_TRUE(std::regex_search(unit, m, std::regex(R"(\nTimeoutStopSec=(\S+)\n)")));
  EXPECT_GT(Seconds(m[1].str()), Seconds(*shutdown));
  // otlpd has no config reload.
  EXPECT_FALSE(std::regex_search(unit, std::regex(R"(\nExecReload=)")));
}

}  // namespace
}  // namespace otlpd
