#include "core/graph/execute.h"

#include <cmath>
#include <limits>

#include "core/layers/layers.h"

namespace vgl {

namespace {

// Floats of each buffer a node needs for `batch` samples: out/grad, then caches.
struct NodeBuffers {
  int64_t out = 0;      // also grad
  int64_t cache_a = 0;  // batch norm mean, layer norm mean, dropout mask, recurrent cache
  int64_t cache_b = 0;  // batch norm invstd, layer norm invstd, recurrent scratch
  int64_t hidden = 0;   // recurrent h_all when the output is only the last state
  int64_t dhidden = 0;  // recurrent dL/dh_t of every timestep
};

NodeBuffers node_buffers(const Plan& plan, const PlanNode& n, int64_t batch) {
  NodeBuffers b;
  const int64_t rows = batch * n.time;
  b.out = rows * n.features;
  switch (n.kind) {
    case OpKind::BatchNorm:
      b.cache_a = b.cache_b = n.features;
      break;
    case OpKind::LayerNorm:
      b.cache_a = b.cache_b = rows;
      break;
    case OpKind::Dropout:
      b.cache_a = b.out;
      break;
    case OpKind::Recurrent: {
      const RecurrentShape s = n.recurrent_shape(batch, plan.nodes[n.inputs[0]].features);
      b.cache_a = recurrent_cache_size(s);
      b.cache_b = recurrent_scratch_size(s);
      b.hidden = n.return_sequence ? 0 : batch * n.input_time * n.features;
      b.dhidden = batch * n.input_time * n.features;
      break;
    }
    default:
      break;
  }
  return b;
}

}  // namespace

double workspace_bytes(const Plan& plan, int64_t batch) {
  double floats = 0;
  for (const PlanNode& n : plan.nodes) {
    const NodeBuffers b = node_buffers(plan, n, batch);
    floats += 2.0 * static_cast<double>(b.out) + static_cast<double>(b.cache_a) + static_cast<double>(b.cache_b) +
              static_cast<double>(b.hidden) + static_cast<double>(b.dhidden);
  }
  return floats * sizeof(float);
}

void workspace_resize(Workspace& ws, const Plan& plan, int64_t batch) {
  const size_t count = plan.nodes.size();
  for (auto* v : {&ws.out, &ws.grad, &ws.cache_a, &ws.cache_b, &ws.hidden, &ws.dhidden}) v->resize(count);
  for (size_t k = 0; k < count; ++k) {
    const NodeBuffers b = node_buffers(plan, plan.nodes[k], batch);
    ws.out[k].resize(b.out);
    ws.grad[k].resize(b.out);
    ws.cache_a[k].resize(b.cache_a);
    ws.cache_b[k].resize(b.cache_b);
    ws.hidden[k].resize(b.hidden);
    ws.dhidden[k].resize(b.dhidden);
  }
  ws.batch = batch;
}

float* hidden_states(const Plan& plan, Workspace& ws, size_t k) {
  return plan.nodes[k].return_sequence ? ws.out[k].data() : ws.hidden[k].data();
}

namespace {

// Parameter `j` (in declaration order) of node `n`.
ParamState& param_of(std::vector<ParamState>& params, const PlanNode& n, int j) { return params[n.param_begin + j]; }

}  // namespace

void plan_forward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, int64_t B, bool train,
                  uint64_t dropout_seed, int64_t step) {
  for (size_t k = 1; k < plan.nodes.size(); ++k) {
    const PlanNode& n = plan.nodes[k];
    float* y = ws.out[k].data();
    const int src = n.inputs[0];
    const float* x = ws.out[src].data();
    const int64_t in = plan.nodes[src].features;
    const int64_t F = n.features;
    const int64_t R = B * n.time;  // rows: every timestep of every sample
    switch (n.kind) {
      case OpKind::Input:
        break;
      case OpKind::Dense:
        dense_forward(y, x, param_of(params, n, 0).value.data(), n.bias ? param_of(params, n, 1).value.data() : nullptr,
                      R, in, F);
        break;
      case OpKind::Recurrent: {
        const RecurrentShape rs = n.recurrent_shape(B, in);
        float* h_all = hidden_states(plan, ws, k);
        recurrent_forward(rs, h_all, ws.cache_a[k].data(), x, param_of(params, n, 0).value.data(),
                          param_of(params, n, 1).value.data(), param_of(params, n, 2).value.data(),
                          param_of(params, n, 3).value.data());
        if (!n.return_sequence) {
          // The output is h_{T-1} of every sample.
          for (int64_t b = 0; b < B; ++b)
            std::copy(h_all + (b * rs.T + rs.T - 1) * F, h_all + (b * rs.T + rs.T) * F, y + b * F);
        }
        break;
      }
      case OpKind::Activation:
        activation_forward(n.act, y, x, R * F, n.p);
        break;
      case OpKind::BatchNorm:
        if (train) {
          batchnorm_forward_train(y, ws.cache_a[k].data(), ws.cache_b[k].data(), param_of(params, n, 2).value.data(),
                                  param_of(params, n, 3).value.data(), x, param_of(params, n, 0).value.data(),
                                  param_of(params, n, 1).value.data(), R, F, n.eps, n.momentum);
        } else {
          batchnorm_forward_eval(y, x, param_of(params, n, 0).value.data(), param_of(params, n, 1).value.data(),
                                 param_of(params, n, 2).value.data(), param_of(params, n, 3).value.data(), R, F,
                                 n.eps);
        }
        break;
      case OpKind::LayerNorm:
        layernorm_forward(y, ws.cache_a[k].data(), ws.cache_b[k].data(), x, param_of(params, n, 0).value.data(),
                          param_of(params, n, 1).value.data(), R, F, n.eps);
        break;
      case OpKind::Dropout:
        if (train && n.p > 0) {
          const uint64_t stream = static_cast<uint64_t>(step) * plan.nodes.size() + k;
          dropout_forward(y, ws.cache_a[k].data(), x, R * F, n.p, dropout_seed, stream);
        } else {
          std::copy(x, x + R * F, y);
        }
        break;
      case OpKind::Add:
        add_forward(y, x, ws.out[n.inputs[1]].data(), R * F);
        break;
    }
  }
}

