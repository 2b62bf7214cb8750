#include "exporters/helper/tls_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace otlpd::exporter::helper {

void DecodeTlsClientConfig(config::MapReader& r, TlsClientConfig& cfg) {
  r.Bool("insecure", &cfg.insecure);
  r.Bool("insecure_skip_verify", &cfg.insecure_skip_verify);
  r.String("ca_file", &cfg.ca_file);
  r.String("cert_file", &cfg.cert_file);
  r.String("key_file", &cfg.key_file);
  r.Enum("min_version", &cfg.min_version, {"1.2", "1.3"});
  r.String("server_name_override", &cfg.server_name_override);
  if (cfg.cert_file.empty() != cfg.key_file.empty()) {
    r.Error(cfg.cert_file.empty() ? "cert_file" : "key_file",
            "cert_file and key_file must be set together");
  }
}

StatusOr<std::string> ReadFileForConfig(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FailedPreconditionError("cannot read " + what + " \"" + path +
                                   "\": " + std::strerror(errno));
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Status CheckTlsFilesReadable(const TlsClientConfig& cfg) {
  const std::pair<const std::string*, const char*> files[] = {
      {&cfg.ca_file, "tls::ca_file"},
      {&cfg.cert_file, "tls::cert_file"},
      {&cfg.key_file, "tls::key_file"}};
  for (const auto& [path, what] : files) {
    if (path->empty()) continue;
    StatusOr<std::string> content = ReadFileForConfig(*path, what);
    if (!content.ok()) return content.status();
  }
  return OkStatus();
}

}  // namespace otlpd::exporter::helper
