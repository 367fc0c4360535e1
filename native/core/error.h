// The core's one error type. Core code throws vgl::Error with a message written for
// the user (naming the node and the field where there is one); the binding is the
// only place that catches it and turns it into a JavaScript Error. The core never
// prints, exits or aborts.
#pragma once

#include <stdexcept>
#include <string>

namespace vgl {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

}  // namespace vgl
