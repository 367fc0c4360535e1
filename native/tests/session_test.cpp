// The graph compiler's validation messages and the training session end to end.
#include <cmath>
#include <vector>

#include "check.h"
#include "core/graph/plan.h"
#include "core/train/rng.h"
#include "core/train/session.h"

using namespace vgl;

namespace {

NodeSpec node(const std::string& id, const std::string& type, std::map<std::string, double> numbers = {}) {
  NodeSpec n;
  n.id = id;
  n.type = type;
  n.numbers = std::move(numbers);
  return n;
}

// x(2) -> d1(units) -> act -> d2(2), softmax cross-entropy.
NetworkSpec mlp(const std::string& act, int units, int depth) {
  NetworkSpec s;
  s.loss = "softmax_cross_entropy";
  s.nodes.push_back(node("x", "input", {{"features", 2}}));
  std::string prev = "x";
  for (int i = 0; i < depth; ++i) {
    const std::string d = "d" + std::to_string(i), a = "a" + std::to_string(i);
    s.nodes.push_back(node(d, "dense", {{"units", units}}));
    s.nodes.push_back(node(a, act));
    s.edges.push_back({prev, d});
    s.edges.push_back({d, a});
    prev = a;
  }
  s.nodes.push_back(node("out", "dense", {{"units", 2}}));
  s.edges.push_back({prev, "out"});
  return s;
}

// XOR-like data: label = sign(x0) != sign(x1).
void xor_data(int rows, std::vector<float>& x, std::vector<int32_t>& y) {
  Rng rng(7);
  x.resize(rows * 2);
  y.resize(rows);
  for (int r = 0; r < rows; ++r) {
    x[2 * r] = static_cast<float>(rng.uniform() * 2 - 1);
    x[2 * r + 1] = static_cast<float>(rng.uniform() * 2 - 1);
    y[r] = (x[2 * r] > 0) != (x[2 * r + 1] > 0);
  }
}

}  // namespace

TEST(compile_orders_nodes_and_counts_parameters) {
  Plan p = compile_plan(mlp("tanh", 8, 2));
  CHECK_EQ(p.nodes.size(), size_t(6));
  CHECK_EQ(p.nodes[0].id, std::string("x"));
  CHECK_EQ(p.nodes[p.output].id, std::string("out"));
  CHECK_EQ(p.trainable_parameter_count, int64_t(2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2));
}

TEST(compile_names_a_mismatched_in_features) {
  NetworkSpec s = mlp("relu", 16, 2);
  s.nodes[3].numbers["in_features"] = 32;  // d1 gets 16 from a0
  CHECK_THROWS_WITH(compile_plan(s), "node \"d1\": in_features 32 does not match the 16 produced by \"a0\"");
}

TEST(compile_rejects_cycles_dangling_edges_and_bad_arity) {
  NetworkSpec cyc = mlp("relu", 4, 2);
  cyc.edges.push_back({"a1", "d1"});
  CHECK_THROWS_WITH(compile_plan(cyc), "");
  NetworkSpec dangling = mlp("relu", 4, 1);
  dangling.edges.push_back({"a0", "ghost"});
  CHECK_THROWS_WITH(compile_plan(dangling), "names an unknown node \"ghost\"");
  NetworkSpec add = mlp("relu", 4, 1);
  add.nodes.push_back(node("s", "add"));
  add.edges.push_back({"out", "s"});
  CHECK_THROWS_WITH(compile_plan(add), "node \"s\": takes 2 inputs, it has 1");
}

TEST(compile_rejects_add_of_unequal_widths) {
  NetworkSpec s = mlp("relu", 4, 1);
  s.nodes.push_back(node("s", "add"));
  s.edges.push_back({"out", "s"});
  s.edges.push_back({"a0", "s"});
  CHECK_THROWS_WITH(compile_plan(s), "node \"s\": the inputs have 2 and 4 features");
}

TEST(compile_rejects_wrong_weight_sizes_and_unknown_types) {
  NetworkSpec s = mlp("relu", 4, 1);
  s.nodes[1].weights["weight"] = std::vector<float>(7, 0.0f);
  CHECK_THROWS_WITH(compile_plan(s), "node \"d0\": weights.weight has 7 values, expected 8 (4 x 2)");
  NetworkSpec t = mlp("relu", 4, 1);
  t.nodes[2].type = "swish";
  CHECK_THROWS_WITH(compile_plan(t), "node \"a0\": type \"swish\" is not a known layer type");
  NetworkSpec big = mlp("relu", 4, 1);
  big.nodes[1].numbers["units"] = 1e9;
  CHECK_THROWS_WITH(compile_plan(big), "node \"d0\": units 1000000000 is over the limit of 65536");
}

