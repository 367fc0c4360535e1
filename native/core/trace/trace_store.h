// Column-wise storage of a run's traces. Each metric is one flat array, row-major
// [traced row][entity], so a chunk of rows copies out to JavaScript as one typed
// array per metric. Metric meanings are defined once, for the user, in
// core/traces/metrics.ts; this is only their storage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vgl {

constexpr int32_t kHistBins = 32;
constexpr float kHistLo = -20.0f;  // log10|g| range of the gradient histograms
constexpr float kHistHi = 4.0f;

struct TraceStore {
  // Entities, fixed when the plan is compiled.
  std::vector<std::string> node_ids;    // every node but the input, in plan order
  std::vector<std::string> param_names; // trainable parameters, "<node>.<weight>"

  // Per training step (every step).
  std::vector<float> loss;
  std::vector<float> accuracy;

  // Per traced row.
  std::vector<int32_t> traced_step;   // the training step of each traced row
  // [row][node]
  std::vector<float> out_grad_norm;
  std::vector<float> act_mean;
  std::vector<float> act_std;
  std::vector<float> saturated_frac;
  // [row][param]
  std::vector<float> grad_norm;
  std::vector<float> param_norm;
  std::vector<float> grad_mean_abs;
  std::vector<float> grad_max_abs;
  std::vector<float> update_ratio;
  // [row][param][kHistBins + 1]; the last count is exact zeros. Empty when histograms are off.
  std::vector<uint32_t> histogram;

  // Recurrent nodes, in plan order, with their sequence length and reported gates.
  std::vector<std::string> recurrent_ids;
  std::vector<int64_t> recurrent_time;
  std::vector<int64_t> recurrent_gates;
  // [row][every timestep of every recurrent node]: ||dL/dh_t|| over the batch (total derivative)
  std::vector<float> timestep_grad_norm;
  // [row][every gate of every recurrent node]: fraction of saturated gate activations
  std::vector<float> gate_saturation;
  // [row][recurrent node]: ||c_{T-1}|| of LSTM layers, NaN for the others
  std::vector<float> cell_norm;

  int64_t timestep_width() const {
    int64_t w = 0;
    for (int64_t t : recurrent_time) w += t;
    return w;
  }
  int64_t gate_width() const {
    int64_t w = 0;
    for (int64_t g : recurrent_gates) w += g;
    return w;
  }

  int64_t rows() const { return static_cast<int64_t>(traced_step.size()); }
  int64_t steps() const { return static_cast<int64_t>(loss.size()); }
};

}  // namespace vgl
