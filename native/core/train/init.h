// Parameter initialisation: PyTorch's definitions of the named schemes, drawn from
// a stream derived from (seed, node id, weight name).
#pragma once

#include <cstdint>
#include <string>

#include "core/buffer.h"
#include "core/graph/plan.h"

namespace vgl {

// Fills `value` for parameter `param` of `plan` (weights by the node's scheme,
// biases and beta with 0, gamma with 1, running_mean 0, running_var 1).
void init_param(Buffer& value, const Plan& plan, const ParamInfo& param, uint64_t seed);

// Draws a (fan_out, fan_in) weight matrix by a scheme. `scale` is the gain for the
// xavier/he/lecun families and for "pytorch_default" (U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
// nn.Linear's default), the standard deviation for "normal" and the bound a of U(-a, a)
// for "uniform". Recurrent layers: PyTorch's U(-1/sqrt(H), 1/sqrt(H)) for weights and
// biases, or an orthogonal weight_hh, and LSTM's forget_bias (see init.cpp).
void init_weight(float* w, int64_t fan_out, int64_t fan_in, const std::string& scheme, double scale,
                 uint64_t stream_seed);

}  // namespace vgl
