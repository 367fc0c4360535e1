// Recurrent layers (rnn, lstm, gru) over whole sequences: forward and backpropagation
// through time in PyTorch's equations and layouts (see recurrent.h).
//
// Where the time goes: per timestep one (B x GH x H) product forward and one
// (B x H x GH) product backward, both on the dispatched sgemm; everything that does
// not depend on the recurrence (the input projection, dW_ih, dx, dW_hh, the biases)
// is one big product or column sum over all B*T rows, before or after the loop.
//
// Forward cache, floats in this order (B*T rows of every (B,T,.) array, row b*T + t):
//   rnn:   whh_t (H, H)
//   lstm:  gates (B,T,4H) post-activation i, f, g, o; c (B,T,H); tanh(c) (B,T,H); whh_t (H, 4H)
//   gru:   gates (B,T,3H) post-activation r, z, n; hn (B,T,H) = W_hn h_{t-1} + b_hn; whh_t (H, 3H)
// whh_t = W_hh^T, so the per-step product reads its right operand in place (tb = No):
// with W_hh as stored (tb = Yes) sgemm would pack all of W_hh again at every step.
// The rnn needs no gates: phi'(a) comes from h itself (tanh: 1 - h^2; relu: h > 0),
// which is why phi is tanh or relu only.
//
// Backward scratch, floats in this order:
//   dpre (B,T,GH)  the gradient of each step's pre-activation as W_hh sees it
//                  (gru n rows: dn_pre * r, the gradient of W_hn h + b_hn)
//   h_prev (B,T,H) h_{t-1}, zero at t = 0: the right operand of dW_hh
//   lstm: dc (B,H) dL/dc_t carried down the loop
//   gru:  dn (B,T,H) dn_pre, the n rows of the gradient as W_ih sees it
//   dw_ih_t (I, GH) dW_ih^T of this call, before it is added to dw_ih
#include <cstring>

#include "core/layers/clones.h"
#include "core/layers/recurrent.h"

namespace vgl {

namespace {

struct CacheLayout {
  int64_t gates = 0, cell = 0, tanh_cell = 0, hn = 0, whh_t = 0, total = 0;
};

CacheLayout cache_layout(const RecurrentShape& s) {
  const int64_t BT = s.B * s.T, H = s.H, GH = s.gates() * s.H;
  CacheLayout l;
  int64_t off = 0;
  if (s.cell != CellKind::Rnn) {
    l.gates = off;
    off += BT * GH;
  }
  if (s.cell == CellKind::Lstm) {
    l.cell = off;
    off += BT * H;
    l.tanh_cell = off;
    off += BT * H;
  }
  if (s.cell == CellKind::Gru) {
    l.hn = off;
    off += BT * H;
  }
  l.whh_t = off;
  off += H * GH;
  l.total = off;
  return l;
}

struct ScratchLayout {
  int64_t dpre = 0, h_prev = 0, dc = 0, dn = 0, dw_ih_t = 0, total = 0;
};

ScratchLayout scratch_layout(const RecurrentShape& s) {
  const int64_t BT = s.B * s.T, H = s.H, GH = s.gates() * s.H;
  ScratchLayout l;
  l.dpre = 0;
  l.h_prev = BT * GH;
  int64_t off = l.h_prev + BT * H;
  if (s.cell == CellKind::Lstm) {
    l.dc = off;
    off += s.B * H;
  }
  if (s.cell == CellKind::Gru) {
    l.dn = off;
    off += BT * H;
  }
  l.dw_ih_t = off;
  off += s.I * GH;
  l.total = off;
  return l;
}

// dst (cols, rows) = src (rows, cols)^T, walked in tiles so both sides stay in cache.
void transpose(float* dst, const float* src, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const int64_t r1 = r0 + kTile < rows ? r0 + kTile : rows;
    for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
      const int64_t c1 = c0 + kTile < cols ? c0 + kTile : cols;
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t c = c0; c < c1; ++c) dst[c * rows + r] = src[r * cols + c];
      }
    }
  }
}

// dst (cols, rows) += src (rows, cols)^T.
void add_transposed(float* dst, const float* src, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] += src[r * cols + c];
  }
}

