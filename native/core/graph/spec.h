// The network spec as the core sees it: a plain struct the binding fills from the
// validated JavaScript object (format vglab-network/1, defined in core/network/spec.ts).
// The core validates it again (plan.cpp): it never trusts its caller.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vgl {

// Limits repeated from core/network/spec.ts; the native check is the last line of defence.
constexpr int64_t kMaxNodes = 512;
constexpr int64_t kMaxEdges = 2 * kMaxNodes;
constexpr int64_t kMaxFeatures = 65536;
constexpr int64_t kMaxParameters = 50000000;
constexpr int64_t kMaxSequenceLength = 10000;
constexpr int64_t kMaxRecurrentHidden = 4096;

struct NodeSpec {
  std::string id;
  std::string type;
  // units, in_features, features, sequence_length, hidden_size, slope, alpha, eps, momentum, p,
  // init_scale, forget_bias
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> strings;  // init, recurrent_init, nonlinearity, return
  std::map<std::string, bool> flags;           // bias
  std::map<std::string, std::vector<float>> weights;  // explicit parameters, PyTorch layout, flat
};

struct EdgeSpec {
  std::string from;
  std::string to;
};

enum class LossKind : int { SoftmaxCrossEntropy = 0, Mse, BceWithLogits };

struct NetworkSpec {
  std::vector<NodeSpec> nodes;
  std::vector<EdgeSpec> edges;
  std::string loss;  // "softmax_cross_entropy" | "mse" | "bce_with_logits"
};

}  // namespace vgl
