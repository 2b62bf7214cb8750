// Listening addresses: parsing the `endpoint` key (host:port) and turning it into the one socket
// address a server binds, the same way for gRPC and HTTP.
//
//   std::optional<HostPort> hp = ParseHostPort("localhost:4318");      // {"localhost", 4318}
//   StatusOr<boost::asio::ip::tcp::endpoint> ep = ResolveListenEndpoint(*hp);
//   FormatEndpoint(*ep);                                                 // "127.0.0.1:4318"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "pipeline/status.h"

namespace otlpd::receiver::otlp {

struct HostPort {
  std::string host;  // empty = every interface; IPv6 literals without brackets
  uint16_t port = 0;
};

// "host:port", "[v6]:port" or ":port"; the port is decimal 0..65535. nullopt when malformed.
std::optional<HostPort> ParseHostPort(std::string_view endpoint);

// The address to bind: literals as they are, an empty host as 0.0.0.0, and a name through the
// resolver, preferring IPv4 as Go does for "localhost" (so the Collector's default endpoints
// mean the same thing here). UNAVAILABLE when the name does not resolve.
StatusOr<boost::asio::ip::tcp::endpoint> ResolveListenEndpoint(const HostPort& hp);

// "127.0.0.1:4317", "[::1]:4317".
std::string FormatEndpoint(const boost::asio::ip::tcp::endpoint& ep);

// Why binding `ep` fails right now ("address already in use"), or OK when it would succeed.
// Used to explain a failed gRPC start, since gRPC itself only says that it failed.
Status ProbeBind(const boost::asio::ip::tcp::endpoint& ep);

// An error message from the system, in the lower case Go uses ("address already in use").
std::string LowerFirst(std::string message);

}  // namespace otlpd::receiver::otlp
