// libFuzzer target for config loading (config/loader.h) and the validation that follows it
// (pipeline/service_config.h): YAML parsing, ${VAR} / ${env:VAR:-default} / $$ expansion with
// re-typing, merging of several files, --set overrides, then decoding the service section and
// every component's config against a registry.
//
// Input layout: NUL bytes split the input into parts. Part 0 is the base YAML, part 1 (if any)
// a second file merged over it, and every further part one --set assignment. The environment is
// fixed (see kEnvironment), with a variable that holds YAML, one set but empty, and one that
// refers to another. The registry holds the test components of tests/support (one per kind,
// each with a decoder that rejects unknown keys): the real components need every library of
// the daemon built with the fuzzer's instrumentation, which this target avoids.
//
// Errors are expected and fine; the target looks for crashes, leaks, UB, hangs and runaway
// memory (libFuzzer's -rss_limit_mb and -timeout). It also checks that a config that loads
// without errors is a map.
//
//   build-fuzz/tests/fuzz/config_fuzzer -dict=tests/fuzz/config.dict -max_total_time=60 \
//     tests/fuzz/corpus/config
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/errors.h"
#include "config/loader.h"
#include "pipeline/registry.h"
#include "pipeline/service_config.h"
#include "tests/support/test_components.h"

namespace {

const std::map<std::string, std::string, std::less<>> kEnvironment = {
    {"HOST", "127.0.0.1"},
    {"PORT", "4317"},
    {"EMPTY", ""},
    {"LIST", "[a, b]"},
    {"MAP", "{k: v}"},
    {"REF", "${HOST}"},
    {"DOLLAR", "$$x"},
};

std::optional<std::string> Lookup(const std::string& name) {
  const auto it = kEnvironment.find(name);
  if (it == kEnvironment.end()) return std::nullopt;
  return it->second;
}

const otlpd::Registry& TestRegistry() {
  static const otlpd::Registry* const registry = [] {
    using namespace otlpd::testing;
    auto events = std::make_shared<EventLog>();
    auto* r = new otlpd::Registry();
    bool ok = r->Add(std::make_unique<TestReceiverFactory>(
                         events, std::make_shared<TestReceiverDirectory>()))
                  .ok();
    ok = ok && r->Add(std::make_unique<TestProcessorFactory>("test_processor", events)).ok();
    ok = ok && r->Add(std::make_unique<TestExporterFactory>(events)).ok();
    ok = ok && r->Add(std::make_unique<TestExtensionFactory>("test_extension", events)).ok();
    if (!ok) std::abort();
    return r;
  }();
  return *registry;
}

std::vector<std::string_view> SplitOnNul(std::string_view input) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t nul = input.find('\0', start);
    parts.push_back(input.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) return parts;
    start = nul + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> parts =
      SplitOnNul(std::string_view(reinterpret_cast<const char*>(data), size));
  const otlpd::config::EnvLookup env = Lookup;

  otlpd::config::Errors errors;
  otlpd::config::LoadResult loaded = otlpd::config::LoadString(parts[0], "base.yaml", env, errors);
  if (parts.size() > 1) {
    otlpd::config::LoadResult overlay =
        otlpd::config::LoadString(parts[1], "overlay.yaml", env, errors);
    otlpd::config::Merge(loaded.root, std::move(overlay.root));
  }
  for (size_t i = 2; i < parts.size(); ++i) {
    otlpd::config::ApplySet(loaded.root, parts[i], errors);
  }
  if (errors.empty()) {
    if (!loaded.root.IsMap()) std::abort();
    otlpd::DecodeServiceConfig(loaded.root, TestRegistry(), errors);
  }
  (void)errors.ToString();
  return 0;
}
