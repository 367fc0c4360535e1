#include "core/train/session.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/kernels/kernels.h"
#include "core/trace/node_stats.h"
#include "core/trace/recurrent_stats.h"
#include "core/train/init.h"
#include "core/train/rng.h"

namespace vgl {

namespace {

std::string format_bytes(double bytes) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1);
  if (bytes >= 1024.0 * 1024 * 1024) os << bytes / (1024.0 * 1024 * 1024) << " GiB";
  else os << bytes / (1024.0 * 1024) << " MiB";
  return os.str();
}

bool all_finite(const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

Session::Session(const NetworkSpec& spec, const SessionOptions& options) : plan_(compile_plan(spec)), options_(options) {
  params_.resize(plan_.params.size());
  for (size_t i = 0; i < plan_.params.size(); ++i) {
    const ParamInfo& info = plan_.params[i];
    params_[i].value.resize(info.size);
    if (info.trainable) params_[i].grad.resize(info.size);
    init_param(params_[i].value, plan_, info, options_.seed);
  }
  // Explicit weights in the spec win over the initialiser (already validated by compile_plan).
  for (const NodeSpec& n : spec.nodes) {
    for (const auto& [wname, values] : n.weights) {
      const int index = plan_.find_param(n.id + "." + wname);
      std::copy(values.begin(), values.end(), params_[index].value.data());
    }
  }
  for (size_t k = 1; k < plan_.nodes.size(); ++k) traces_.node_ids.push_back(plan_.nodes[k].id);
  for (const ParamInfo& p : plan_.params)
    if (p.trainable) traces_.param_names.push_back(p.name);
  for (const PlanNode& n : plan_.nodes) {
    if (n.kind != OpKind::Recurrent) continue;
    traces_.recurrent_ids.push_back(n.id);
    traces_.recurrent_time.push_back(n.input_time);
    traces_.recurrent_gates.push_back(reported_gates(n.cell));
  }
  ensure_batch(settings_.batch_size);
}

void Session::ensure_batch(int64_t rows) {
  if (rows <= ws_.batch) return;
  const double need = workspace_bytes(plan_, rows);
  if (need > options_.memory_cap_bytes) {
    std::ostringstream os;
    os << "a batch of " << rows << " rows needs " << format_bytes(need)
       << " for activations and gradients; the memory limit is " << format_bytes(options_.memory_cap_bytes);
    fail(os.str());
  }
  workspace_resize(ws_, plan_, rows);
  full_batch_loaded_ = false;
}

void Session::check_rows(const float* x, int64_t rows, int64_t features, const char* what) const {
  if (features != plan_.input_width()) {
    std::ostringstream os;
    os << what << " has " << features << " values per row; the input node \"" << plan_.nodes[0].id << "\" expects "
       << plan_.input_width();
    if (plan_.nodes[0].sequence) os << " (" << plan_.input_time << " timesteps x " << plan_.input_features << " features)";
    fail(os.str());
  }
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t f = 0; f < features; ++f) {
      if (!std::isfinite(x[r * features + f])) {
        std::ostringstream os;
        os << what << ": row " << r << ", feature " << f << " is " << (std::isnan(x[r * features + f]) ? "NaN" : "infinite");
        fail(os.str());
      }
    }
  }
}

