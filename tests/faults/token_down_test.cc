// Token endpoint down: the exporter authenticates with oauth2client and the token server refuses
// connections. otlpd keeps accepting (the queue holds the data), retries, never crashes, never
// sends to the backend without a token, never prints the secret, and delivers everything it
// acknowledged once the token server is back.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/extensions/oauth2client/fake_token_server.h"
#include "tests/faults/fault_env.h"
#include "tests/faults/load_client.h"
#include "tests/support/otlpd_process.h"
#include "tests/support/span_backend.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::FakeTokenServer;
using testing::LoadClient;
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using namespace std::chrono_literals;

constexpr char kSecret[] = "faults-Secret-91c2e4";

TEST(TokenEndpointDownTest, DataWaitsForTheTokenAndIsDeliveredWhenItReturns) {
  // HTTPS: oauth2client refuses to send a token over plain HTTP.
  SpanBackend backend({.tls = true, .require_bearer = true});
  ASSERT_TRUE(backend.Start().ok());
  auto tokens = std::make_unique<FakeTokenServer>(
      FakeTokenServer::Options{
      .client_id = "faults", .client_secret = kSecret, .audience = "", .certificate = nullptr});
  ASSERT_TRUE(tokens->Start().ok());
  const std::string token_url = tokens->TokenUrl();
  const uint16_t token_port = tokens->http().port();
  tokens->Stop();  // down from the start: connection refused

  PipelineOptions p{.backend_url = backend.Url(), .token_url = token_url, .client_secret = kSecret};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  // Accepted while the token cannot be had: the queue holds it.
  LoadClient client({.grpc_target = otlpd.GrpcTarget()});
  for (int i = 0; i < 10; ++i) {
    const auto outcome = client.SendOnce(20);
    ASSERT_TRUE(outcome.ok) << outcome.code << " " << outcome.message;
  }
  // The failure is logged naming the token URL; nothing went to the backend without a token.
  ASSERT_TRUE(otlpd.process().WaitForOutput(token_url, 15s)) << otlpd.Output();
  EXPECT_EQ(backend.Requests(), 0u);
  EXPECT_TRUE(otlpd.Running()) << otlpd.Output();

  // The token server returns on its port: the waiting data goes out with a token.
  tokens = std::make_unique<FakeTokenServer>(FakeTokenServer::Options{
      .client_id = "faults", .client_secret = kSecret, .audience = "", .port = token_port, .certificate = nullptr});
  ASSERT_TRUE(tokens->Start().ok());
  const auto acked = client.Acked();
  ASSERT_EQ(acked.size(), 200u);
  EXPECT_TRUE(backend.WaitForAll(acked, 20s))
      << backend.Missing(acked).size() << " missing\n" << otlpd.Output();
  EXPECT_GE(tokens->Issued(), 1);
  EXPECT_THAT(backend.Problems(), IsEmpty());
  std::cout << "[ faults   ] token down: acked " << acked.size() << ", received "
            << backend.Distinct() << ", duplicates " << backend.Duplicates() << "\n";

  EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
  EXPECT_THAT(otlpd.Output(), Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace otlpd