// pre (B*T, GH) = x W_ih^T + b_ih + b_hh, with b_hh added only to the first `nhh`
// columns (GH, or 2H for the gru, whose b_hn belongs inside the r product).
// Every row is seeded with the bias row and sgemm adds the product (beta = 1).
void input_projection(float* pre, const float* x, const float* w_ih, const float* b_ih, const float* b_hh,
                      int64_t BT, int64_t I, int64_t GH, int64_t nhh) {
  for (int64_t j = 0; j < GH; ++j) pre[j] = b_ih[j] + (j < nhh ? b_hh[j] : 0.0f);
  for (int64_t r = 1; r < BT; ++r) std::memcpy(pre + r * GH, pre, static_cast<size_t>(GH) * sizeof(float));
  kernels().sgemm(Trans::No, Trans::Yes, BT, GH, I, 1.0f, x, I, w_ih, I, 1.0f, pre, GH);
}

// d1 (cols) += column sums of a (rows, cols; row stride lda), and d2 too when not null.
// Columns go in blocks whose accumulators sit on the stack, so the inner loop runs
// along a contiguous row segment (it vectorises) and the sum is formed once for both.
VGL_CLONES void column_sums(float* d1, float* d2, const float* a, int64_t rows, int64_t cols, int64_t lda) {
  if (!d1 && !d2) return;
  constexpr int64_t kBlock = 128;
  for (int64_t j0 = 0; j0 < cols; j0 += kBlock) {
    const int64_t nj = cols - j0 < kBlock ? cols - j0 : kBlock;
    float acc[kBlock] = {};
    for (int64_t r = 0; r < rows; ++r) {
      const float* ar = a + r * lda + j0;
      for (int64_t j = 0; j < nj; ++j) acc[j] += ar[j];
    }
    for (int64_t j = 0; j < nj; ++j) {
      if (d1) d1[j0 + j] += acc[j];
      if (d2) d2[j0 + j] += acc[j];
    }
  }
}

// ---- rnn ----------------------------------------------------------------------

// h_all holds the pre-activation of step t on entry; the activation is applied in place.
void rnn_forward(const RecurrentShape& s, float* h_all, float* cache, const float* x, const float* w_ih,
                 const float* w_hh, const float* b_ih, const float* b_hh) {
  const int64_t B = s.B, T = s.T, H = s.H;
  const KernelTable& k = kernels();
  float* whh_t = cache + cache_layout(s).whh_t;
  transpose(whh_t, w_hh, H, H);
  input_projection(h_all, x, w_ih, b_ih, b_hh, B * T, s.I, H, H);
  for (int64_t t = 0; t < T; ++t) {
    float* ht = h_all + t * H;
    if (t > 0) k.sgemm(Trans::No, Trans::No, B, H, H, 1.0f, ht - H, T * H, whh_t, H, 1.0f, ht, T * H);
    for (int64_t b = 0; b < B; ++b) k.act_forward(s.rnn_act, ht + b * T * H, ht + b * T * H, H, 0.0f);
  }
}

// dpre_t = dh_t * phi'(a_t); relu's derivative is read from h (h > 0 exactly when a > 0).
void rnn_backward_loop(const RecurrentShape& s, float* dh_all, float* dpre, const float* h_all,
                       const float* w_hh) {
  const int64_t B = s.B, T = s.T, H = s.H;
  const KernelTable& k = kernels();
  std::memset(dpre, 0, static_cast<size_t>(B * T * H) * sizeof(float));  // act_backward accumulates
  for (int64_t t = T - 1; t >= 0; --t) {
    for (int64_t b = 0; b < B; ++b) {
      const int64_t r = (b * T + t) * H;
      k.act_backward(s.rnn_act, dpre + r, dh_all + r, h_all + r, h_all + r, H, 0.0f);
    }
    if (t > 0) {
      k.sgemm(Trans::No, Trans::No, B, H, H, 1.0f, dpre + t * H, T * H, w_hh, H, 1.0f, dh_all + (t - 1) * H,
              T * H);
    }
  }
}

// ---- lstm ---------------------------------------------------------------------

