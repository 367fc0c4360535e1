#include "core/train/init.h"

#include <cmath>
#include <vector>

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
  else if (scheme == "pytorch_default") uniform(scale / std::sqrt(in));  // nn.Linear's default
  else if (scheme == "zeros") {
    for (int64_t i = 0; i < n; ++i) w[i] = 0.0f;
  } else {
    fail("init \"" + scheme + "\" is not a known initialiser");
  }
}

namespace {

// Each H x H block of `w` (blocks stacked, (G*H, H)) becomes scale * an orthogonal
// matrix: Gram-Schmidt (twice, for stability) on Gaussian rows, in double.
void orthogonal_blocks(float* w, int64_t G, int64_t H, double scale, uint64_t stream_seed) {
  Rng rng(stream_seed);
  std::vector<double> q(static_cast<size_t>(H * H));
  for (int64_t g = 0; g < G; ++g) {
    for (auto& x : q) x = rng.normal();
    for (int64_t i = 0; i < H; ++i) {
      double* qi = q.data() + i * H;
      for (int pass = 0; pass < 2; ++pass) {
        for (int64_t j = 0; j < i; ++j) {
          const double* qj = q.data() + j * H;
          double dot = 0;
          for (int64_t c = 0; c < H; ++c) dot += qi[c] * qj[c];
          for (int64_t c = 0; c < H; ++c) qi[c] -= dot * qj[c];
        }
      }
      double norm = 0;
      for (int64_t c = 0; c < H; ++c) norm += qi[c] * qi[c];
      norm = std::sqrt(norm);
      for (int64_t c = 0; c < H; ++c) qi[c] /= norm;
    }
    for (int64_t i = 0; i < H * H; ++i) w[g * H * H + i] = static_cast<float>(scale * q[i]);
  }
}

uint64_t stream_of(uint64_t seed, const PlanNode& node, const ParamInfo& param) {
  return seed ^ (hash_name(node.id) * 0x9e3779b97f4a7c15ULL) ^ hash_name(param.weight);
}

// PyTorch's RNN/LSTM/GRU: weights and biases U(-1/sqrt(H), 1/sqrt(H)) by default;
// weight_hh may be orthogonal; LSTM's forget rows get forget_bias added.
void init_recurrent_param(float* v, const PlanNode& node, const ParamInfo& param, uint64_t seed) {
  const int64_t H = node.features;
  const double bound = node.init_scale / std::sqrt(static_cast<double>(H));
  const uint64_t stream = stream_of(seed, node, param);
  const bool is_bias = param.weight == "bias_ih" || param.weight == "bias_hh";
  const std::string& scheme = param.weight == "weight_hh" ? node.recurrent_init : node.init;
  if (param.weight == "weight_hh" && scheme == "orthogonal") {
    orthogonal_blocks(v, param.rows / H, H, node.init_scale, stream);
  } else if (scheme == "pytorch_default") {
    init_weight(v, param.rows, param.cols, "uniform", bound, stream);
  } else if (is_bias) {
    for (int64_t i = 0; i < param.size; ++i) v[i] = 0.0f;
  } else {
    init_weight(v, param.rows, param.cols, scheme, node.init_scale, stream);
  }
  if (param.weight == "bias_ih" && node.cell == CellKind::Lstm) {
    for (int64_t i = H; i < 2 * H; ++i) v[i] += static_cast<float>(node.forget_bias);
  }
}

}  // namespace

void init_param(Buffer& value, const Plan& plan, const ParamInfo& param, uint64_t seed) {
  const PlanNode& node = plan.nodes[param.node];
  float* v = value.data();
  if (node.kind == OpKind::Recurrent) {
    init_recurrent_param(v, node, param, seed);
    return;
  }
  if (param.weight == "weight") {
    init_weight(v, param.rows, param.cols, node.init, node.init_scale, stream_of(seed, node, param));
    return;
  }
  const float fill = (param.weight == "gamma" || param.weight == "running_var") ? 1.0f : 0.0f;
  for (int64_t i = 0; i < param.size; ++i) v[i] = fill;
}

}  // namespace vgl
