// Residual join y = a + b. Its backward is where the accumulate convention pays
// off: the same dy flows into both inputs and each path simply adds to its buffer.
#include "core/layers/clones.h"
#include "core/layers/layers.h"

namespace vgl {

// y (n) = a (n) + b (n). y may alias a or b.
VGL_CLONES void add_forward(float* y, const float* a, const float* b, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

// da (n) += dy, db (n) += dy; either may be null. da and db may be the same buffer
// (x + x), which then correctly receives 2 dy.
VGL_CLONES void add_backward(float* da, float* db, const float* dy, int64_t n) {
  if (da) {
    for (int64_t i = 0; i < n; ++i) da[i] += dy[i];
  }
  if (db) {
    for (int64_t i = 0; i < n; ++i) db[i] += dy[i];
  }
}

}  // namespace vgl
