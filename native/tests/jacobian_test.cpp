// Singular values by one-sided Jacobi, and Jacobian spectra of small networks whose
// Jacobians are known in closed form.
#include <cmath>
#include <vector>

#include "check.h"
#include "spec_builders.h"
#include "core/train/rng.h"
#include "core/train/session.h"

using namespace vgl;

TEST(singular_values_of_a_diagonal_and_a_rotated_matrix) {
  std::vector<double> d = {3, 0, 0, 0, 1e-12, 0, 0, 0, 0.5};
  std::vector<double> s = singular_values(d, 3, 3);
  CHECK_NEAR(s[0], 3, 1e-12);
  CHECK_NEAR(s[1], 0.5, 1e-12);
  CHECK_NEAR(s[2] / 1e-12, 1, 1e-9);  // tiny values keep their relative accuracy
  // A = R diag(2, 0.25), R a rotation: singular values 2, 0.25 whatever the rotation.
  const double c = std::cos(0.7), n = std::sin(0.7);
  std::vector<double> a = {2 * c, -0.25 * n, 2 * n, 0.25 * c};
  s = singular_values(a, 2, 2);
  CHECK_NEAR(s[0], 2, 1e-12);
  CHECK_NEAR(s[1], 0.25, 1e-12);
}

TEST(singular_values_of_wide_and_tall_matrices_agree) {
  Rng rng(3);
  std::vector<double> a(5 * 3), at(3 * 5);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 3; ++j) at[j * 5 + i] = a[i * 3 + j] = rng.normal();
  std::vector<double> s1 = singular_values(a, 5, 3), s2 = singular_values(at, 3, 5);
  CHECK_EQ(s1.size(), size_t(3));
  CHECK_EQ(s2.size(), size_t(3));
  for (int i = 0; i < 3; ++i) CHECK_NEAR(s1[i], s2[i], 1e-12);
  // Frobenius norm = sqrt(sum s^2).
  double fro = 0, ss = 0;
  for (double v : a) fro += v * v;
  for (double v : s1) ss += v * v;
  CHECK_NEAR(fro, ss, 1e-10);
}

using vgl_test::node;

TEST(a_linear_network_has_the_spectrum_of_its_weight_product) {
  NetworkSpec s;
  s.loss = "mse";
  s.nodes = {node("x", "input", {{"features", 3}}), node("a", "dense", {{"units", 4}}), node("b", "dense", {{"units", 2}})};
  s.edges = {{"x", "a"}, {"a", "b"}};
  Session session(s, SessionOptions{});
  const float* w1 = session.params()[0].value.data();  // (4,3)
  const float* w2 = session.params()[2].value.data();  // (2,4)
  std::vector<double> prod(2 * 3, 0.0);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) prod[i * 3 + j] += double(w2[i * 4 + k]) * w1[k * 3 + j];
  std::vector<double> want = singular_values(prod, 2, 3);
  float x[3] = {0.3f, -1.0f, 2.0f};
  JacobianSpectra j = session.jacobian(x, 1);
  CHECK_EQ(j.network.size(), size_t(2));
  for (int i = 0; i < 2; ++i) CHECK_NEAR(j.network[i], want[i], 1e-5 * want[0]);
  CHECK_EQ(j.nodes[1].size(), size_t(3));  // node "a": (4,3) -> 3 values
}

TEST(a_sigmoid_node_jacobian_is_its_derivative) {
  NetworkSpec s;
  s.loss = "mse";
  s.nodes = {node("x", "input", {{"features", 2}}), node("s", "sigmoid"), node("o", "dense", {{"units", 2}})};
  s.edges = {{"x", "s"}, {"s", "o"}};
  Session session(s, SessionOptions{});
  float x[4] = {0.0f, 3.0f, -2.0f, 1.0f};
  JacobianSpectra j = session.jacobian(x, 2);
  auto d = [](double v) {
    const double y = 1 / (1 + std::exp(-v));
    return y * (1 - y);
  };
  CHECK_EQ(j.nodes[1].size(), size_t(4));  // 2 samples x 2 values
  CHECK_NEAR(j.nodes[1][0], d(0.0), 1e-6);
  CHECK_NEAR(j.nodes[1][1], d(3.0), 1e-6);
  CHECK_NEAR(j.nodes[1][2], d(1.0), 1e-6);
  CHECK_NEAR(j.nodes[1][3], d(-2.0), 1e-6);
}

TEST(jacobian_refuses_oversized_layers) {
  NetworkSpec s;
  s.loss = "mse";
  s.nodes = {node("x", "input", {{"features", 2}}), node("big", "dense", {{"units", 2000}}), node("o", "dense", {{"units", 1}})};
  s.edges = {{"x", "big"}, {"big", "o"}};
  Session session(s, SessionOptions{});
  float x[2] = {0, 0};
  CHECK_THROWS_WITH(session.jacobian(x, 1), "node \"big\" has 2000");
}
