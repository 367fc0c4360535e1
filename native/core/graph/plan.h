// A network compiled once from its spec: nodes in topological order with their
// widths, and the parameter slots they own. Compiling validates everything the
// training step relies on, with messages that name the node and the field, so the
// step itself never checks shapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph/spec.h"
#include "core/kernels/kernels.h"
#include "core/layers/recurrent.h"

namespace vgl {

enum class OpKind : int { Input = 0, Dense, Activation, BatchNorm, LayerNorm, Dropout, Add, Recurrent };

// One parameter tensor (or non-trained state, such as batch norm running statistics).
struct ParamInfo {
  std::string name;    // "<node id>.<weight name>", as the traces and the reference cases name it
  std::string weight;  // "weight", "bias", "gamma", "beta", "running_mean", "running_var"
  int node = 0;        // index into Plan::nodes
  int64_t size = 0;
  int64_t rows = 0, cols = 0;  // PyTorch shape (cols == 1 for vectors)
  bool trainable = true;
};

struct PlanNode {
  std::string id;
  std::string type;  // the spec's type name ("dense", "sigmoid", ...)
  OpKind kind = OpKind::Input;
  Act act = Act::Linear;
  std::vector<int> inputs;  // indices into Plan::nodes, in edge order
  int64_t features = 0;     // output width
  // Timesteps per sample of the output: 1 for a plain [batch][features] tensor, T for
  // a sequence [batch][T][features]. Element-wise layers and dense act on all B*time rows.
  int64_t time = 1;
  bool sequence = false;    // the output has a time axis (even when T == 1)
  // Parameters owned by this node: Plan::params[param_begin .. param_begin + param_count).
  int param_begin = 0;
  int param_count = 0;
  // Hyper-parameters (only those of the node's kind are meaningful).
  float p = 0.0f;  // leaky slope, elu alpha, dropout probability
  float eps = 1e-5f;
  float momentum = 0.1f;
  bool bias = true;
  std::string init = "xavier_uniform";
  double init_scale = 1.0;
  // Recurrent layers.
  CellKind cell = CellKind::Rnn;
  Act rnn_act = Act::Tanh;
  bool return_sequence = false;
  std::string recurrent_init = "pytorch_default";
  double forget_bias = 0.0;
  int64_t input_time = 1;  // T of the sequence the layer reads

  int64_t size_per_sample() const { return time * features; }

  RecurrentShape recurrent_shape(int64_t batch, int64_t input_features) const {
    RecurrentShape s;
    s.cell = cell;
    s.rnn_act = rnn_act;
    s.B = batch;
    s.T = input_time;
    s.I = input_features;
    s.H = features;
    return s;
  }
};

struct Plan {
  std::vector<PlanNode> nodes;  // topological order; nodes[0] is the input
  std::vector<ParamInfo> params;
  LossKind loss = LossKind::SoftmaxCrossEntropy;
  int output = 0;  // index of the output node (the one nobody consumes)
  int64_t input_features = 0;
  int64_t output_features = 0;
  int64_t input_time = 1;   // timesteps per sample of the input (its sequence_length)
  int64_t output_time = 1;  // timesteps per sample of the output (labels per sample for softmax CE)
  int64_t trainable_parameter_count = 0;

  int find_param(const std::string& name) const;  // -1 when absent

  // Floats per sample of the input and of the output; class labels per sample.
  int64_t input_width() const { return input_time * input_features; }
  int64_t output_width() const { return output_time * output_features; }
  int64_t labels_per_sample() const { return output_time; }
};

// Validates `spec` and compiles it. Throws vgl::Error naming the node and field.
Plan compile_plan(const NetworkSpec& spec);

}  // namespace vgl