void Session::set_data(const float* x, int64_t rows, int64_t features, const int32_t* labels, const float* targets,
                       int64_t target_width) {
  if (rows <= 0) fail("data: the data set has no rows");
  check_rows(x, rows, features, "data");
  if (plan_.loss == LossKind::SoftmaxCrossEntropy) {
    if (!labels) fail("data: softmax cross-entropy needs integer class labels");
    const int64_t L = plan_.labels_per_sample();
    for (int64_t i = 0; i < rows * L; ++i) {
      if (labels[i] < 0 || labels[i] >= plan_.output_features) {
        std::ostringstream os;
        os << "data: row " << i / L;
        if (L > 1) os << ", timestep " << i % L;
        os << " has class " << labels[i] << "; the output node \"" << plan_.nodes[plan_.output].id << "\" has "
           << plan_.output_features << " classes (0 to " << plan_.output_features - 1 << ")";
        fail(os.str());
      }
    }
    data_labels_.assign(labels, labels + rows * L);
    data_targets_.clear();
  } else {
    if (!targets) fail("data: this loss needs numeric targets");
    if (target_width != plan_.output_width()) {
      std::ostringstream os;
      os << "data: targets have " << target_width << " values per row; the output node \""
         << plan_.nodes[plan_.output].id << "\" produces " << plan_.output_width();
      fail(os.str());
    }
    for (int64_t i = 0; i < rows * target_width; ++i) {
      if (!std::isfinite(targets[i])) {
        std::ostringstream os;
        os << "data: the target of row " << i / target_width << " is not a finite number";
        fail(os.str());
      }
    }
    data_targets_.assign(targets, targets + rows * target_width);
    data_labels_.clear();
  }
  data_x_.assign(x, x + rows * features);
  data_rows_ = rows;
  order_.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) order_[r] = r;
  cursor_ = rows;  // forces a shuffle at the first batch
  epoch_ = 0;
  full_batch_loaded_ = false;
}

void Session::set_optimizer(const OptimizerConfig& config) {
  validate_optimizer(config);
  optimizer_ = config;
}

void Session::set_train_settings(const TrainSettings& settings) {
  if (settings.batch_size < 1) fail("batch_size must be at least 1");
  if (settings.trace_every < 1) fail("trace_every must be at least 1");
  // Histogram rows line up with traced rows; switching them mid-run would misalign both.
  if (step_ > 0 && settings.histogram != settings_.histogram)
    fail("histogram cannot be switched on or off once training has started");
  ensure_batch(settings.batch_size);
  settings_ = settings;
  full_batch_loaded_ = false;
}

// Fills ws_.out[0] and the batch targets with the next batch: the whole set when it
// fits in one batch (copied once), otherwise consecutive slices of a shuffled order,
// reshuffled every epoch from (seed, epoch).
void Session::load_batch() {
  const int64_t F = plan_.input_width();
  const int64_t W = plan_.output_width();
  const int64_t L = plan_.labels_per_sample();
  const bool classes = plan_.loss == LossKind::SoftmaxCrossEntropy;
  if (data_rows_ <= settings_.batch_size) {
    if (full_batch_loaded_) return;
    std::memcpy(ws_.out[0].data(), data_x_.data(), sizeof(float) * data_rows_ * F);
    if (classes) batch_labels_ = data_labels_;
    else batch_targets_ = data_targets_;
    full_batch_loaded_ = true;
    return;
  }
  const int64_t B = settings_.batch_size;
  if (cursor_ + B > data_rows_) {
    Rng rng(options_.seed ^ (0x5851f42d4c957f2dULL * static_cast<uint64_t>(++epoch_)));
    for (int64_t i = data_rows_ - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(static_cast<uint64_t>(i + 1))]);
    cursor_ = 0;
  }
  batch_labels_.resize(classes ? B * L : 0);
  batch_targets_.resize(classes ? 0 : B * W);
  float* in = ws_.out[0].data();
  for (int64_t b = 0; b < B; ++b) {
    const int64_t r = order_[cursor_ + b];
    std::memcpy(in + b * F, data_x_.data() + r * F, sizeof(float) * F);
    if (classes) std::copy_n(data_labels_.data() + r * L, L, batch_labels_.data() + b * L);
    else std::memcpy(batch_targets_.data() + b * W, data_targets_.data() + r * W, sizeof(float) * W);
  }
  cursor_ += B;
}

void Session::zero_param_grads() {
  for (size_t i = 0; i < params_.size(); ++i)
    if (plan_.params[i].trainable) params_[i].grad.zero();
}

