#include "config/errors.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <utility>

namespace otlpd::config {

std::string Error::ToString() const {
  std::string out;
  auto append = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += ": ";
    out += part;
  };
  append(location.ToString());
  append(path);
  append(message);
  return out;
}

void Errors::Add(Location location, std::string path, std::string message) {
  errors_.push_back(Error{std::move(location), std::move(path), std::move(message)});
}

void Errors::Warn(Location location, std::string path, std::string message) {
  warnings_.push_back(Error{std::move(location), std::move(path), std::move(message)});
}

std::string Errors::ToString() const {
  // Files rank in the order they first show up, not alphabetically: that is the order the user
  // gave them on the command line (and passes report them).
  std::map<std::string, size_t> file_rank;
  for (const Error& e : errors_) file_rank.emplace(e.location.file, file_rank.size());

  std::vector<size_t> order(errors_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Location& la = errors_[a].location;
    const Location& lb = errors_[b].location;
    size_t ra = file_rank[la.file];
    size_t rb = file_rank[lb.file];
    if (ra != rb) return ra < rb;
    if (la.line != lb.line) return la.line < lb.line;
    return la.column < lb.column;
  });

  std::string out;
  for (size_t i : order) {
    out += errors_[i].ToString();
    out += '\n';
  }
  return out;
}

}  // namespace otlpd::config