// One timestep of B rows: a (rows of 4H, stride lda) holds the pre-activations and
// becomes the gates; c, tc, h (stride ldh) receive c_t, tanh(c_t), h_t; c_prev is
// null at t = 0 (c_{-1} = 0).
VGL_CLONES void lstm_step_forward(float* a, int64_t lda, float* c, float* tc, float* h, const float* c_prev,
                                  int64_t ldh, int64_t B, int64_t H) {
  const KernelTable& k = kernels();
  for (int64_t b = 0; b < B; ++b) {
    float* ab = a + b * lda;
    float* cb = c + b * ldh;
    float* tcb = tc + b * ldh;
    float* hb = h + b * ldh;
    k.act_forward(Act::Sigmoid, ab, ab, 2 * H, 0.0f);  // i, f
    k.act_forward(Act::Tanh, ab + 2 * H, ab + 2 * H, H, 0.0f);
    k.act_forward(Act::Sigmoid, ab + 3 * H, ab + 3 * H, H, 0.0f);
    const float *gi = ab, *gf = ab + H, *gg = ab + 2 * H, *go = ab + 3 * H;
    if (c_prev) {
      const float* cp = c_prev + b * ldh;
      for (int64_t j = 0; j < H; ++j) cb[j] = gf[j] * cp[j] + gi[j] * gg[j];
    } else {
      for (int64_t j = 0; j < H; ++j) cb[j] = gi[j] * gg[j];
    }
    k.act_forward(Act::Tanh, tcb, cb, H, 0.0f);
    for (int64_t j = 0; j < H; ++j) hb[j] = go[j] * tcb[j];
  }
}

void lstm_forward(const RecurrentShape& s, float* h_all, float* cache, const float* x, const float* w_ih,
                  const float* w_hh, const float* b_ih, const float* b_hh) {
  const int64_t B = s.B, T = s.T, H = s.H, GH = 4 * H;
  const CacheLayout l = cache_layout(s);
  float* gates = cache + l.gates;
  float* cell = cache + l.cell;
  float* tanh_cell = cache + l.tanh_cell;
  float* whh_t = cache + l.whh_t;
  transpose(whh_t, w_hh, GH, H);
  input_projection(gates, x, w_ih, b_ih, b_hh, B * T, s.I, GH, GH);
  for (int64_t t = 0; t < T; ++t) {
    float* at = gates + t * GH;
    if (t > 0) {
      kernels().sgemm(Trans::No, Trans::No, B, GH, H, 1.0f, h_all + (t - 1) * H, T * H, whh_t, GH, 1.0f, at,
                      T * GH);
    }
    lstm_step_forward(at, T * GH, cell + t * H, tanh_cell + t * H, h_all + t * H,
                      t > 0 ? cell + (t - 1) * H : nullptr, T * H, B, H);
  }
}

// One row of lstm_step_backward. Every array is its own __restrict pointer (the four
// gate rows of da too) so the loop vectorises without alias checks; kHasPrev is false
// at t = 0, where c_{-1} = 0.
template <bool kHasPrev>
inline void lstm_row_backward(float* __restrict di, float* __restrict df, float* __restrict dg,
                              float* __restrict dout, float* __restrict dc, const float* __restrict gi,
                              const float* __restrict gf, const float* __restrict gg, const float* __restrict go,
                              const float* __restrict tc, const float* __restrict dh,
                              const float* __restrict cp, int64_t H) {
  for (int64_t j = 0; j < H; ++j) {
    const float i = gi[j], f = gf[j], g = gg[j], o = go[j], th = tc[j], d = dh[j];
    const float dcj = dc[j] + d * o * (1.0f - th) * (1.0f + th);
    di[j] = dcj * g * i * (1.0f - i);
    df[j] = kHasPrev ? dcj * cp[j] * f * (1.0f - f) : 0.0f;
    dg[j] = dcj * i * (1.0f - g) * (1.0f + g);
    dout[j] = d * th * o * (1.0f - o);
    dc[j] = dcj * f;
  }
}

// One timestep of B rows backward. dh (stride ldh) is the total dL/dh_t; dc (B,H)
// carries dL/dc_{t+1} * f_{t+1} in and dL/dc_t * f_t out; da (stride lda) receives
// the pre-activation gradient of rows i, f, g, o.
VGL_CLONES void lstm_step_backward(float* da, int64_t lda, float* dc, const float* dh, const float* a,
                                   const float* tc, const float* c_prev, int64_t ldh, int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b) {
    const float* ab = a + b * lda;
    float* dab = da + b * lda;
    if (c_prev) {
      lstm_row_backward<true>(dab, dab + H, dab + 2 * H, dab + 3 * H, dc + b * H, ab, ab + H, ab + 2 * H,
                              ab + 3 * H, tc + b * ldh, dh + b * ldh, c_prev + b * ldh, H);
    } else {
      lstm_row_backward<false>(dab, dab + H, dab + 2 * H, dab + 3 * H, dc + b * H, ab, ab + H, ab + 2 * H,
                               ab + 3 * H, tc + b * ldh, dh + b * ldh, nullptr, H);
    }
  }
}

