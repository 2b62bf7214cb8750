// DidYouMean (declared in config/map_reader.h): the "did you mean" behind every unknown key and
// unknown component type.
#include <algorithm>
#include <string>
#include <vector>

#include "config/map_reader.h"

namespace otlpd::config {
namespace {

size_t Levenshtein(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& candidates) {
  // A typo changes a few characters; longer words tolerate a few more. The distance must also
  // stay below the longer length, or "ab" would "mean" any two-letter key.
  const size_t threshold = std::max<size_t>(2, word.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    size_t d = Levenshtein(word, candidate);
    if (d > threshold || d >= std::max(word.size(), candidate.size())) continue;
    if (best == nullptr || d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace otlpd::config
