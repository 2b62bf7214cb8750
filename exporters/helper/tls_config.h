// Client-side TLS settings (`tls`) shared by the OTLP exporters, with the Collector's keys.
//
//   TlsClientConfig tls;
//   if (auto r = reader.Child("tls")) { DecodeTlsClientConfig(*r, tls); r->Finish(); }
//   Status s = CheckTlsFilesReadable(tls);   // at Start: a missing ca_file is a start error
#pragma once

#include <string>

#include "config/map_reader.h"
#include "pipeline/status.h"

namespace otlpd::exporter::helper {

struct TlsClientConfig {
  // insecure: default false. gRPC: plaintext instead of TLS. HTTP: the URL scheme decides, so
  // otlp_http only accepts it where it agrees with the scheme.
  bool insecure = false;
  // insecure_skip_verify: default false. Encrypt, but accept any server certificate.
  bool insecure_skip_verify = false;
  // ca_file: default none (the system's trust store). PEM file of the CAs to trust.
  std::string ca_file;
  // cert_file, key_file: default none; both or neither. Client certificate and key (PEM).
  std::string cert_file;
  std::string key_file;
  // min_version: default "1.2"; "1.2" | "1.3".
  std::string min_version = "1.2";
  // server_name_override: default none. The name sent in SNI and checked in the certificate
  // instead of the endpoint's host.
  std::string server_name_override;
};

// Reads and validates the keys of a `tls` map (not Finish(): the caller does that).
void DecodeTlsClientConfig(config::MapReader& reader, TlsClientConfig& cfg);

// FAILED_PRECONDITION naming the key and file when a configured file cannot be read.
Status CheckTlsFilesReadable(const TlsClientConfig& cfg);

// The whole content of a file, or FAILED_PRECONDITION naming `what` and the path.
StatusOr<std::string> ReadFileForConfig(const std::string& path, const std::string& what);

}  // namespace otlpd::exporter::helper
