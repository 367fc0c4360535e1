// Element-wise activations. The arithmetic lives in the kernel tables (one per ISA,
// scalar.cpp being the specification); these wrappers give the layer API the same
// shape as every other layer so the graph plan calls them uniformly.
#include "core/layers/layers.h"

namespace vgl {

// y (n) = f(x) (n); p is the LeakyRelu slope or the Elu alpha.
void activation_forward(Act act, float* y, const float* x, int64_t n, float p) {
  if (n <= 0) return;
  kernels().act_forward(act, y, x, n, p);
}

// dx (n) += dy (n) * f'(x); x and y = f(x) are both from the forward.
void activation_backward(Act act, float* dx, const float* dy, const float* x, const float* y, int64_t n,
                         float p) {
  if (!dx || n <= 0) return;
  kernels().act_backward(act, dx, dy, x, y, n, p);
}

}  // namespace vgl
