// Per-timestep and per-gate statistics of a recurrent layer, for the traces.
#pragma once

#include <cstdint>

#include "core/layers/recurrent.h"

namespace vgl {

// out[t] = || dL/dh_t || over the batch (Frobenius over (B, H)) for t < T, from dh (B,T,H).
void timestep_grad_norms(const float* dh, int64_t B, int64_t T, int64_t H, double* out);

// Gates reported per layer: LSTM i, f, g, o (4); GRU r, z, n (3); plain RNN none (0).
int64_t reported_gates(CellKind cell);

// out[g] = fraction of gate g's activations near saturation over batch and time:
// sigmoid gates within 1e-2 of 0 or 1, tanh candidates (LSTM g, GRU n) within 1e-2 of -1 or 1.
void gate_saturation(const RecurrentShape& s, const float* gates, float* out);

// || c_{T-1} || over the batch: the final LSTM cell state (NaN for other cells).
float final_cell_norm(const RecurrentShape& s, const float* cells);

}  // namespace vgl
