// ConditionGroup: the parsed conditions of one OTTL context (e.g. every span condition of a
// filter), evaluated as "drop the item when any condition holds", with each condition's
// error_mode applied to run-time errors.
//
// Speed: conditions of the form IsMatch(<path>, "<re>") on the same path are merged into one
// RE2::Set, so the two regexes of the reference config cost one pass over each span name. The
// merge keeps the Collector's results exactly: a set is evaluated where its first member stands,
// and a set never absorbs a member across a condition that could fail under error_mode
// propagate (whose error must still win if it comes first).
//
//   ConditionGroup group;
//   group.Add(std::move(parsed_condition), ErrorMode::kIgnore);
//   group.Compile();                                     // once, after the last Add
//   ConditionErrors errors;
//   bool drop = group.Matches(ctx, &errors);             // thread-safe
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/set.h>

#include "processors/filter/ottl/ast.h"

namespace otlpd::processor::filter {

// What to do when a condition fails at run time (error_mode).
enum class ErrorMode { kIgnore, kSilent, kPropagate };
std::string_view ErrorModeName(ErrorMode mode);

// The run-time errors met while filtering one batch.
struct ConditionErrors {
  int64_t ignored = 0;         // errors under ignore: the condition counted as false, logged
  std::string first_ignored;   // the first of them, for the log line
  bool propagate = false;      // an error under propagate: the whole batch fails
  std::string propagate_message;
};

class ConditionGroup {
 public:
  ConditionGroup() = default;
  ConditionGroup(ConditionGroup&&) = default;
  ConditionGroup& operator=(ConditionGroup&&) = default;

  void Add(std::unique_ptr<ottl::Condition> condition, ErrorMode mode);
  // Plans the evaluation (merges regexes). Call once, after the last Add.
  void Compile();

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // The i-th condition added, for planning what an evaluation reads (i < size()).
  const ottl::Condition& condition(size_t i) const { return *entries_[i].condition; }
  // How many RE2::Sets the plan uses (each replaces two or more IsMatch conditions).
  size_t regex_set_count() const { return sets_.size(); }

  // True when a condition holds. Errors are recorded in `errors`; after an error under
  // propagate it stops and returns false with errors->propagate set.
  bool Matches(const ottl::EvalContext& ctx, ConditionErrors* errors) const;

 private:
  struct Entry {
    std::unique_ptr<ottl::Condition> condition;
    ErrorMode mode;
  };
  struct RegexSet {
    ottl::PathRef path;
    std::vector<size_t> members;     // indexes into entries_
    std::unique_ptr<RE2::Set> set;   // null when RE2 refused the set: members run one by one
  };
  struct Step {
    bool is_set;
    size_t index;  // into sets_ or entries_
  };

  // False when an error under propagate stopped the evaluation. `*hit` is the condition's value.
  bool EvaluateOne(const Entry& entry, const ottl::EvalContext& ctx, ConditionErrors* errors,
                   bool* hit) const;

  std::vector<Entry> entries_;
  std::vector<RegexSet> sets_;
  std::vector<Step> steps_;
};

}  // namespace otlpd::processor::filter
