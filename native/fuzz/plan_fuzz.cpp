// libFuzzer target: network specs -> compile_plan, and small compiled networks
// through one training step, an evaluation, a prediction and a Jacobian.
//
// The core has no JSON parser (the binding converts JavaScript objects into a
// vgl::NetworkSpec), so this target builds the struct itself from the fuzz bytes with
// FuzzedDataProvider. Names, types and parameter keys are mostly drawn from the ones
// the compiler knows, so the bytes reach the shape checks and the layers rather than
// dying at "unknown type"; numbers mix edge values (0, -1, NaN, Inf, the limits)
// with raw doubles. Any vgl::Error is a correct answer; a crash, a sanitizer report
// or a broken invariant of the compiled plan is a bug.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/graph/execute.h"
#include "core/graph/plan.h"
#include "core/graph/spec.h"
#include "core/train/session.h"

namespace {

// Aborts with a message libFuzzer shows: an invariant the rest of the engine relies on.
#define FUZZ_ASSERT(cond)                                              \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                    \
    }                                                                  \
  } while (0)

const char* const kTypes[] = {"input",   "dense",     "linear",    "sigmoid", "tanh", "relu",
                              "leaky_relu", "elu",    "gelu",      "softplus", "batchnorm", "layernorm",
                              "dropout", "add",       "rnn",       "lstm",    "gru"};
const char* const kNumberKeys[] = {"units", "in_features", "features", "sequence_length", "hidden_size", "slope",
                                   "alpha", "eps",         "momentum", "p",               "init_scale",  "forget_bias"};
const char* const kStringKeys[] = {"init", "recurrent_init", "nonlinearity", "return"};
const char* const kStrings[] = {"xavier_uniform", "he_normal", "lecun_uniform", "normal", "zeros", "orthogonal",
                                "pytorch_default", "tanh",     "relu",          "last",   "sequence", ""};
const char* const kWeights[] = {"weight", "bias", "gamma", "beta", "running_mean", "running_var",
                                "weight_ih", "weight_hh", "bias_ih", "bias_hh"};
const char* const kLosses[] = {"softmax_cross_entropy", "mse", "bce_with_logits", "", "hinge"};

template <size_t N>
const char* pick(FuzzedDataProvider& in, const char* const (&table)[N]) {
  return table[in.ConsumeIntegralInRange<size_t>(0, N - 1)];
}

double number(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 9)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return in.ConsumeBool() ? INFINITY : -INFINITY;
    case 2: return in.ConsumeFloatingPoint<double>();  // anything, 1e308 included
    case 3: return static_cast<double>(in.ConsumeIntegralInRange<int64_t>(-2, 70000));
    case 4: return in.ConsumeProbability<double>();
    case 5: return in.ConsumeBool() ? static_cast<double>(vgl::kMaxFeatures) + 1 : 1e20;
    default: return static_cast<double>(in.ConsumeIntegralInRange<int>(0, 6));  // small widths, mostly valid
  }
}

std::string id_for(FuzzedDataProvider& in, size_t count) {
  // Usually one of the node ids n0..n{count-1}; now and then a stray or odd name.
  if (in.ConsumeIntegralInRange<int>(0, 15) == 0) return in.ConsumeRandomLengthString(70);
  return "n" + std::to_string(in.ConsumeIntegralInRange<size_t>(0, count ? count - 1 : 0));
}

vgl::NetworkSpec build_spec(FuzzedDataProvider& in) {
  vgl::NetworkSpec spec;
  const size_t count = in.ConsumeIntegralInRange<size_t>(0, 10);
  for (size_t i = 0; i < count; ++i) {
    vgl::NodeSpec n;
    n.id = in.ConsumeIntegralInRange<int>(0, 20) == 0 ? in.ConsumeRandomLengthString(70) : "n" + std::to_string(i);
    n.type = i == 0 ? "input" : in.ConsumeIntegralInRange<int>(0, 30) == 0 ? in.ConsumeRandomLengthString(12)
                                                                              : pick(in, kTypes);
    if (n.type == "input") n.numbers["features"] = static_cast<double>(in.ConsumeIntegralInRange<int>(1, 4));
    if (n.type == "dense") n.numbers["units"] = static_cast<double>(in.ConsumeIntegralInRange<int>(1, 5));
    if (n.type == "rnn" || n.type == "lstm" || n.type == "gru")
      n.numbers["hidden_size"] = static_cast<double>(in.ConsumeIntegralInRange<int>(1, 4));
    const int extra = in.ConsumeIntegralInRange<int>(0, 3);
    for (int k = 0; k < extra; ++k) {
      switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0:
        case 1: n.numbers[pick(in, kNumberKeys)] = number(in); break;
        case 2: n.strings[pick(in, kStringKeys)] = pick(in, kStrings); break;
        case 3: n.flags["bias"] = in.ConsumeBool(); break;
      }
    }
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) {
      std::vector<float> values(in.ConsumeIntegralInRange<size_t>(0, 40));
      for (float& v : values) v = static_cast<float>(number(in));
      n.weights[pick(in, kWeights)] = std::move(values);
    }
    spec.nodes.push_back(std::move(n));
  }
  // Mostly a chain (so most graphs are valid), then random extra edges: skips, joins,
  // cycles, self-loops, dangling names.
  for (size_t i = 1; i < count; ++i)
    if (in.ConsumeIntegralInRange<int>(0, 7) != 0) spec.edges.push_back({"n" + std::to_string(i - 1), "n" + std::to_string(i)});
  const size_t extra_edges = in.ConsumeIntegralInRange<size_t>(0, 4);
  for (size_t e = 0; e < extra_edges; ++e) spec.edges.push_back({id_for(in, count), id_for(in, count)});
  spec.loss = pick(in, kLosses);
  return spec;
}