void lstm_backward_loop(const RecurrentShape& s, float* dh_all, float* dpre, float* dc, const float* cache,
                        const float* w_hh) {
  const int64_t B = s.B, T = s.T, H = s.H, GH = 4 * H;
  const CacheLayout l = cache_layout(s);
  const float* gates = cache + l.gates;
  const float* cell = cache + l.cell;
  const float* tanh_cell = cache + l.tanh_cell;
  std::memset(dc, 0, static_cast<size_t>(B * H) * sizeof(float));
  for (int64_t t = T - 1; t >= 0; --t) {
    lstm_step_backward(dpre + t * GH, T * GH, dc, dh_all + t * H, gates + t * GH, tanh_cell + t * H,
                       t > 0 ? cell + (t - 1) * H : nullptr, T * H, B, H);
    if (t > 0) {
      kernels().sgemm(Trans::No, Trans::No, B, H, GH, 1.0f, dpre + t * GH, T * GH, w_hh, H, 1.0f,
                      dh_all + (t - 1) * H, T * H);
    }
  }
}

// ---- gru ----------------------------------------------------------------------

// One timestep of B rows: a (stride lda) holds r, z pre-activations and W_in x + b_in
// and becomes r, z, n; hn (stride ldh) = W_hn h_{t-1} + b_hn; h_prev null at t = 0.
VGL_CLONES void gru_step_forward(float* a, int64_t lda, float* h, const float* hn, const float* h_prev,
                                 int64_t ldh, int64_t B, int64_t H) {
  const KernelTable& k = kernels();
  for (int64_t b = 0; b < B; ++b) {
    float* ab = a + b * lda;
    float* hb = h + b * ldh;
    const float* hnb = hn + b * ldh;
    k.act_forward(Act::Sigmoid, ab, ab, 2 * H, 0.0f);  // r, z
    const float *gr = ab, *gz = ab + H;
    float* gn = ab + 2 * H;
    for (int64_t j = 0; j < H; ++j) gn[j] += gr[j] * hnb[j];
    k.act_forward(Act::Tanh, gn, gn, H, 0.0f);
    if (h_prev) {
      const float* hp = h_prev + b * ldh;
      for (int64_t j = 0; j < H; ++j) hb[j] = gn[j] + gz[j] * (hp[j] - gn[j]);
    } else {
      for (int64_t j = 0; j < H; ++j) hb[j] = (1.0f - gz[j]) * gn[j];
    }
  }
}

void gru_forward(const RecurrentShape& s, float* h_all, float* cache, const float* x, const float* w_ih,
                 const float* w_hh, const float* b_ih, const float* b_hh) {
  const int64_t B = s.B, T = s.T, H = s.H, GH = 3 * H;
  const KernelTable& k = kernels();
  const CacheLayout l = cache_layout(s);
  float* gates = cache + l.gates;
  float* hn = cache + l.hn;
  float* whh_t = cache + l.whh_t;
  transpose(whh_t, w_hh, GH, H);
  input_projection(gates, x, w_ih, b_ih, b_hh, B * T, s.I, GH, 2 * H);
  for (int64_t r = 0; r < B * T; ++r) std::memcpy(hn + r * H, b_hh + 2 * H, static_cast<size_t>(H) * sizeof(float));
  for (int64_t t = 0; t < T; ++t) {
    float* at = gates + t * GH;
    float* hnt = hn + t * H;
    const float* hp = t > 0 ? h_all + (t - 1) * H : nullptr;
    if (hp) {
      // r, z columns add onto the input projection; the n columns go to hn, which r scales.
      k.sgemm(Trans::No, Trans::No, B, 2 * H, H, 1.0f, hp, T * H, whh_t, GH, 1.0f, at, T * GH);
      k.sgemm(Trans::No, Trans::No, B, H, H, 1.0f, hp, T * H, whh_t + 2 * H, GH, 1.0f, hnt, T * H);
    }
    gru_step_forward(at, T * GH, h_all + t * H, hnt, hp, T * H, B, H);
  }
}

