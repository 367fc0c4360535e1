// Small helpers to write network specs in the core tests.
#pragma once

#include <map>
#include <string>

#include "core/graph/spec.h"

namespace vgl_test {

inline vgl::NodeSpec node(const std::string& id, const std::string& type, std::map<std::string, double> numbers = {}) {
  vgl::NodeSpec n;
  n.id = id;
  n.type = type;
  n.numbers = std::move(numbers);
  return n;
}

}  // namespace vgl_test
