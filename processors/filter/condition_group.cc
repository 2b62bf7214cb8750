#include "processors/filter/condition_group.h"

#include <cstdint>
#include <map>
#include <utility>

#include "processors/filter/ottl/evaluator.h"

namespace otlpd::processor::filter {

std::string_view ErrorModeName(ErrorMode mode) {
  switch (mode) {
    case ErrorMode::kIgnore: return "ignore";
    case ErrorMode::kSilent: return "silent";
    case ErrorMode::kPropagate: return "propagate";
  }
  return "?";
}

void ConditionGroup::Add(std::unique_ptr<ottl::Condition> condition, ErrorMode mode) {
  entries_.push_back({std::move(condition), mode});
}

void ConditionGroup::Compile() {
  steps_.clear();
  sets_.clear();
  // Sets still accepting members, by the canonical spelling of their path.
  std::map<std::string, size_t> open;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const ottl::Condition& c = *entries_[i].condition;
    if (c.regex_match && !c.fallible) {
      const std::string& key = c.regex_match->path.canonical;
      auto it = open.find(key);
      if (it != open.end()) {
        sets_[it->second].members.push_back(i);
        continue;
      }
      open[key] = sets_.size();
      steps_.push_back({true, sets_.size()});
      sets_.push_back({c.regex_match->path, {i}, nullptr});
      continue;
    }
    steps_.push_back({false, i});
    // An error here must surface before any later condition is looked at.
    if (c.fallible && entries_[i].mode == ErrorMode::kPropagate) open.clear();
  }

  // A set of one is just its condition; the others become one RE2::Set each.
  std::vector<RegexSet> kept;
  std::vector<size_t> new_index(sets_.size());
  for (size_t s = 0; s < sets_.size(); ++s) {
    RegexSet& rs = sets_[s];
    if (rs.members.size() < 2) {
      new_index[s] = SIZE_MAX;
      continue;
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    bool ok = true;
    for (size_t m : rs.members) {
      std::string error;
      if (set->Add(entries_[m].condition->regex_match->pattern, &error) < 0) ok = false;
    }
    if (ok && set->Compile()) rs.set = std::move(set);
    new_index[s] = kept.size();
    kept.push_back(std::move(rs));
  }
  for (Step& step : steps_) {
    if (!step.is_set) continue;
    const size_t s = step.index;
    if (new_index[s] == SIZE_MAX) {
      step = {false, sets_[s].members[0]};
    } else {
      step.index = new_index[s];
    }
  }
  sets_ = std::move(kept);
}

bool ConditionGroup::EvaluateOne(const Entry& entry, const ottl::EvalContext& ctx,
                                 ConditionErrors* errors, bool* hit) const {
  std::string error;
  *hit = ottl::Evaluate(*entry.condition, ctx, &error);
  if (error.empty()) return true;
  *hit = false;
  switch (entry.mode) {
    case ErrorMode::kIgnore:
      if (errors->ignored++ == 0) {
        errors->first_ignored = "condition \"" + entry.condition->text + "\": " + error;
      }
      return true;
    case ErrorMode::kSilent:
      return true;
    case ErrorMode::kPropagate:
      errors->propagate = true;
      errors->propagate_message = "condition \"" + entry.condition->text + "\": " + error;
      return false;
  }
  return true;
}

bool ConditionGroup::Matches(const ottl::EvalContext& ctx, ConditionErrors* errors) const {
  bool hit = false;
  for (const Step& step : steps_) {
    if (!step.is_set) {
      if (!EvaluateOne(entries_[step.index], ctx, errors, &hit)) return false;
      if (hit) return true;
      continue;
    }
    const RegexSet& rs = sets_[step.index];
    if (rs.set == nullptr) {
      for (size_t m : rs.members) {
        if (!EvaluateOne(entries_[m], ctx, errors, &hit)) return false;
        if (hit) return true;
      }
      continue;
    }
    // Members are infallible (checked in Compile), so reading the path cannot fail.
    ottl::Value value;
    std::string error;
    if (!ottl::ReadPath(rs.path, ctx, &value, &error)) continue;
    std::string scratch;
    std::string_view text;
    if (ottl::StringLike(value, &scratch, &text) && rs.set->Match(text, nullptr)) return true;
  }
  return false;
}

}  // namespace otlpd::processor::filter
