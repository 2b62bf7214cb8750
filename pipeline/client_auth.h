// ClientAuthenticator: the seam between exporters and auth extensions (oauth2client). An
// exporter whose config says `auth: {authenticator: <extension id>}` finds the extension through
// Host::GetExtension at Start, casts it to this interface (a non-authenticator is a start
// error), and before every send attempt asks it for headers.
//
//   auto* auth = dynamic_cast<ClientAuthenticator*>(host.GetExtension(id));
//   StatusOr<AuthHeaders> headers = auth->GetRequestHeaders(attempt_deadline);
//   if (!headers.ok()) return headers.status();          // retryable: the token server is down
//   ... send; on HTTP 401: auth->Invalidate(); retry once with fresh headers ...
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pipeline/component.h"
#include "pipeline/status.h"

namespace otlpd {

// Header (HTTP) or metadata (gRPC) name/value pairs; names are lower case. Values are
// credentials: never log them.
using AuthHeaders = std::vector<std::pair<std::string, std::string>>;

class ClientAuthenticator {
 public:
  virtual ~ClientAuthenticator() = default;

  // Headers for one outgoing request. May block to fetch or refresh credentials, but not past
  // `deadline`; concurrent callers share one fetch. Failing to obtain credentials is a
  // retryable error (UNAVAILABLE): the data waits in the exporter's retry loop.
  virtual StatusOr<AuthHeaders> GetRequestHeaders(Deadline deadline) = 0;

  // The server refused the credentials last returned (HTTP 401 / UNAUTHENTICATED): forget them
  // so the next GetRequestHeaders fetches new ones.
  virtual void Invalidate() = 0;

  // Whether the credentials may travel over a connection without TLS. Exporters refuse to start
  // a plaintext connection with an authenticator that says no.
  virtual bool AllowsInsecureTransport() const { return false; }
};

}  // namespace otlpd
