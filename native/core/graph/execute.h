// Running a compiled plan: the per-batch buffers (Workspace), the parameters
// (ParamState) and the forward and backward passes over every node.
#pragma once

#include <cstdint>
#include <vector>

#include "core/buffer.h"
#include "core/graph/plan.h"

namespace vgl {

// One parameter tensor with its gradient and optimiser moments (m, v unused by SGD).
struct ParamState {
  Buffer value;
  Buffer grad;
  Buffer m;
  Buffer v;
};

// Activations and gradients for a batch of `batch` samples: out[k] and grad[k] are
// (batch, nodes[k].time, nodes[k].features). cache_a/cache_b hold what a node's backward needs
// (batch norm mean/invstd per feature, layer norm mean/invstd per row, dropout mask).
struct Workspace {
  int64_t batch = 0;
  std::vector<Buffer> out;
  std::vector<Buffer> grad;
  std::vector<Buffer> cache_a;
  std::vector<Buffer> cache_b;
  // Recurrent nodes: every hidden state when the output is only the last one (with
  // return "sequence" the output buffer holds them), and dL/dh_t of every timestep.
  std::vector<Buffer> hidden;
  std::vector<Buffer> dhidden;
};

// A recurrent node's hidden states h_t, (batch, T, H).
float* hidden_states(const Plan& plan, Workspace& ws, size_t k);

// Bytes a workspace for `batch` rows takes (checked against the memory cap before allocating).
double workspace_bytes(const Plan& plan, int64_t batch);
void workspace_resize(Workspace& ws, const Plan& plan, int64_t batch);

// Forward over all nodes for the first B rows of ws.out[0] (the input, filled by the caller).
// train: batch norm uses batch statistics (and updates its running statistics), dropout drops.
// dropout_seed/step make the dropout masks reproducible.
void plan_forward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, int64_t B, bool train,
                  uint64_t dropout_seed, int64_t step);

// Zeroes the node gradients of the first B rows (parameter gradients are zeroed by the caller).
void zero_node_grads(const Plan& plan, Workspace& ws, int64_t B);

struct BackwardMode {
  bool train = true;         // false: batch norm differentiates its evaluation-mode form
  bool input_grad = false;   // compute ws.grad[0], the gradient of the input
  bool param_grads = true;   // accumulate parameter gradients
};

// Backward over all nodes in reverse order, from ws.grad[plan.output] (seeded by the loss),
// accumulating into node (and, by mode, parameter and input) gradients.
void plan_backward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, int64_t B,
                   const BackwardMode& mode);

// The backward of node k alone.
void node_backward(const Plan& plan, Workspace& ws, std::vector<ParamState>& params, size_t k, int64_t B,
                   const BackwardMode& mode);

// Targets of a batch: class indices (softmax cross-entropy) or values (B, output_features).
struct TargetView {
  const int32_t* labels = nullptr;
  const float* values = nullptr;
};

struct LossResult {
  double loss = 0.0;
  double accuracy = 0.0;  // NaN for regression (mse)
};

// Loss of the output node against the targets; seeds ws.grad[plan.output] with dL/d output.
LossResult plan_loss(const Plan& plan, Workspace& ws, int64_t B, const TargetView& target);

}  // namespace vgl
