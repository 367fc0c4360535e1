#include "core/train/optimizer.h"

#include <cmath>

#include "core/error.h"
#include "core/kernels/kernels.h"

namespace vgl {

void validate_optimizer(const OptimizerConfig& c) {
  auto finite_nonneg = [](float v) { return std::isfinite(v) && v >= 0; };
  if (!(std::isfinite(c.lr) && c.lr > 0)) fail("optimizer.lr must be a positive number");
  if (!(finite_nonneg(c.momentum) && c.momentum < 1)) fail("optimizer.momentum must be at least 0 and below 1");
  if (!(finite_nonneg(c.beta1) && c.beta1 < 1)) fail("optimizer.beta1 must be at least 0 and below 1");
  if (!(finite_nonneg(c.beta2) && c.beta2 < 1)) fail("optimizer.beta2 must be at least 0 and below 1");
  if (!(std::isfinite(c.eps) && c.eps > 0)) fail("optimizer.eps must be a positive number");
  if (!finite_nonneg(c.weight_decay)) fail("optimizer.weight_decay must not be negative");
  if (!finite_nonneg(c.clip_norm)) fail("clip_norm must not be negative");
}

void clip_gradients(const Plan& plan, std::vector<ParamState>& params, double total_norm, float max_norm) {
  if (max_norm <= 0 || !(total_norm > max_norm)) return;
  const float factor = static_cast<float>(max_norm / (total_norm + 1e-6));
  for (size_t i = 0; i < plan.params.size(); ++i) {
    if (plan.params[i].trainable) kernels().scale(params[i].grad.data(), plan.params[i].size, factor);
  }
}

void optimizer_step(const OptimizerConfig& c, int64_t t, const Plan& plan, std::vector<ParamState>& params,
                    std::vector<double>& update_sumsq, std::vector<double>& param_sumsq) {
  const KernelTable& k = kernels();
  const float c1 = static_cast<float>(1.0 - std::pow(static_cast<double>(c.beta1), static_cast<double>(t)));
  const float c2 = static_cast<float>(1.0 - std::pow(static_cast<double>(c.beta2), static_cast<double>(t)));
  update_sumsq.assign(plan.params.size(), 0.0);
  param_sumsq.assign(plan.params.size(), 0.0);
  for (size_t i = 0; i < plan.params.size(); ++i) {
    const ParamInfo& info = plan.params[i];
    if (!info.trainable) continue;
    ParamState& p = params[i];
    switch (c.kind) {
      case OptimizerKind::Sgd:
        update_sumsq[i] =
            k.sgd_update(p.value.data(), p.grad.data(), info.size, c.lr, c.weight_decay, &param_sumsq[i]);
        break;
      case OptimizerKind::Momentum:
        if (p.m.size() != info.size) p.m.resize(info.size);
        update_sumsq[i] = k.momentum_update(p.value.data(), p.m.data(), p.grad.data(), info.size, c.lr, c.momentum,
                                            c.weight_decay, c.nesterov, &param_sumsq[i]);
        break;
      case OptimizerKind::Adam:
        if (p.m.size() != info.size) p.m.resize(info.size);
        if (p.v.size() != info.size) p.v.resize(info.size);
        update_sumsq[i] = k.adam_update(p.value.data(), p.m.data(), p.v.data(), p.grad.data(), info.size, c.lr,
                                        c.beta1, c.beta2, c.eps, c.weight_decay, c1, c2, &param_sumsq[i]);
        break;
    }
  }
}

}  // namespace vgl
