#include <cstdio>
#include <cstdlib>

#include "check.h"
#include "core/kernels/kernels.h"

namespace vgl_test {

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

static int g_current_failures = 0;

void fail(const char* file, int line, const std::string& what) {
  ++g_current_failures;
  if (g_current_failures <= 20) std::fprintf(stderr, "  %s:%d: %s\n", file, line, what.c_str());
}

int failures_in_current() { return g_current_failures; }

}  // namespace vgl_test

int main() {
  int failed = 0;
  const auto& cases = vgl_test::registry();
  std::printf("ISA: %s\n", vgl::isa_name(vgl::active_isa()));
  for (const auto& c : cases) {
    vgl_test::g_current_failures = 0;
    try {
      c.fn();
    } catch (const std::exception& e) {
      vgl_test::fail(__FILE__, __LINE__, std::string("uncaught exception: ") + e.what());
    }
    std::printf("%-60s %s\n", c.name, vgl_test::g_current_failures ? "FAILED" : "ok");
    if (vgl_test::g_current_failures) ++failed;
  }
  std::printf("%zu cases, %d failed\n", cases.size(), failed);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
