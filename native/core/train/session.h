// A training session: one compiled network, its parameters, its data set, its
// optimiser and its traces. step() is the whole training step (batch, forward,
// loss, backward, clipping, traces, update) in one native call.
// Not thread-safe: the binding lets one call at a time in (steps_done() excepted).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/graph/execute.h"
#include "core/graph/plan.h"
#include "core/graph/spec.h"
#include "core/trace/jacobian.h"
#include "core/trace/trace_store.h"
#include "core/train/optimizer.h"

namespace vgl {

struct SessionOptions {
  uint64_t seed = 0;
  double memory_cap_bytes = 2.0 * 1024 * 1024 * 1024;  // activations + gradients of one batch
};

struct TrainSettings {
  int64_t batch_size = 32;
  int64_t trace_every = 1;  // a traced row every k steps (k >= 1)
  bool histogram = true;
  // Per-node activation statistics (mean, std, saturation) on traced steps. Off, a traced
  // step records only norms (and histograms when on): the "traces on" of the benchmark
  // workloads. The columns are kept, NaN where not recorded.
  bool activation_stats = true;
};

struct StepOutcome {
  double loss = 0.0;
  double accuracy = 0.0;
  bool traced = false;
  bool diverged = false;
  std::string divergence;  // where NaN/Inf first appeared, for the user
};

// Everything one forward + backward pass (without an update) produced, for the
// reference cases and the tests.
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
  std::vector<float> output;      // (rows, output_features)
  std::vector<float> input_grad;  // (rows, input_features)
  std::vector<double> node_grad_norms;   // per plan node, ||dL/d output||
  std::vector<double> param_grad_norms;  // per plan param (0 for non-trainable)
  std::vector<std::vector<float>> param_grads;  // per plan param
  // Per plan node: for recurrent nodes ||dL/dh_t|| for every t (total derivative), else empty.
  std::vector<std::vector<double>> timestep_grad_norms;
};

class Session {
 public:
  Session(const NetworkSpec& spec, const SessionOptions& options);

  const Plan& plan() const { return plan_; }
  const TraceStore& traces() const { return traces_; }
  // The one member safe to read while another thread runs step(): the binding's
  // stepsDone accessor reports progress during train().
  int64_t steps_done() const { return step_.load(std::memory_order_relaxed); }

  // The training set: x (rows, input_features); for softmax cross-entropy `labels`
  // (rows) in [0, classes), otherwise `targets` (rows, output_features). Validated
  // (finite values, label range), then copied.
  void set_data(const float* x, int64_t rows, int64_t features, const int32_t* labels, const float* targets,
                int64_t target_width);
  void set_optimizer(const OptimizerConfig& config);
  void set_train_settings(const TrainSettings& settings);

  StepOutcome step();

  // Forward and backward on the given rows without changing the weights (batch norm
  // running statistics do move in training mode, as in PyTorch's train()).
  Evaluation evaluate(const float* x, int64_t rows, const TargetView& target, bool train_mode);
  // Forward in evaluation mode; out receives (rows, output_features).
  void predict(const float* x, int64_t rows, float* out);
  // Throws vgl::Error when the output of `rows` rows (what the caller allocates for
  // predict) would pass the memory cap: a wide output can make a modest input ask
  // for hundreds of gigabytes.
  void check_output_rows(int64_t rows) const;

  // Singular values of the input-output Jacobian and of every node's Jacobian at the
  // current weights, for each of `samples` rows of x (samples, input_features).
  JacobianSpectra jacobian(const float* x, int64_t samples);

  const std::vector<ParamState>& params() const { return params_; }
  // Replaces parameter `index`'s values (size checked, finite checked).
  void set_param(int index, const float* values, int64_t count);

 private:
  void ensure_batch(int64_t rows);
  void check_rows(const float* x, int64_t rows, int64_t features, const char* what) const;
  void load_batch();
  void zero_param_grads();
  std::string locate_divergence(int64_t B) const;
  // Appends one traced row. The per-param inputs are indexed by plan param (0 for
  // non-trainable ones); grad_hist is [trainable param][kHistBins + 1], or empty.
  void record_recurrent(int64_t B);
  void record_trace(int64_t B, const std::vector<double>& grad_sumsq, const std::vector<double>& sum_abs,
                    const std::vector<float>& max_abs, const std::vector<uint32_t>& grad_hist,
                    const std::vector<double>& param_sumsq, const std::vector<double>& update_sumsq);

  Plan plan_;
  SessionOptions options_;
  std::vector<ParamState> params_;
  Workspace ws_;
  OptimizerConfig optimizer_;
  TrainSettings settings_;
  TraceStore traces_;
  std::atomic<int64_t> step_{0};  // see steps_done()

  // Training data and the batch order.
  std::vector<float> data_x_;
  std::vector<int32_t> data_labels_;
  std::vector<float> data_targets_;
  int64_t data_rows_ = 0;
  std::vector<int64_t> order_;
  int64_t cursor_ = 0;
  int64_t epoch_ = 0;
  bool full_batch_loaded_ = false;
  std::vector<int32_t> batch_labels_;
  std::vector<float> batch_targets_;

  // Per-step scratch, kept to avoid allocating in the step. The traced values wait
  // here until the step is known to be finite (a diverged step records no row).
  std::vector<double> grad_sumsq_, sum_abs_, param_sumsq_, update_sumsq_;
  std::vector<float> max_abs_;
  std::vector<uint32_t> grad_hist_;  // [trainable param][kHistBins + 1], traced steps with histograms only
};

}  // namespace vgl
