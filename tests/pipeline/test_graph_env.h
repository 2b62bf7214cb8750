// A registry of test components plus YAML -> ServiceConfig in one call, for the service config
// and graph tests.
#pragma once

#include <memory>
#include <string>

#include "config/loader.h"
#include "pipeline/service_config.h"
#include "tests/support/test_components.h"

namespace otlpd::testing {

struct TestGraphEnv {
  std::shared_ptr<EventLog> events = std::make_shared<EventLog>();
  std::shared_ptr<TestReceiverDirectory> receivers = std::make_shared<TestReceiverDirectory>();
  Registry registry;
  TestExporterFactory* exporters = nullptr;

  TestGraphEnv() {
    auto exp = std::make_unique<TestExporterFactory>(events);
    exporters = exp.get();
    Status s = registry.Add(std::make_unique<TestReceiverFactory>(events, receivers));
    s = registry.Add(std::make_unique<TestProcessorFactory>("test_processor", events));
    s = registry.Add(std::move(exp));
    s = registry.Add(std::make_unique<TestExtensionFactory>("test_extension", events));
    s.IgnoreError();
  }

  // Loads `yaml` as file "test.yaml" and decodes it; errors land in `errors`.
  ServiceConfig Decode(const std::string& yaml, config::Errors& errors) {
    auto loaded = config::LoadString(
        yaml, "test.yaml", [](const std::string&) { return std::optional<std::string>(); }, errors);
    if (!errors.empty()) return ServiceConfig();
    return DecodeServiceConfig(loaded.root, registry, errors);
  }
};

}  // namespace otlpd::testing