TEST(session_learns_xor_with_every_optimiser) {
  std::vector<float> x;
  std::vector<int32_t> y;
  xor_data(256, x, y);
  for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    Session s(mlp("tanh", 16, 2), SessionOptions{});
    s.set_data(x.data(), 256, 2, y.data(), nullptr, 0);
    OptimizerConfig c;
    c.kind = kind;
    c.lr = kind == OptimizerKind::Adam ? 0.01f : 0.1f;
    s.set_optimizer(c);
    TrainSettings t;
    t.batch_size = 64;
    t.trace_every = 10;
    s.set_train_settings(t);
    const double first = s.step().loss;
    StepOutcome last;
    for (int i = 0; i < 600; ++i) last = s.step();
    CHECK(last.loss < 0.5 * first);
    CHECK(last.accuracy > 0.85);
    CHECK_EQ(s.traces().steps(), int64_t(601));
    CHECK_EQ(s.traces().rows(), int64_t(61));
  }
}

TEST(same_seed_same_weights_other_seed_other_weights) {
  SessionOptions a;
  a.seed = 42;
  Session s1(mlp("relu", 8, 2), a), s2(mlp("relu", 8, 2), a);
  a.seed = 43;
  Session s3(mlp("relu", 8, 2), a);
  const Buffer& w1 = s1.params()[0].value;
  const Buffer& w2 = s2.params()[0].value;
  const Buffer& w3 = s3.params()[0].value;
  bool same = true, differ = false;
  for (int64_t i = 0; i < w1.size(); ++i) {
    same = same && w1[i] == w2[i];
    differ = differ || w1[i] != w3[i];
  }
  CHECK(same);
  CHECK(differ);
}

TEST(divergence_stops_with_the_step_and_node) {
  std::vector<float> x;
  std::vector<int32_t> y;
  xor_data(64, x, y);
  NetworkSpec spec = mlp("relu", 16, 3);
  for (auto& n : spec.nodes)
    if (n.type == "dense") {
      n.strings["init"] = "normal";
      n.numbers["init_scale"] = 30.0;
    }
  Session s(spec, SessionOptions{});
  s.set_data(x.data(), 64, 2, y.data(), nullptr, 0);
  OptimizerConfig c;
  c.lr = 1e6f;
  s.set_optimizer(c);
  bool diverged = false;
  std::string where;
  for (int i = 0; i < 50 && !diverged; ++i) {
    StepOutcome o = s.step();
    diverged = o.diverged;
    where = o.divergence;
  }
  CHECK(diverged);
  CHECK(where.find("training diverged at step") != std::string::npos);
  CHECK(where.find("node \"") != std::string::npos || where.find("loss") != std::string::npos);
}

TEST(bad_data_is_refused_with_row_and_feature) {
  Session s(mlp("relu", 4, 1), SessionOptions{});
  std::vector<float> x = {0, 1, 2, NAN};
  std::vector<int32_t> y = {0, 1};
  CHECK_THROWS_WITH(s.set_data(x.data(), 2, 2, y.data(), nullptr, 0), "data: row 1, feature 1 is NaN");
  x[3] = 1;
  y[1] = 5;
  CHECK_THROWS_WITH(s.set_data(x.data(), 2, 2, y.data(), nullptr, 0), "data: row 1 has class 5");
  CHECK_THROWS_WITH(s.set_data(x.data(), 2, 3, y.data(), nullptr, 0), "expects 2");
}

TEST(a_batch_over_the_memory_cap_is_refused_before_allocating) {
  SessionOptions o;
  o.memory_cap_bytes = 8 * 1024 * 1024;
  Session s(mlp("relu", 1024, 2), o);
  TrainSettings t;
  t.batch_size = 4096;
  CHECK_THROWS_WITH(s.set_train_settings(t), "the memory limit is 8.0 MiB");
}

TEST(evaluate_does_not_change_weights_and_predict_matches_output) {
  std::vector<float> x;
  std::vector<int32_t> y;
  xor_data(16, x, y);
  Session s(mlp("sigmoid", 8, 3), SessionOptions{});
  std::vector<float> before(s.params()[0].value.data(), s.params()[0].value.data() + s.params()[0].value.size());
  TargetView t;
  t.labels = y.data();
  Evaluation e = s.evaluate(x.data(), 16, t, false);
  CHECK(std::isfinite(e.loss));
  for (size_t i = 0; i < before.size(); ++i) CHECK_EQ(before[i], s.params()[0].value[i]);
  std::vector<float> out(16 * 2);
  s.predict(x.data(), 16, out.data());
  for (size_t i = 0; i < out.size(); ++i) CHECK_NEAR(out[i], e.output[i], 1e-6);
  // The vanishing-gradient profile: in a deep sigmoid net the first layer's output
  // gradient is smaller than the last hidden layer's.
  CHECK(e.node_grad_norms[1] < e.node_grad_norms[5]);
}
