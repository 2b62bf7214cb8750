// The list of every component otlpd ships, in one place (house doc section 2): adding a
// component means adding one line to components.cc.
//
//   Registry registry;
//   if (Status s = RegisterComponents(registry); !s.ok()) ...;   // a duplicate is a bug
#pragma once

#include "pipeline/registry.h"

namespace otlpd {

Status RegisterComponents(Registry& registry);

}  // namespace otlpd
