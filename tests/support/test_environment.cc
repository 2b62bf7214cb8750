// Linked into every test binary: exports OTLPD_SOURCE_DIR and OTLPD_BUILD_DIR (unless the
// caller already set them) from the paths CMake compiled in, so a test finds its data and the
// otlpd binary however it is started: ctest, directly, or under a debugger.
#include <cstdlib>

namespace {

struct ExportTestPaths {
  ExportTestPaths() {
    setenv("OTLPD_SOURCE_DIR", OTLPD_TEST_SOURCE_DIR, /*overwrite=*/0);
    setenv("OTLPD_BUILD_DIR", OTLPD_TEST_BUILD_DIR, /*overwrite=*/0);
  }
} export_test_paths;

}  // namespace
