// Test components for graph and service tests: a factory of each kind whose components record
// their lifecycle (start/shutdown order) into a shared EventLog, can be told to fail Start, and
// pass data along so a test can see what flowed where.
//
//   auto events = std::make_shared<EventLog>();
//   Registry registry;
//   RegisterTestComponents(registry, events);   // types: test_receiver, test_processor, ...
//   ... build a graph from YAML naming them ...
//   EXPECT_THAT(events->Lines(), ElementsAre("start exporter/test_exporter", ...));
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/factory.h"
#include "pipeline/registry.h"

namespace otlpd::testing {

class EventLog {
 public:
  void Add(std::string line) {
    std::lock_guard lock(mu_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> Lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// Config shared by every test type: `fail_start: true` makes Start fail; `tag: x` is recorded.
struct TestConfig : ComponentConfig {
  bool fail_start = false;
  std::string tag;
  config::Duration shutdown_delay{0};  // Shutdown waits this long (bounded by its deadline)
};

// Records "start <kind>/<id>" and "stop <kind>/<id>", and what a receiver/exporter received.
class TestComponentBase {
 public:
  TestComponentBase(std::string label, std::shared_ptr<EventLog> events, TestConfig cfg)
      : label_(std::move(label)), events_(std::move(events)), cfg_(std::move(cfg)) {}

 protected:
  Status DoStart() {
    events_->Add("start " + label_);
    if (cfg_.fail_start) return FailedPreconditionError("configured to fail");
    return OkStatus();
  }
  Status DoShutdown(Deadline deadline) {
    events_->Add("stop " + label_);
    if (cfg_.shutdown_delay > config::Duration::zero()) {
      // Models a component that needs longer than it is given: it must still honour the deadline.
      std::mutex mu;
      std::condition_variable cv;
      std::unique_lock lock(mu);
      const auto want = std::chrono::steady_clock::now() + cfg_.shutdown_delay;
      cv.wait_until(lock, std::min(want, deadline));
      if (want > deadline) return DeadlineExceededError("shutdown deadline passed");
    }
    return OkStatus();
  }
  std::string label_;
  std::shared_ptr<EventLog> events_;
  TestConfig cfg_;
};

template <class B>
class TestExporter : public Exporter<B>, TestComponentBase {
 public:
  using TestComponentBase::TestComponentBase;
  Status Start(Host&) override { return DoStart(); }
  Status Shutdown(Deadline d) override { return DoShutdown(d); }
  Status Consume(B batch) override {
    events_->Add("consume " + label_ + " items=" + std::to_string(batch.ItemCount()));
    std::lock_guard lock(mu_);
    received_.push_back(std::move(batch));
    return OkStatus();
  }
  std::vector<B> Received() const {
    std::lock_guard lock(mu_);
    std::vector<B> out;
    for (const auto& b : received_) out.push_back(b.Clone());
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<B> received_;
};

template <class B>
class TestProcessor : public Processor<B>, TestComponentBase {
 public:
  TestProcessor(std::string label, std::shared_ptr<EventLog> events, TestConfig cfg,
                Consumer<B>& next)
      : TestComponentBase(std::move(label), std::move(events), std::move(cfg)), next_(next) {}
  Status Start(Host&) override { return DoStart(); }
  Status Shutdown(Deadline d) override { return DoShutdown(d); }
  Status Consume(B batch) override {
    events_->Add("consume " + label_ + " items=" + std::to_string(batch.ItemCount()));
    return next_.Consume(std::move(batch));
  }
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  Consumer<B>& next_;
};

class TestReceiver : public Receiver, TestComponentBase {
 public:
  TestReceiver(std::string label, std::shared_ptr<EventLog> events, TestConfig cfg,
               ReceiverConsumers next)
      : TestComponentBase(std::move(label), std::move(events), std::move(cfg)), next_(next) {}
  Status Start(Host&) override { return DoStart(); }
  Status Shutdown(Deadline d) override { return DoShutdown(d); }
  const ReceiverConsumers& next() const { return next_; }

 private:
  ReceiverConsumers next_;
};

class TestExtension : public Extension, TestComponentBase {
 public:
  using TestComponentBase::TestComponentBase;
  Status Start(Host&) override { return DoStart(); }
  Status Shutdown(Deadline d) override { return DoShutdown(d); }
};

// Every created receiver, by ID, so a test can push data into the graph through it.
struct TestReceiverDirectory {
  std::mutex mu;
  std::map<std::string, TestReceiver*> receivers;
};

template <class Base>
class TestFactory : public Base {
 public:
  TestFactory(std::string type, std::shared_ptr<EventLog> events,
              std::vector<std::string_view> aliases = {})
      : type_(std::move(type)), events_(std::move(events)), aliases_(std::move(aliases)) {}
  std::string_view type() const override { return type_; }
  std::vector<std::string_view> aliases() const override { return aliases_; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override {
    return std::make_unique<TestConfig>();
  }
  void DecodeConfig(config::MapReader& r, ComponentConfig& c) const override {
    auto& cfg = static_cast<TestConfig&>(c);
    r.Bool("fail_start", &cfg.fail_start);
    r.String("tag", &cfg.tag);
    r.Duration("shutdown_delay", &cfg.shutdown_delay);
  }

 protected:
  static const TestConfig& Cfg(const ComponentConfig& c) { return static_cast<const TestConfig&>(c); }
  std::string type_;
  std::shared_ptr<EventLog> events_;
  std::vector<std::string_view> aliases_;
};

class TestReceiverFactory : public TestFactory<ReceiverFactory> {
 public:
  TestReceiverFactory(std::shared_ptr<EventLog> events,
                      std::shared_ptr<TestReceiverDirectory> directory)
      : TestFactory("test_receiver", std::move(events)), directory_(std::move(directory)) {}
  bool Supports(Signal) const override { return true; }
  StatusOr<std::unique_ptr<Receiver>> Create(const CreateSettings& s, const ComponentConfig& c,
                                             ReceiverConsumers next) const override {
    auto r = std::make_unique<TestReceiver>("receiver/" + s.id.ToString(), events_, Cfg(c), next);
    std::lock_guard lock(directory_->mu);
    directory_->receivers[s.id.ToString()] = r.get();
    return std::unique_ptr<Receiver>(std::move(r));
  }

 private:
  std::shared_ptr<TestReceiverDirectory> directory_;
};

class TestProcessorFactory : public TestFactory<ProcessorFactory> {
 public:
  using TestFactory::TestFactory;
  bool Supports(Signal) const override { return true; }
  StatusOr<std::unique_ptr<TracesProcessor>> CreateTraces(const CreateSettings& s,
                                                          const ComponentConfig& c,
                                                          TracesConsumer& next) const override {
    return std::unique_ptr<TracesProcessor>(std::make_unique<TestProcessor<TracesBatch>>(
        "processor/" + s.id.ToString(), events_, Cfg(c), next));
  }
  StatusOr<std::unique_ptr<MetricsProcessor>> CreateMetrics(const CreateSettings& s,
                                                            const ComponentConfig& c,
                                                            MetricsConsumer& next) const override {
    return std::unique_ptr<MetricsProcessor>(std::make_unique<TestProcessor<MetricsBatch>>(
        "processor/" + s.id.ToString(), events_, Cfg(c), next));
  }
};

// Exports traces only, so tests can check "does not support metrics".
class TestExporterFactory : public TestFactory<ExporterFactory> {
 public:
  TestExporterFactory(std::shared_ptr<EventLog> events)
      : TestFactory("test_exporter", std::move(events), {"testexp"}) {}
  bool Supports(Signal s) const override { return s == Signal::kTraces; }
  StatusOr<std::unique_ptr<TracesExporter>> CreateTraces(const CreateSettings& s,
                                                         const ComponentConfig& c) const override {
    auto e = std::make_unique<TestExporter<TracesBatch>>("exporter/" + s.id.ToString(), events_, Cfg(c));
    exporters_[s.id.ToString()] = e.get();
    return std::unique_ptr<TracesExporter>(std::move(e));
  }
  mutable std::map<std::string, TestExporter<TracesBatch>*> exporters_;
};

class TestExtensionFactory : public TestFactory<ExtensionFactory> {
 public:
  using TestFactory::TestFactory;
  StatusOr<std::unique_ptr<Extension>> Create(const CreateSettings& s,
                                              const ComponentConfig& c) const override {
    return std::unique_ptr<Extension>(
        std::make_unique<TestExtension>("extension/" + s.id.ToString(), events_, Cfg(c)));
  }
};

}  // namespace otlpd::testing
