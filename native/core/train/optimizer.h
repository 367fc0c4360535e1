// Optimisers (PyTorch's SGD, SGD with momentum / Nesterov, Adam; L2 weight decay)
// and gradient clipping by global norm.
#pragma once

#include <cstdint>
#include <vector>

#include "core/graph/execute.h"
#include "core/graph/plan.h"

namespace vgl {

enum class OptimizerKind : int { Sgd = 0, Momentum, Adam };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Sgd;
  float lr = 0.1f;
  float momentum = 0.9f;
  bool nesterov = false;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
  float clip_norm = 0.0f;  // 0 = no clipping
};

// Throws vgl::Error naming the field when a setting is out of range.
void validate_optimizer(const OptimizerConfig& config);

// Rescales every trainable gradient so their global L2 norm is at most max_norm, as
// torch.nn.utils.clip_grad_norm_ does. `total_norm` is the norm before clipping.
void clip_gradients(const Plan& plan, std::vector<ParamState>& params, double total_norm, float max_norm);

// Step `t` (1-based, for Adam's bias correction) over every trainable parameter.
// Both outputs are resized to plan.params.size(), 0 for non-trainable parameters:
// update_sumsq[i] receives the sum of squares of parameter i's change and
// param_sumsq[i] that of its values before the change (read in the same pass).
void optimizer_step(const OptimizerConfig& config, int64_t t, const Plan& plan, std::vector<ParamState>& params,
                    std::vector<double>& update_sumsq, std::vector<double>& param_sumsq);

}  // namespace vgl
