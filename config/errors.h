// config::Errors: every problem found in a config, collected across all validation passes so
// that a user sees them all at once, one line each:
//
//   config.yaml:27:7: processors::batch::send_batch_max_size: must be >= send_batch_size (1024), got 100
//
//   Errors errors;
//   errors.Add(node.location(), "processors::batch::timeout", "invalid duration \"10\"");
//   if (!errors.empty()) std::cerr << errors.ToString();
#pragma once

#include <string>
#include <vector>

#include "config/node.h"

namespace otlpd::config {

struct Error {
  Location location;
  std::string path;     // "a::b::c", "service::pipelines::traces::processors[3]"; may be empty
  std::string message;
  // "file:line:col: path: message" (parts that are empty are left out).
  std::string ToString() const;
};

class Errors {
 public:
  void Add(Location location, std::string path, std::string message);
  // A warning (e.g. an unset variable) does not make the config invalid.
  void Warn(Location location, std::string path, std::string message);

  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<Error>& errors() const { return errors_; }
  const std::vector<Error>& warnings() const { return warnings_; }
  // Every error, one line each, sorted by file (in order of first appearance), line and column;
  // errors at the same place keep the order they were found in.
  std::string ToString() const;

 private:
  std::vector<Error> errors_;
  std::vector<Error> warnings_;
};

}  // namespace otlpd::config
