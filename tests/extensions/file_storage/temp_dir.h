// TempDir: a fresh directory for one test, removed with everything in it when the test ends.
//
//   TempDir dir;
//   SegmentLogOptions options = LogOptions(dir.path() + "/log");
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace otlpd::extension::file_storage {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "otlpd-file-storage-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    // Tests take write permission away from some directories; give it back to clean up.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace otlpd::extension::file_storage