StepOutcome Session::step() {
  if (data_rows_ == 0) fail("no data set: load data before training");
  load_batch();
  const int64_t B = std::min(data_rows_, settings_.batch_size);
  const bool traced = (step_ % settings_.trace_every) == 0;
  const KernelTable& k = kernels();

  zero_node_grads(plan_, ws_, B);
  zero_param_grads();
  plan_forward(plan_, ws_, params_, B, true, options_.seed, step_);
  TargetView target{batch_labels_.data(), batch_targets_.data()};
  const LossResult lr = plan_loss(plan_, ws_, B, target);
  plan_backward(plan_, ws_, params_, B, BackwardMode{});

  // Gradient statistics: the global norm is needed for clipping and the divergence
  // check on every step. On traced steps the same one pass over each gradient also
  // gives mean and max |g| and, when histograms are on, the log10 histogram: all of
  // the gradient as backprop produced it, before clipping scales it (which would
  // shift every bin by one factor). The weights' norms come from the update's pass.
  const size_t P = plan_.params.size();
  grad_sumsq_.assign(P, 0.0);
  double total = 0.0;
  const bool histogram = traced && settings_.histogram;
  if (traced) {
    sum_abs_.assign(P, 0.0);
    max_abs_.assign(P, 0.0f);
    grad_hist_.assign(histogram ? traces_.param_names.size() * (kHistBins + 1) : 0, 0u);
  }
  uint32_t* counts = histogram ? grad_hist_.data() : nullptr;  // this param's row, [kHistBins + 1]
  for (size_t i = 0; i < P; ++i) {
    const ParamInfo& info = plan_.params[i];
    if (!info.trainable) continue;
    if (traced) {
      k.grad_stats(params_[i].grad.data(), info.size, kHistLo, kHistHi, kHistBins, counts, &sum_abs_[i], &max_abs_[i],
                   &grad_sumsq_[i]);
      if (counts) counts += kHistBins + 1;
    } else {
      grad_sumsq_[i] = k.sum_squares(params_[i].grad.data(), info.size);
    }
    total += grad_sumsq_[i];
  }

  StepOutcome out;
  out.loss = lr.loss;
  out.accuracy = lr.accuracy;
  out.traced = traced;
  if (!std::isfinite(lr.loss) || !std::isfinite(total)) {
    out.diverged = true;
    out.divergence = locate_divergence(B);
    // The step is not applied: the weights stay as they were before the blow-up.
    traces_.loss.push_back(static_cast<float>(lr.loss));
    traces_.accuracy.push_back(static_cast<float>(lr.accuracy));
    ++step_;
    return out;
  }

  clip_gradients(plan_, params_, std::sqrt(total), optimizer_.clip_norm);
  optimizer_step(optimizer_, step_ + 1, plan_, params_, update_sumsq_, param_sumsq_);
  if (traced) record_trace(B, grad_sumsq_, sum_abs_, max_abs_, grad_hist_, param_sumsq_, update_sumsq_);
  traces_.loss.push_back(static_cast<float>(lr.loss));
  traces_.accuracy.push_back(static_cast<float>(lr.accuracy));
  ++step_;
  return out;
}

// Names where NaN or Inf first appears: the first node (in forward order) whose
// output is not finite; failing that, the last node (the first reached by the
// backward pass) whose gradient is not finite; failing that, the loss.
std::string Session::locate_divergence(int64_t B) const {
  std::ostringstream os;
  os << "training diverged at step " << step_ << ": ";
  for (size_t k = 1; k < plan_.nodes.size(); ++k) {
    if (!all_finite(ws_.out[k].data(), B * plan_.nodes[k].size_per_sample())) {
      os << "the output of node \"" << plan_.nodes[k].id << "\" holds NaN or Inf";
      return os.str();
    }
  }
  for (size_t k = plan_.nodes.size() - 1; k >= 1; --k) {
    if (!all_finite(ws_.grad[k].data(), B * plan_.nodes[k].size_per_sample())) {
      os << "the gradient at the output of node \"" << plan_.nodes[k].id << "\" holds NaN or Inf";
      return os.str();
    }
  }
  for (size_t i = 0; i < plan_.params.size(); ++i) {
    if (plan_.params[i].trainable && !all_finite(params_[i].grad.data(), plan_.params[i].size)) {
      os << "the gradient of " << plan_.params[i].name << " holds NaN or Inf";
      return os.str();
    }
  }
  os << "the loss is not finite";
  return os.str();
}

