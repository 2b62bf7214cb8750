// otlpgen: OTLP load generator. See GenUsage() in options.cc, or run `otlpgen --help`.
#include <curl/curl.h>

#include <iostream>
#include <string>
#include <vector>

#include "cmd/otlpgen/load_run.h"
#include "cmd/otlpgen/options.h"

int main(int argc, char** argv) {
  using namespace otlpd::otlpgen;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << GenUsage();
      return 0;
    }
  }
  otlpd::StatusOr<GenOptions> options = ParseGenOptions(args);
  if (!options.ok()) {
    std::cerr << "otlpgen: " << options.status().message() << "\n\n" << GenUsage();
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  otlpd::StatusOr<RunReport> report = RunLoad(*options);
  curl_global_cleanup();
  if (!report.ok()) {
    std::cerr << "otlpgen: " << report.status().ToString() << "\n";
    return 1;
  }
  std::cout << (options->json ? FormatJson(*report) : FormatText(*report));
  // Exit 1 when anything failed, so scripts notice without parsing the report.
  return report->requests_failed > 0 ? 1 : 0;
}
