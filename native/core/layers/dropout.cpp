// Inverted dropout: during training each unit is zeroed with probability p and the
// survivors are scaled by 1/(1-p), so evaluation needs no rescaling (it is the
// identity and is not a call at all).
//
// The mask comes from a counter-based hash rather than a stateful generator: bit i
// is a pure function of (seed, stream, i). The same seed reproduces the same run
// however the work is split across threads, and the graph gives each dropout layer
// and step its own stream.
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/layers/layers.h"

namespace vgl {

namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;  // 2^64 / phi, splitmix64's increment

// splitmix64's finaliser: a bijection whose output bits each depend on every input bit.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

// y (n) = x (n) * mask (n); mask holds 0 or 1/(1-p); p in [0,1).
void dropout_forward(float* y, float* mask, const float* x, int64_t n, float p, uint64_t seed,
                     uint64_t stream) {
  if (!(p >= 0.0f && p < 1.0f)) fail("dropout probability must be at least 0 and below 1");
  if (n <= 0) return;
  if (p == 0.0f) {
    for (int64_t i = 0; i < n; ++i) mask[i] = 1.0f;
    if (y != x) std::memcpy(y, x, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  // Element i uses the i-th output of a splitmix64 sequence whose starting state is
  // hashed from (seed, stream): mixing the stream first keeps nearby streams (and
  // nearby seeds) from producing shifted copies of one another.
  const uint64_t key = mix64(seed ^ mix64(stream + kGolden));
  // Drop when the top 32 bits, read as u in [0,1), fall below p. p < 1 keeps the
  // threshold within 2^32.
  const uint64_t threshold = static_cast<uint64_t>(std::ceil(static_cast<double>(p) * 4294967296.0));
  const float keep_scale = 1.0f / (1.0f - p);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t bits = mix64(key + static_cast<uint64_t>(i + 1) * kGolden) >> 32;
    const float m = bits < threshold ? 0.0f : keep_scale;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

// dx (n) += dy (n) * mask (n).
void dropout_backward(float* dx, const float* dy, const float* mask, int64_t n) {
  if (!dx) return;
  for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * mask[i];
}

}  // namespace vgl