void Session::record_trace(int64_t B, const std::vector<double>& grad_sumsq, const std::vector<double>& sum_abs,
                           const std::vector<float>& max_abs, const std::vector<uint32_t>& grad_hist,
                           const std::vector<double>& param_sumsq, const std::vector<double>& update_sumsq) {
  TraceStore& t = traces_;
  t.traced_step.push_back(static_cast<int32_t>(step_));
  const KernelTable& k = kernels();
  for (size_t n = 1; n < plan_.nodes.size(); ++n) {
    const PlanNode& node = plan_.nodes[n];
    const int64_t count = B * node.size_per_sample();
    t.out_grad_norm.push_back(static_cast<float>(std::sqrt(k.sum_squares(ws_.grad[n].data(), count))));
    if (!settings_.activation_stats) {
      t.act_mean.push_back(kNaN);
      t.act_std.push_back(kNaN);
      t.saturated_frac.push_back(kNaN);
      continue;
    }
    const NodeStats s =
        node_output_stats(node, ws_.out[n].data(), ws_.out[node.inputs[0]].data(), B * node.time, node.features);
    t.act_mean.push_back(s.mean);
    t.act_std.push_back(s.std);
    t.saturated_frac.push_back(s.saturated);
  }
  record_recurrent(B);
  for (size_t i = 0; i < plan_.params.size(); ++i) {
    const ParamInfo& info = plan_.params[i];
    if (!info.trainable) continue;
    const double pn = std::sqrt(param_sumsq[i]);
    t.grad_norm.push_back(static_cast<float>(std::sqrt(grad_sumsq[i])));
    t.param_norm.push_back(static_cast<float>(pn));
    t.grad_mean_abs.push_back(static_cast<float>(sum_abs[i] / static_cast<double>(info.size)));
    t.grad_max_abs.push_back(max_abs[i]);
    t.update_ratio.push_back(pn > 0 ? static_cast<float>(std::sqrt(update_sumsq[i]) / pn) : kNaN);
  }
  // This row's histograms, [param][kHistBins + 1] in the store's order; empty when
  // histograms are off.
  t.histogram.insert(t.histogram.end(), grad_hist.begin(), grad_hist.end());
}

void Session::record_recurrent(int64_t B) {
  TraceStore& t = traces_;
  std::vector<double> norms;
  for (size_t k = 1; k < plan_.nodes.size(); ++k) {
    const PlanNode& n = plan_.nodes[k];
    if (n.kind != OpKind::Recurrent) continue;
    const RecurrentShape rs = n.recurrent_shape(B, plan_.nodes[n.inputs[0]].features);
    norms.resize(static_cast<size_t>(rs.T));
    timestep_grad_norms(ws_.dhidden[k].data(), B, rs.T, rs.H, norms.data());
    for (double v : norms) t.timestep_grad_norm.push_back(static_cast<float>(v));
    const int64_t G = reported_gates(n.cell);
    const size_t at = t.gate_saturation.size();
    t.gate_saturation.resize(at + static_cast<size_t>(G));
    gate_saturation(rs, recurrent_gate_activations(rs, ws_.cache_a[k].data()), t.gate_saturation.data() + at);
    t.cell_norm.push_back(final_cell_norm(rs, recurrent_cell_states(rs, ws_.cache_a[k].data())));
  }
}

