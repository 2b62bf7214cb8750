#include "receivers/otlp/endpoint.h"

#include <charconv>

#include <boost/asio/io_context.hpp>

namespace otlpd::receiver::otlp {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::optional<HostPort> ParseHostPort(std::string_view endpoint) {
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = endpoint.substr(0, colon);
  const std::string_view port = endpoint.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // a bare IPv6 literal needs brackets
  }
  if (port.empty() || port.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
  return HostPort{std::string(host), static_cast<uint16_t>(value)};
}

StatusOr<tcp::endpoint> ResolveListenEndpoint(const HostPort& hp) {
  if (hp.host.empty()) return tcp::endpoint(net::ip::address_v4::any(), hp.port);
  boost::system::error_code ec;
  const net::ip::address literal = net::ip::make_address(hp.host, ec);
  if (!ec) return tcp::endpoint(literal, hp.port);

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(hp.host, std::to_string(hp.port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return UnavailableError("cannot resolve \"" + hp.host + "\": " + LowerFirst(ec.message()));
  }
  for (const auto& r : results) {
    if (r.endpoint().address().is_v4()) return r.endpoint();
  }
  return results.begin()->endpoint();
}

std::string FormatEndpoint(const tcp::endpoint& ep) {
  const std::string addr = ep.address().to_string();
  if (ep.address().is_v6()) return "[" + addr + "]:" + std::to_string(ep.port());
  return addr + ":" + std::to_string(ep.port());
}

Status ProbeBind(const tcp::endpoint& ep) {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc);
  boost::system::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (ec) return UnavailableError(LowerFirst(ec.message()));
  return OkStatus();
}

std::string LowerFirst(std::string message) {
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' &&
      (message.size() == 1 || !(message[1] >= 'A' && message[1] <= 'Z'))) {
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  }
  return message;
}

}  // namespace otlpd::receiver::otlp