void zero_node_grads(const Plan& plan, Workspace& ws, int64_t B) {
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    std::fill(ws.grad[k].data(), ws.grad[k].data() + B * plan.nodes[k].time * plan.nodes[k].features, 0.0f);
  }
}

void node_backward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, size_t k, int64_t B,
                   const BackwardMode& mode) {
  // The gradient buffer of a node's input, or null when nobody needs it.
  auto input_grad = [&](int src) -> float* { return (src == 0 && !mode.input_grad) ? nullptr : ws.grad[src].data(); };
  // Parameter j's gradient buffer, or null when parameter gradients are not wanted.
  auto pgrad = [&](const PlanNode& n, int j) -> float* {
    return mode.param_grads ? param_of(params, n, j).grad.data() : nullptr;
  };
  const PlanNode& n = plan.nodes[k];
  const float* dy = ws.grad[k].data();
  const float* y = ws.out[k].data();
  const int src = n.inputs.empty() ? 0 : n.inputs[0];
  const float* x = ws.out[src].data();
  float* dx = input_grad(src);
  const int64_t in = plan.nodes[src].features;
  const int64_t F = n.features;
  const int64_t R = B * n.time;
  switch (n.kind) {
    case OpKind::Input:
      break;
    case OpKind::Dense:
      dense_backward(dx, pgrad(n, 0), n.bias ? pgrad(n, 1) : nullptr, dy, x, param_of(params, n, 0).value.data(), R,
                     in, F);
      break;
    case OpKind::Recurrent: {
      const RecurrentShape rs = n.recurrent_shape(B, in);
      // dL/dh_t from the consumers: the whole output gradient, or only h_{T-1}'s.
      float* dh = ws.dhidden[k].data();
      if (n.return_sequence) {
        std::copy(dy, dy + B * rs.T * F, dh);
      } else {
        std::fill(dh, dh + B * rs.T * F, 0.0f);
        for (int64_t b = 0; b < B; ++b) std::copy(dy + b * F, dy + (b + 1) * F, dh + (b * rs.T + rs.T - 1) * F);
      }
      recurrent_backward(rs, dx, pgrad(n, 0), pgrad(n, 1), pgrad(n, 2), pgrad(n, 3), dh, ws.cache_b[k].data(),
                         ws.cache_a[k].data(), x, hidden_states(plan, ws, k), param_of(params, n, 0).value.data(),
                         param_of(params, n, 1).value.data());
      break;
    }
    case OpKind::Activation:
      if (dx) activation_backward(n.act, dx, dy, x, y, R * F, n.p);
      break;
    case OpKind::BatchNorm:
      if (mode.train) {
        batchnorm_backward(dx, pgrad(n, 0), pgrad(n, 1), dy, x, ws.cache_a[k].data(), ws.cache_b[k].data(),
                           param_of(params, n, 0).value.data(), R, F);
      } else {
        batchnorm_backward_eval(dx, dy, param_of(params, n, 0).value.data(), param_of(params, n, 3).value.data(), R,
                                F, n.eps);
      }
      break;
    case OpKind::LayerNorm:
      layernorm_backward(dx, pgrad(n, 0), pgrad(n, 1), dy, x, ws.cache_a[k].data(), ws.cache_b[k].data(),
                         param_of(params, n, 0).value.data(), R, F);
      break;
    case OpKind::Dropout:
      if (dx) {
        if (n.p > 0 && mode.train) dropout_backward(dx, dy, ws.cache_a[k].data(), R * F);
        else add_backward(dx, nullptr, dy, R * F);
      }
      break;
    case OpKind::Add:
      add_backward(dx, input_grad(n.inputs[1]), dy, R * F);
      break;
  }
}

void plan_backward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, int64_t B,
                   const BackwardMode& mode) {
  for (size_t k = plan.nodes.size() - 1; k >= 1; --k) node_backward(plan, ws, params, k, B, mode);
}

LossResult plan_loss(const Plan& plan, Workspace& ws, int64_t B, const TargetView& target) {
  const int o = plan.output;
  const int64_t C = plan.output_features;
  B *= plan.output_time;  // a per-timestep output has one target (row) per timestep
  const float* z = ws.out[o].data();
  float* dz = ws.grad[o].data();
  LossResult r;
  int64_t correct = 0;
  switch (plan.loss) {
    case LossKind::SoftmaxCrossEntropy:
      r.loss = softmax_cross_entropy(dz, &correct, z, target.labels, B, C, 1.0f);
      r.accuracy = B > 0 ? static_cast<double>(correct) / static_cast<double>(B) : 0.0;
      break;
    case LossKind::Mse:
      r.loss = mse_loss(dz, z, target.values, B * C, 1.0f);
      r.accuracy = std::numeric_limits<double>::quiet_NaN();
      break;
    case LossKind::BceWithLogits:
      r.loss = bce_with_logits(dz, &correct, z, target.values, B * C, 1.0f);
      r.accuracy = B > 0 ? static_cast<double>(correct) / static_cast<double>(B * C) : 0.0;
      break;
  }
  return r;
}

}  // namespace vgl