Evaluation Session::evaluate(const float* x, int64_t rows, const TargetView& target, bool train_mode) {
  if (rows <= 0) fail("evaluate: no rows");
  check_rows(x, rows, plan_.input_width(), "input");
  if (plan_.loss == LossKind::SoftmaxCrossEntropy) {
    for (int64_t i = 0; i < rows * plan_.labels_per_sample(); ++i)
      if (!target.labels || target.labels[i] < 0 || target.labels[i] >= plan_.output_features)
        fail("target: label " + std::to_string(i) + " is a class outside 0.." +
             std::to_string(plan_.output_features - 1));
  } else if (!target.values || !all_finite(target.values, rows * plan_.output_width())) {
    fail("target: the targets must be finite numbers, " + std::to_string(plan_.output_width()) + " per row");
  }
  ensure_batch(rows);
  full_batch_loaded_ = false;
  std::memcpy(ws_.out[0].data(), x, sizeof(float) * rows * plan_.input_width());
  zero_node_grads(plan_, ws_, rows);
  zero_param_grads();
  plan_forward(plan_, ws_, params_, rows, train_mode, options_.seed, step_);
  const LossResult lr = plan_loss(plan_, ws_, rows, target);
  BackwardMode mode;
  mode.train = train_mode;
  mode.input_grad = true;
  plan_backward(plan_, ws_, params_, rows, mode);

  Evaluation e;
  e.loss = lr.loss;
  e.accuracy = lr.accuracy;
  const float* out = ws_.out[plan_.output].data();
  e.output.assign(out, out + rows * plan_.output_width());
  e.input_grad.assign(ws_.grad[0].data(), ws_.grad[0].data() + rows * plan_.input_width());
  e.timestep_grad_norms.resize(plan_.nodes.size());
  for (size_t k = 0; k < plan_.nodes.size(); ++k) {
    const PlanNode& n = plan_.nodes[k];
    if (n.kind != OpKind::Recurrent) continue;
    e.timestep_grad_norms[k].resize(static_cast<size_t>(n.input_time));
    timestep_grad_norms(ws_.dhidden[k].data(), rows, n.input_time, n.features, e.timestep_grad_norms[k].data());
  }
  for (size_t k = 0; k < plan_.nodes.size(); ++k)
    e.node_grad_norms.push_back(
        std::sqrt(kernels().sum_squares(ws_.grad[k].data(), rows * plan_.nodes[k].size_per_sample())));
  for (size_t i = 0; i < plan_.params.size(); ++i) {
    const ParamInfo& info = plan_.params[i];
    if (info.trainable) {
      e.param_grads.emplace_back(params_[i].grad.data(), params_[i].grad.data() + info.size);
      e.param_grad_norms.push_back(std::sqrt(kernels().sum_squares(params_[i].grad.data(), info.size)));
    } else {
      e.param_grads.emplace_back();
      e.param_grad_norms.push_back(0.0);
    }
  }
  return e;
}

void Session::predict(const float* x, int64_t rows, float* out) {
  if (rows <= 0) return;
  check_rows(x, rows, plan_.input_width(), "input");
  // Predict in slices of the current workspace so a large grid (a decision boundary)
  // never needs a bigger workspace than training did.
  const int64_t slice = std::max<int64_t>(ws_.batch, 1);
  for (int64_t start = 0; start < rows; start += slice) {
    const int64_t n = std::min(slice, rows - start);
    std::memcpy(ws_.out[0].data(), x + start * plan_.input_width(), sizeof(float) * n * plan_.input_width());
    plan_forward(plan_, ws_, params_, n, false, options_.seed, step_);
    std::memcpy(out + start * plan_.output_width(), ws_.out[plan_.output].data(),
                sizeof(float) * n * plan_.output_width());
  }
  full_batch_loaded_ = false;
}

void Session::check_output_rows(int64_t rows) const {
  const double bytes = static_cast<double>(rows) * static_cast<double>(plan_.output_width()) * sizeof(float);
  if (bytes > options_.memory_cap_bytes) {
    std::ostringstream os;
    os << "the output of " << rows << " rows needs " << format_bytes(bytes) << "; the memory limit is "
       << format_bytes(options_.memory_cap_bytes);
    fail(os.str());
  }
}

void Session::set_param(int index, const float* values, int64_t count) {
  if (index < 0 || index >= static_cast<int>(params_.size())) fail("no parameter with that index");
  const ParamInfo& info = plan_.params[index];
  if (count != info.size) {
    fail(info.name + " has " + std::to_string(info.size) + " values; got " + std::to_string(count));
  }
  if (!all_finite(values, count)) fail(info.name + " holds a value that is not a finite number");
  std::memcpy(params_[index].value.data(), values, sizeof(float) * count);
}

JacobianSpectra Session::jacobian(const float* x, int64_t samples) {
  check_rows(x, samples, plan_.input_width(), "jacobian input");
  return jacobian_spectra(plan_, params_, x, samples, options_.memory_cap_bytes);
}

}  // namespace vgl