// What compile_plan promises the rest of the engine.
void check_plan(const vgl::Plan& plan) {
  FUZZ_ASSERT(!plan.nodes.empty());
  FUZZ_ASSERT(plan.nodes[0].kind == vgl::OpKind::Input);
  FUZZ_ASSERT(plan.output > 0 && plan.output < static_cast<int>(plan.nodes.size()));
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    const vgl::PlanNode& n = plan.nodes[k];
    FUZZ_ASSERT(n.features >= 1 && n.time >= 1);
    for (int src : n.inputs) FUZZ_ASSERT(src >= 0 && src < static_cast<int>(k));  // topological
    FUZZ_ASSERT(n.param_begin + n.param_count <= static_cast<int>(plan.params.size()));
  }
  for (const vgl::ParamInfo& p : plan.params) FUZZ_ASSERT(p.size == p.rows * p.cols && p.size >= 1);
}

// A small compiled network runs: a step on a tiny data set, an evaluation, a
// prediction and the Jacobian spectra. Larger ones are skipped to keep runs fast.
void exercise(const vgl::NetworkSpec& spec, const vgl::Plan& plan, FuzzedDataProvider& in) {
  if (plan.trainable_parameter_count > 4000 || plan.input_width() > 64 || plan.output_width() > 64) return;
  const int64_t rows = in.ConsumeIntegralInRange<int64_t>(1, 5);
  if (vgl::workspace_bytes(plan, rows) > (1 << 20)) return;
  vgl::SessionOptions options;
  options.seed = in.ConsumeIntegral<uint8_t>();
  vgl::Session session(spec, options);
  std::vector<float> x(static_cast<size_t>(rows * plan.input_width()));
  for (float& v : x) v = static_cast<float>(in.ConsumeIntegralInRange<int>(-300, 300)) / 100.0f;
  std::vector<int32_t> labels(static_cast<size_t>(rows * plan.labels_per_sample()));
  for (int32_t& l : labels) l = in.ConsumeIntegralInRange<int32_t>(0, static_cast<int32_t>(plan.output_features - 1));
  std::vector<float> targets(static_cast<size_t>(rows * plan.output_width()));
  for (float& t : targets) t = in.ConsumeProbability<float>();
  const bool classes = plan.loss == vgl::LossKind::SoftmaxCrossEntropy;
  session.set_data(x.data(), rows, plan.input_width(), classes ? labels.data() : nullptr,
                   classes ? nullptr : targets.data(), plan.output_width());
  vgl::TrainSettings settings;
  settings.batch_size = in.ConsumeIntegralInRange<int64_t>(1, 4);
  settings.histogram = in.ConsumeBool();
  session.set_train_settings(settings);
  vgl::OptimizerConfig opt;
  opt.kind = static_cast<vgl::OptimizerKind>(in.ConsumeIntegralInRange<int>(0, 2));
  opt.clip_norm = in.ConsumeBool() ? 1.0f : 0.0f;
  session.set_optimizer(opt);
  for (int s = 0; s < 2; ++s) session.step();
  vgl::TargetView target{labels.data(), targets.data()};
  const vgl::Evaluation e = session.evaluate(x.data(), rows, target, in.ConsumeBool());
  FUZZ_ASSERT(static_cast<int64_t>(e.output.size()) == rows * plan.output_width());
  std::vector<float> out(static_cast<size_t>(rows * plan.output_width()));
  session.predict(x.data(), rows, out.data());
  if (plan.input_width() <= 16 && plan.output_width() <= 16) session.jacobian(x.data(), 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const vgl::NetworkSpec spec = build_spec(in);
  try {
    const vgl::Plan plan = vgl::compile_plan(spec);
    check_plan(plan);
    exercise(spec, plan, in);
  } catch (const vgl::Error& e) {
    FUZZ_ASSERT(e.what()[0] != '\0');  // every refusal says why
  }
  return 0;
}
