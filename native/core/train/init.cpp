#include "core/train/init.h"

#include <cmath>

#include "core/error.h"
#include "core/train/rng.h"

namespace vgl {

void init_weight(float* w, int64_t fan_out, int64_t fan_in, const std::string& scheme, double scale,
                 uint64_t stream_seed) {
  const int64_t n = fan_out * fan_in;
  Rng rng(stream_seed);
  const double in = static_cast<double>(fan_in), out = static_cast<double>(fan_out);
  auto uniform = [&](double bound) {
    for (int64_t i = 0; i < n; ++i) w[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
  };
  auto normal = [&](double stddev) {
    for (int64_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.normal() * stddev);
  };
  if (scheme == "xavier_uniform") uniform(scale * std::sqrt(6.0 / (in + out)));
  else if (scheme == "xavier_normal") normal(scale * std::sqrt(2.0 / (in + out)));
  else if (scheme == "he_uniform") uniform(scale * std::sqrt(6.0 / in));
  else if (scheme == "he_normal") normal(scale * std::sqrt(2.0 / in));
  else if (scheme == "lecun_uniform") uniform(scale * std::sqrt(3.0 / in));
  else if (scheme == "lecun_normal") normal(scale * std::sqrt(1.0 / in));
  else if (scheme == "normal") normal(scale);
  else if (scheme == "uniform") uniform(scale);
  else if (scheme == "zeros") {
    for (int64_t i = 0; i < n; ++i) w[i] = 0.0f;
  } else {
    fail("init \"" + scheme + "\" is not a known initialiser");
  }
}

void init_param(Buffer& value, const Plan& plan, const ParamInfo& param, uint64_t seed) {
  const PlanNode& node = plan.nodes[param.node];
  float* v = value.data();
  if (param.weight == "weight") {
    const uint64_t stream = seed ^ (hash_name(node.id) * 0x9e3779b97f4a7c15ULL) ^ hash_name(param.weight);
    init_weight(v, param.rows, param.cols, node.init, node.init_scale, stream);
    return;
  }
  const float fill = (param.weight == "gamma" || param.weight == "running_var") ? 1.0f : 0.0f;
  for (int64_t i = 0; i < param.size; ++i) v[i] = fill;
}

}  // namespace vgl