// One row of gru_step_backward, every array its own __restrict pointer so the loop
// vectorises; kHasPrev is false at t = 0, where h_{-1} = 0 and nothing flows back.
template <bool kHasPrev>
inline void gru_row_backward(float* __restrict dr, float* __restrict dz, float* __restrict dhn,
                             float* __restrict dn, float* __restrict dh_prev, const float* __restrict gr,
                             const float* __restrict gz, const float* __restrict gn, const float* __restrict hn,
                             const float* __restrict dh, const float* __restrict h_prev, int64_t H) {
  for (int64_t j = 0; j < H; ++j) {
    const float r = gr[j], z = gz[j], n = gn[j], d = dh[j];
    const float hp = kHasPrev ? h_prev[j] : 0.0f;
    const float dn_pre = d * (1.0f - z) * (1.0f - n) * (1.0f + n);
    dr[j] = dn_pre * hn[j] * r * (1.0f - r);
    dz[j] = d * (hp - n) * z * (1.0f - z);
    dhn[j] = dn_pre * r;
    dn[j] = dn_pre;
    if (kHasPrev) dh_prev[j] += d * z;
  }
}

// One timestep of B rows backward. dh (stride ldh) is the total dL/dh_t; dh_prev
// (same stride, null at t = 0) receives the direct term dh_t * z. da (stride lda)
// receives dr_pre, dz_pre and dn_pre * r (the gradient of W_hn h + b_hn); dn (stride
// ldh) receives dn_pre (the gradient of W_in x + b_in).
VGL_CLONES void gru_step_backward(float* da, int64_t lda, float* dn, float* dh_prev, const float* dh,
                                  const float* a, const float* hn, const float* h_prev, int64_t ldh, int64_t B,
                                  int64_t H) {
  for (int64_t b = 0; b < B; ++b) {
    const float* ab = a + b * lda;
    float* dab = da + b * lda;
    const int64_t o = b * ldh;
    if (h_prev) {
      gru_row_backward<true>(dab, dab + H, dab + 2 * H, dn + o, dh_prev + o, ab, ab + H, ab + 2 * H, hn + o,
                             dh + o, h_prev + o, H);
    } else {
      gru_row_backward<false>(dab, dab + H, dab + 2 * H, dn + o, nullptr, ab, ab + H, ab + 2 * H, hn + o, dh + o,
                              nullptr, H);
    }
  }
}

void gru_backward_loop(const RecurrentShape& s, float* dh_all, float* dpre, float* dn, const float* cache,
                       const float* h_all, const float* w_hh) {
  const int64_t B = s.B, T = s.T, H = s.H, GH = 3 * H;
  const CacheLayout l = cache_layout(s);
  const float* gates = cache + l.gates;
  const float* hn = cache + l.hn;
  for (int64_t t = T - 1; t >= 0; --t) {
    float* dh_prev = t > 0 ? dh_all + (t - 1) * H : nullptr;
    gru_step_backward(dpre + t * GH, T * GH, dn + t * H, dh_prev, dh_all + t * H, gates + t * GH, hn + t * H,
                      t > 0 ? h_all + (t - 1) * H : nullptr, T * H, B, H);
    if (dh_prev) {
      kernels().sgemm(Trans::No, Trans::No, B, H, GH, 1.0f, dpre + t * GH, T * GH, w_hh, H, 1.0f, dh_prev,
                      T * H);
    }
  }
}

}  // namespace

int64_t recurrent_cache_size(const RecurrentShape& s) { return cache_layout(s).total; }

int64_t recurrent_scratch_size(const RecurrentShape& s) { return scratch_layout(s).total; }

void recurrent_forward(const RecurrentShape& s, float* h_all, float* cache, const float* x, const float* w_ih,
                       const float* w_hh, const float* b_ih, const float* b_hh) {
  if (s.B <= 0 || s.T <= 0 || s.H <= 0) return;
  switch (s.cell) {
    case CellKind::Rnn: return rnn_forward(s, h_all, cache, x, w_ih, w_hh, b_ih, b_hh);
    case CellKind::Lstm: return lstm_forward(s, h_all, cache, x, w_ih, w_hh, b_ih, b_hh);
    case CellKind::Gru: return gru_forward(s, h_all, cache, x, w_ih, w_hh, b_ih, b_hh);
  }
}

