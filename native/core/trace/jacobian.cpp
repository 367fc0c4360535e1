#include "core/trace/jacobian.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"

namespace vgl {

std::vector<double> singular_values(const std::vector<double>& a, int64_t m, int64_t n) {
  // Work on columns of the taller orientation: cols <= rows. Stored column-major so each
  // rotation streams two contiguous columns.
  const bool transpose = n > m;
  const int64_t rows = transpose ? n : m, cols = transpose ? m : n;
  std::vector<double> c(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      const double v = a[i * n + j];
      if (transpose) c[i * rows + j] = v;  // column i of A^T is row i of A
      else c[j * rows + i] = v;
    }
  const double tol = 1e-15;
  for (int sweep = 0; sweep < 80; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p + 1 < cols; ++p) {
      double* cp = c.data() + p * rows;
      for (int64_t q = p + 1; q < cols; ++q) {
        double* cq = c.data() + q * rows;
        double alpha = 0, beta = 0, gamma = 0;
        for (int64_t i = 0; i < rows; ++i) {
          alpha += cp[i] * cp[i];
          beta += cq[i] * cq[i];
          gamma += cp[i] * cq[i];
        }
        if (gamma == 0 || std::fabs(gamma) <= tol * std::sqrt(alpha * beta)) continue;
        rotated = true;
        const double zeta = (beta - alpha) / (2 * gamma);
        const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const double cs = 1 / std::sqrt(1 + t * t), sn = cs * t;
        for (int64_t i = 0; i < rows; ++i) {
          const double u = cp[i], v = cq[i];
          cp[i] = cs * u - sn * v;
          cq[i] = sn * u + cs * v;
        }
      }
    }
    if (!rotated) break;
  }
  std::vector<double> s(static_cast<size_t>(cols));
  for (int64_t j = 0; j < cols; ++j) {
    double sum = 0;
    for (int64_t i = 0; i < rows; ++i) sum += c[j * rows + i] * c[j * rows + i];
    s[j] = std::sqrt(sum);
  }
  std::sort(s.begin(), s.end(), std::greater<double>());
  return s;
}

namespace {

bool has_own_jacobian(const PlanNode& n) { return n.kind != OpKind::Input && n.kind != OpKind::Add; }

void check_dim(const std::string& what, int64_t dim) {
  if (dim > kMaxJacobianDim) {
    std::ostringstream os;
    os << "Jacobian spectra are computed for up to " << kMaxJacobianDim << " features; " << what << " has " << dim;
    fail(os.str());
  }
}

}  // namespace

JacobianSpectra jacobian_spectra(const Plan& plan, std::vector<ParamState>& params, const float* x, int64_t samples,
                                 double memory_cap_bytes) {
  if (samples < 1) fail("jacobian: at least one sample is needed");
  for (const PlanNode& n : plan.nodes)
    if (n.sequence || n.kind == OpKind::Recurrent)
      fail("Jacobian spectra are computed for feed-forward networks; node \"" + n.id + "\" works on sequences");
  const int64_t IN = plan.input_features, OUT = plan.output_features;
  check_dim("the input", IN);
  check_dim("the output", OUT);
  // The sample is replicated once per Jacobian row: row r of the batch carries the
  // identity seed e_r, so one backward pass yields the whole Jacobian.
  int64_t B = OUT;
  for (const PlanNode& n : plan.nodes) {
    if (!has_own_jacobian(n)) continue;
    check_dim("node \"" + n.id + "\"", n.features);
    B = std::max(B, n.features);
  }
  if (workspace_bytes(plan, B) > memory_cap_bytes) fail("jacobian: the network is too large for the memory limit");
  Workspace ws;
  workspace_resize(ws, plan, B);
  BackwardMode mode;
  mode.train = false;
  mode.input_grad = true;
  mode.param_grads = false;

  JacobianSpectra out;
  out.samples = samples;
  out.nodes.resize(plan.nodes.size());
  for (int64_t s = 0; s < samples; ++s) {
    for (int64_t r = 0; r < B; ++r) std::copy(x + s * IN, x + (s + 1) * IN, ws.out[0].data() + r * IN);
    plan_forward(plan, ws, params, B, false, 0, 0);

    zero_node_grads(plan, ws, OUT);
    float* seed = ws.grad[plan.output].data();
    for (int64_t r = 0; r < OUT; ++r) seed[r * OUT + r] = 1.0f;
    plan_backward(plan, ws, params, OUT, mode);
    std::vector<double> j(ws.grad[0].data(), ws.grad[0].data() + OUT * IN);
    const std::vector<double> sv = singular_values(j, OUT, IN);
    out.network.insert(out.network.end(), sv.begin(), sv.end());

    for (size_t k = 1; k < plan.nodes.size(); ++k) {
      const PlanNode& n = plan.nodes[k];
      if (!has_own_jacobian(n)) continue;
      const int64_t F = n.features;
      const int src = n.inputs[0];
      const int64_t in = plan.nodes[src].features;
      std::fill(ws.grad[src].data(), ws.grad[src].data() + F * in, 0.0f);
      float* g = ws.grad[k].data();
      std::fill(g, g + F * F, 0.0f);
      for (int64_t r = 0; r < F; ++r) g[r * F + r] = 1.0f;
      node_backward(plan, ws, params, k, F, mode);
      std::vector<double> jk(ws.grad[src].data(), ws.grad[src].data() + F * in);
      const std::vector<double> svk = singular_values(jk, F, in);
      out.nodes[k].insert(out.nodes[k].end(), svk.begin(), svk.end());
    }
  }
  return out;
}

}  // namespace vgl
