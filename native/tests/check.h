// A tiny test harness for the C++ core: TEST registers a function, CHECK* record
// failures with file and line, check_main.cpp runs everything and returns non-zero
// on any failure. Chosen over a framework so the core tests need nothing installed.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace vgl_test {

struct Case {
  const char* name;
  std::function<void()> fn;
};

std::vector<Case>& registry();
void fail(const char* file, int line, const std::string& what);
int failures_in_current();

struct Registrar {
  Registrar(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};

}  // namespace vgl_test

#define VGL_TEST_CAT2(a, b) a##b
#define VGL_TEST_CAT(a, b) VGL_TEST_CAT2(a, b)
#define TEST(name)                                                                              \
  static void VGL_TEST_CAT(vgl_test_fn_, name)();                                               \
  static ::vgl_test::Registrar VGL_TEST_CAT(vgl_test_reg_, name)(#name, VGL_TEST_CAT(vgl_test_fn_, name)); \
  static void VGL_TEST_CAT(vgl_test_fn_, name)()

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) ::vgl_test::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_EQ(a, b)                                                              \
  do {                                                                              \
    auto vgl_a_ = (a);                                                              \
    auto vgl_b_ = (b);                                                              \
    if (!(vgl_a_ == vgl_b_)) {                                                      \
      std::ostringstream vgl_os_;                                                   \
      vgl_os_ << "CHECK_EQ(" #a ", " #b "): " << vgl_a_ << " != " << vgl_b_;        \
      ::vgl_test::fail(__FILE__, __LINE__, vgl_os_.str());                          \
    }                                                                               \
  } while (0)

// |a - b| <= tol, with NaN always failing.
#define CHECK_NEAR(a, b, tol)                                                               \
  do {                                                                                      \
    double vgl_a_ = static_cast<double>(a);                                                 \
    double vgl_b_ = static_cast<double>(b);                                                 \
    double vgl_t_ = static_cast<double>(tol);                                               \
    if (!(std::fabs(vgl_a_ - vgl_b_) <= vgl_t_)) {                                          \
      std::ostringstream vgl_os_;                                                           \
      vgl_os_.precision(9);                                                                 \
      vgl_os_ << "CHECK_NEAR(" #a ", " #b "): " << vgl_a_ << " vs " << vgl_b_ << " (tol " << vgl_t_ << ")"; \
      ::vgl_test::fail(__FILE__, __LINE__, vgl_os_.str());                                  \
    }                                                                                       \
  } while (0)

// Runs `stmt` and checks it throws vgl::Error whose message contains `needle`.
#define CHECK_THROWS_WITH(stmt, needle)                                                     \
  do {                                                                                      \
    bool vgl_thrown_ = false;                                                               \
    try {                                                                                   \
      stmt;                                                                                 \
    } catch (const std::exception& vgl_e_) {                                                \
      vgl_thrown_ = true;                                                                   \
      if (std::string(vgl_e_.what()).find(needle) == std::string::npos)                     \
        ::vgl_test::fail(__FILE__, __LINE__, std::string("message '") + vgl_e_.what() +     \
                                                 "' lacks '" + (needle) + "'");             \
    }                                                                                       \
    if (!vgl_thrown_) ::vgl_test::fail(__FILE__, __LINE__, "expected an exception: " #stmt); \
  } while (0)
