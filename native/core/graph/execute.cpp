#include "core/graph/execute.h"

#include <cmath>
#include <limits>

#include "core/layers/layers.h"

namespace vgl {

double workspace_bytes(const Plan& plan, int64_t batch) {
  double floats = 0;
  for (const PlanNode& n : plan.nodes) {
    double per_node = 2.0 * static_cast<double>(batch) * static_cast<double>(n.features);  // out + grad
    if (n.kind == OpKind::Dropout) per_node += static_cast<double>(batch) * static_cast<double>(n.features);
    if (n.kind == OpKind::BatchNorm) per_node += 2.0 * static_cast<double>(n.features);
    if (n.kind == OpKind::LayerNorm) per_node += 2.0 * static_cast<double>(batch);
    floats += per_node;
  }
  return floats * sizeof(float);
}

void workspace_resize(Workspace& ws, const Plan& plan, int64_t batch) {
  const size_t count = plan.nodes.size();
  ws.out.resize(count);
  ws.grad.resize(count);
  ws.cache_a.resize(count);
  ws.cache_b.resize(count);
  for (size_t k = 0; k < count; ++k) {
    const PlanNode& n = plan.nodes[k];
    ws.out[k].resize(batch * n.features);
    ws.grad[k].resize(batch * n.features);
    switch (n.kind) {
      case OpKind::BatchNorm:
        ws.cache_a[k].resize(n.features);
        ws.cache_b[k].resize(n.features);
        break;
      case OpKind::LayerNorm:
        ws.cache_a[k].resize(batch);
        ws.cache_b[k].resize(batch);
        break;
      case OpKind::Dropout:
        ws.cache_a[k].resize(batch * n.features);
        break;
      default:
        break;
    }
  }
  ws.batch = batch;
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
    switch (n.kind) {
      case OpKind::Input:
        break;
      case OpKind::Dense:
        dense_forward(y, x, param_of(params, n, 0).value.data(), n.bias ? param_of(params, n, 1).value.data() : nullptr,
                      B, in, F);
        break;
      case OpKind::Activation:
        activation_forward(n.act, y, x, B * F, n.p);
        break;
      case OpKind::BatchNorm:
        if (train) {
          batchnorm_forward_train(y, ws.cache_a[k].data(), ws.cache_b[k].data(), param_of(params, n, 2).value.data(),
                                  param_of(params, n, 3).value.data(), x, param_of(params, n, 0).value.data(),
                                  param_of(params, n, 1).value.data(), B, F, n.eps, n.momentum);
        } else {
          batchnorm_forward_eval(y, x, param_of(params, n, 0).value.data(), param_of(params, n, 1).value.data(),
                                 param_of(params, n, 2).value.data(), param_of(params, n, 3).value.data(), B, F,
                                 n.eps);
        }
        break;
      case OpKind::LayerNorm:
        layernorm_forward(y, ws.cache_a[k].data(), ws.cache_b[k].data(), x, param_of(params, n, 0).value.data(),
                          param_of(params, n, 1).value.data(), B, F, n.eps);
        break;
      case OpKind::Dropout:
        if (train && n.p > 0) {
          const uint64_t stream = static_cast<uint64_t>(step) * plan.nodes.size() + k;
          dropout_forward(y, ws.cache_a[k].data(), x, B * F, n.p, dropout_seed, stream);
        } else {
          std::copy(x, x + B * F, y);
        }
        break;
      case OpKind::Add:
        add_forward(y, x, ws.out[n.inputs[1]].data(), B * F);
        break;
    }
  }
}

void zero_node_grads(const Plan& plan, Workspace& ws, int64_t B) {
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    std::fill(ws.grad[k].data(), ws.grad[k].data() + B * plan.nodes[k].features, 0.0f);
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
  switch (n.kind) {
    case OpKind::Input:
      break;
    case OpKind::Dense:
      dense_backward(dx, pgrad(n, 0), n.bias ? pgrad(n, 1) : nullptr, dy, x, param_of(params, n, 0).value.data(), B,
                     in, F);
      break;
    case OpKind::Activation:
      if (dx) activation_backward(n.act, dx, dy, x, y, B * F, n.p);
      break;
    case OpKind::BatchNorm:
      if (mode.train) {
        batchnorm_backward(dx, pgrad(n, 0), pgrad(n, 1), dy, x, ws.cache_a[k].data(), ws.cache_b[k].data(),
                           param_of(params, n, 0).value.data(), B, F);
      } else {
        batchnorm_backward_eval(dx, dy, param_of(params, n, 0).value.data(), param_of(params, n, 3).value.data(), B,
                                F, n.eps);
      }
      break;
    case OpKind::LayerNorm:
      layernorm_backward(dx, pgrad(n, 0), pgrad(n, 1), dy, x, ws.cache_a[k].data(), ws.cache_b[k].data(),
                         param_of(params, n, 0).value.data(), B, F);
      break;
    case OpKind::Dropout:
      if (dx) {
        if (n.p > 0 && mode.train) dropout_backward(dx, dy, ws.cache_a[k].data(), B * F);
        else add_backward(dx, nullptr, dy, B * F);
      }
      break;
    case OpKind::Add:
      add_backward(dx, input_grad(n.inputs[1]), dy, B * F);
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
