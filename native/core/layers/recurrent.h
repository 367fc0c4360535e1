// Recurrent layers over whole sequences: a plain RNN (tanh or ReLU), LSTM and GRU,
// forward and backpropagation through time, in PyTorch's equations, gate order and
// parameter layout (so the reference cases load as they are):
//
//   rnn:  h_t = phi(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)                    G = 1
//   lstm: a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, rows i, f, g, o           G = 4
//         i, f, o = sigmoid; g = tanh; c_t = f c_{t-1} + i g; h_t = o tanh(c_t)
//   gru:  rows r, z, n                                                         G = 3
//         r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z likewise,
//         n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h_t = (1 - z) n + z h_{t-1}
//   h_{-1} = 0, c_{-1} = 0.
//
// Layout: sequences are batch-major, x (B,T,I), h_all (B,T,H), row (b,t) at b*T + t.
// The input projections of all timesteps are one GEMM (rows B*T); each timestep then
// adds h_{t-1} W_hh^T with one (B x GH x H) GEMM on strided rows.
// Backward accumulates into every gradient (the step zeroes them once), like every layer.
#pragma once

#include <cstdint>

#include "core/kernels/kernels.h"

namespace vgl {

enum class CellKind : int { Rnn = 0, Lstm, Gru };

struct RecurrentShape {
  CellKind cell = CellKind::Rnn;
  Act rnn_act = Act::Tanh;  // Rnn only: Act::Tanh or Act::Relu
  int64_t B = 0, T = 0, I = 0, H = 0;
  int64_t gates() const { return cell == CellKind::Lstm ? 4 : cell == CellKind::Gru ? 3 : 1; }
};

// Floats of the forward cache the backward needs (gate activations, LSTM cell states,
// GRU hidden projections...), and of the backward's scratch space.
int64_t recurrent_cache_size(const RecurrentShape& s);
int64_t recurrent_scratch_size(const RecurrentShape& s);

// h_all (B,T,H): every hidden state. cache: recurrent_cache_size floats.
// x (B,T,I), w_ih (G*H, I), w_hh (G*H, H), b_ih, b_hh (G*H).
void recurrent_forward(const RecurrentShape& s, float* h_all, float* cache, const float* x, const float* w_ih,
                       const float* w_hh, const float* b_ih, const float* b_hh);

// dh_all (B,T,H) on entry: dL/dh_t from the layer's consumers only (zero where h_t is not
// an output). On return: the TOTAL derivative dL/dh_t of every timestep (through h_{t+1},
// c_{t+1} and the output), which the traces report per timestep.
// dx (B,T,I) or null; dw_ih, dw_hh, db_ih, db_hh accumulate. scratch: recurrent_scratch_size floats.
void recurrent_backward(const RecurrentShape& s, float* dx, float* dw_ih, float* dw_hh, float* db_ih, float* db_hh,
                        float* dh_all, float* scratch, const float* cache, const float* x, const float* h_all,
                        const float* w_ih, const float* w_hh);

// Views into the forward cache, for the traces:
// the post-activation gates (B,T,G*H) in PyTorch's row order (rnn: none, returns null),
const float* recurrent_gate_activations(const RecurrentShape& s, const float* cache);
// the LSTM cell states c_t (B,T,H) (null for rnn and gru).
const float* recurrent_cell_states(const RecurrentShape& s, const float* cache);

}  // namespace vgl