void recurrent_backward(const RecurrentShape& s, float* dx, float* dw_ih, float* dw_hh, float* db_ih, float* db_hh,
                        float* dh_all, float* scratch, const float* cache, const float* x, const float* h_all,
                        const float* w_ih, const float* w_hh) {
  const int64_t B = s.B, T = s.T, I = s.I, H = s.H, BT = s.B * s.T, GH = s.gates() * s.H;
  if (B <= 0 || T <= 0 || H <= 0) return;
  const KernelTable& k = kernels();
  const ScratchLayout l = scratch_layout(s);
  float* dpre = scratch + l.dpre;
  float* h_prev = scratch + l.h_prev;

  // Backpropagation through time: afterwards dh_all holds the total dL/dh_t and dpre
  // the pre-activation gradients of every step.
  switch (s.cell) {
    case CellKind::Rnn: rnn_backward_loop(s, dh_all, dpre, h_all, w_hh); break;
    case CellKind::Lstm: lstm_backward_loop(s, dh_all, dpre, scratch + l.dc, cache, w_hh); break;
    case CellKind::Gru: gru_backward_loop(s, dh_all, dpre, scratch + l.dn, cache, h_all, w_hh); break;
  }

  // dW_hh += dpre^T h_prev over all B*T rows, h_prev being h shifted one step later in
  // each sequence (row (b,t) holds h_{t-1}, zero at t = 0).
  if (dw_hh) {
    for (int64_t b = 0; b < B; ++b) {
      float* hp = h_prev + b * T * H;
      std::memset(hp, 0, static_cast<size_t>(H) * sizeof(float));
      std::memcpy(hp + H, h_all + b * T * H, static_cast<size_t>((T - 1) * H) * sizeof(float));
    }
    k.sgemm(Trans::Yes, Trans::No, GH, H, BT, 1.0f, dpre, GH, h_prev, H, 1.0f, dw_hh, H);
  }
  // dW_ih is formed transposed, dW_ih^T (I, GH) = x^T dpre, then added: with the usual
  // few inputs (I = 1, 2) the product's wide side is then GH, which fills sgemm's
  // register tiles, where dpre^T x (N = I) would run almost empty tiles (about 2x slower
  // measured for the lstm workload, I = 2).
  float* dw_ih_t = scratch + l.dw_ih_t;
  if (s.cell != CellKind::Gru) {
    // Both biases enter the pre-activation the same way: the same gradient.
    column_sums(db_ih, db_hh, dpre, BT, GH, GH);
    if (dw_ih) {
      k.sgemm(Trans::Yes, Trans::No, I, GH, BT, 1.0f, x, I, dpre, GH, 0.0f, dw_ih_t, GH);
      add_transposed(dw_ih, dw_ih_t, I, GH);
    }
    if (dx) k.sgemm(Trans::No, Trans::No, BT, I, GH, 1.0f, dpre, GH, w_ih, I, 1.0f, dx, I);
    return;
  }
  // gru: rows r, z share one gradient; the n rows differ (dn_pre for W_in, b_in;
  // dn_pre * r, in dpre, for W_hn, b_hn).
  const float* dn = scratch + l.dn;
  column_sums(db_ih, db_hh, dpre, BT, 2 * H, GH);
  column_sums(db_hh ? db_hh + 2 * H : nullptr, nullptr, dpre + 2 * H, BT, H, GH);
  column_sums(db_ih ? db_ih + 2 * H : nullptr, nullptr, dn, BT, H, H);
  if (dw_ih) {
    k.sgemm(Trans::Yes, Trans::No, I, 2 * H, BT, 1.0f, x, I, dpre, GH, 0.0f, dw_ih_t, GH);
    k.sgemm(Trans::Yes, Trans::No, I, H, BT, 1.0f, x, I, dn, H, 0.0f, dw_ih_t + 2 * H, GH);
    add_transposed(dw_ih, dw_ih_t, I, GH);
  }
  if (dx) {
    k.sgemm(Trans::No, Trans::No, BT, I, 2 * H, 1.0f, dpre, GH, w_ih, I, 1.0f, dx, I);
    k.sgemm(Trans::No, Trans::No, BT, I, H, 1.0f, dn, H, w_ih + 2 * H * I, I, 1.0f, dx, I);
  }
}

const float* recurrent_gate_activations(const RecurrentShape& s, const float* cache) {
  return s.cell == CellKind::Rnn ? nullptr : cache + cache_layout(s).gates;
}

const float* recurrent_cell_states(const RecurrentShape& s, const float* cache) {
  return s.cell == CellKind::Lstm ? cache + cache_layout(s).cell : nullptr;
}

}  // namespace vgl
