// The graph compiler's validation messages and the training session end to end.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "spec_builders.h"
#include "core/graph/plan.h"
#include "core/kernels/kernels.h"
#include "core/train/rng.h"
#include "core/train/session.h"

using namespace vgl;

namespace {

using vgl_test::node;

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

// A width beyond int64_t's range is reported as given; converting it to an integer
// for the message was undefined behaviour (found by UBSan through the addon).
TEST(compile_names_a_width_too_large_for_an_integer) {
  NetworkSpec s = mlp("relu", 4, 1);
  s.nodes[1].numbers["units"] = 1e20;
  CHECK_THROWS_WITH(compile_plan(s), "node \"d0\": units 1e+20 is over the limit of 65536");
  s.nodes[1].numbers["units"] = 1.7976931348623157e308;
  CHECK_THROWS_WITH(compile_plan(s), "node \"d0\": units 1.7976931348623157e+308 is over the limit of 65536");
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

// A traced step against an evaluation of the same (whole-set) batch: the gradient
// statistics and histograms describe the gradient before clipping, param_norm the
// weights before the update, update_ratio the step's length over that norm.
TEST(a_traced_step_records_the_gradient_before_clipping_and_the_weights_before_the_update) {
  std::vector<float> x;
  std::vector<int32_t> y;
  xor_data(32, x, y);
  TargetView target;
  target.labels = y.data();
  for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    Session s(mlp("tanh", 8, 2), SessionOptions{});
    s.set_data(x.data(), 32, 2, y.data(), nullptr, 0);
    TrainSettings t;
    t.batch_size = 32;  // the whole set: the step's batch is the evaluated one
    s.set_train_settings(t);
    const Evaluation e = s.evaluate(x.data(), 32, target, true);
    double total = 0;
    for (double g : e.param_grad_norms) total += g * g;
    OptimizerConfig c;
    c.kind = kind;
    c.lr = 0.05f;
    c.clip_norm = static_cast<float>(0.25 * std::sqrt(total));  // clips by 4: every bin moves by 0.6 decades
    s.set_optimizer(c);
    std::vector<std::vector<float>> before;
    for (const ParamState& p : s.params()) before.emplace_back(p.value.data(), p.value.data() + p.value.size());

    const StepOutcome o = s.step();
    CHECK(o.traced && !o.diverged);
    const TraceStore& tr = s.traces();
    const Plan& plan = s.plan();
    const size_t P = tr.param_names.size();
    CHECK_EQ(tr.rows(), int64_t(1));
    CHECK_EQ(tr.param_norm.size(), P);
    CHECK_EQ(tr.histogram.size(), P * (kHistBins + 1));
    size_t j = 0;  // trainable index
    bool clipping_shows = false;
    for (size_t i = 0; i < plan.params.size(); ++i) {
      const ParamInfo& info = plan.params[i];
      if (!info.trainable) continue;
      const std::vector<float>& g = e.param_grads[i];
      double sum_abs, sum_sq, w_sq = 0, d_sq = 0;
      float max_abs;
      std::vector<uint32_t> want(kHistBins + 1, 0), clipped(kHistBins + 1, 0);
      scalar_kernels().grad_stats(g.data(), info.size, kHistLo, kHistHi, kHistBins, want.data(), &sum_abs, &max_abs,
                                  &sum_sq);
      std::vector<float> scaled(g);
      for (float& v : scaled) v *= 0.25f;
      double ignored_d;
      float ignored_f;
      scalar_kernels().grad_stats(scaled.data(), info.size, kHistLo, kHistHi, kHistBins, clipped.data(), &ignored_d,
                                  &ignored_f, &ignored_d);
      for (int64_t k = 0; k < info.size; ++k) {
        const double w0 = before[i][k], d = s.params()[i].value[k] - w0;
        w_sq += w0 * w0;
        d_sq += d * d;
      }
      CHECK_NEAR(tr.grad_norm[j], std::sqrt(sum_sq), 1e-6 * std::sqrt(sum_sq));
      CHECK_NEAR(tr.grad_mean_abs[j], sum_abs / info.size, 1e-6 * sum_abs / info.size);
      CHECK_EQ(tr.grad_max_abs[j], max_abs);
      CHECK_NEAR(tr.param_norm[j], std::sqrt(w_sq), 1e-6 * std::sqrt(w_sq));
      if (w_sq > 0) {
        const double ratio = std::sqrt(d_sq / w_sq);  // from float differences: a few ulp of w per element
        CHECK_NEAR(tr.update_ratio[j], ratio, 1e-3 * ratio);
      } else {
        CHECK(std::isnan(tr.update_ratio[j]));  // a zero-initialised bias: no ratio
      }
      const uint32_t* row = tr.histogram.data() + j * (kHistBins + 1);
      if (!std::equal(want.begin(), want.end(), row))
        vgl_test::fail(__FILE__, __LINE__, info.name + ": the histogram is not that of the unclipped gradient");
      clipping_shows = clipping_shows || want != clipped;
      ++j;
    }
    CHECK(clipping_shows);  // otherwise this test could not tell the two apart
  }
}

// A diverged step is not applied and records no traced row, so every per-row
// column, histograms included, stays aligned with traced_step.
TEST(a_diverged_step_records_no_trace_row) {
  std::vector<float> x;
  std::vector<int32_t> y;
  xor_data(64, x, y);
  NetworkSpec spec = mlp("relu", 16, 3);
  for (auto& n : spec.nodes)
    if (n.type == "dense") {
      n.strings["init"] = "normal";
      n.numbers["init_scale"] = 30.0;
    }
  for (bool histogram : {true, false}) {
    Session s(spec, SessionOptions{});
    s.set_data(x.data(), 64, 2, y.data(), nullptr, 0);
    OptimizerConfig c;
    c.lr = 1e6f;
    s.set_optimizer(c);
    TrainSettings t;
    t.histogram = histogram;
    s.set_train_settings(t);
    int64_t finite = 0;
    bool diverged = false;
    for (int i = 0; i < 50 && !diverged; ++i) {
      diverged = s.step().diverged;
      if (!diverged) ++finite;
    }
    CHECK(diverged);
    const TraceStore& tr = s.traces();
    const size_t P = tr.param_names.size();
    CHECK_EQ(tr.rows(), finite);
    CHECK_EQ(tr.steps(), finite + 1);
    CHECK_EQ(tr.param_norm.size(), static_cast<size_t>(finite) * P);
    CHECK_EQ(tr.update_ratio.size(), static_cast<size_t>(finite) * P);
    CHECK_EQ(tr.histogram.size(), histogram ? static_cast<size_t>(finite) * P * (kHistBins + 1) : size_t(0));
  }
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

TEST(an_output_over_the_memory_cap_is_refused_before_allocating) {
  SessionOptions o;
  o.memory_cap_bytes = 64 * 1024 * 1024;  // the default batch of 32 takes 16 MiB
  NetworkSpec wide;
  wide.nodes = {vgl_test::node("x", "input", {{"features", 1}}), vgl_test::node("d", "dense", {{"units", 65536}})};
  wide.edges = {{"x", "d"}};
  wide.loss = "mse";
  Session s(wide, o);
  s.check_output_rows(256);  // 64 MiB exactly
  CHECK_THROWS_WITH(s.check_output_rows(257), "the output of 257 rows needs 64.2 MiB; the memory limit is 64.0 MiB");
  CHECK_THROWS_WITH(s.check_output_rows(1000000), "the output of 1000000 rows needs 244.1 GiB");
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
