// Spec -> Plan: validation, topological order, widths and parameter slots.
#include "core/graph/plan.h"

#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/error.h"

namespace vgl {

int Plan::find_param(const std::string& name) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

[[noreturn]] void node_fail(const std::string& id, const std::string& message) {
  fail("node " + quoted(id) + ": " + message);
}

struct KindInfo {
  OpKind kind;
  Act act;
  int arity;  // number of inputs
};

const std::map<std::string, KindInfo>& kinds() {
  static const std::map<std::string, KindInfo> table = {
      {"input", {OpKind::Input, Act::Linear, 0}},
      {"dense", {OpKind::Dense, Act::Linear, 1}},
      {"linear", {OpKind::Activation, Act::Linear, 1}},
      {"sigmoid", {OpKind::Activation, Act::Sigmoid, 1}},
      {"tanh", {OpKind::Activation, Act::Tanh, 1}},
      {"relu", {OpKind::Activation, Act::Relu, 1}},
      {"leaky_relu", {OpKind::Activation, Act::LeakyRelu, 1}},
      {"elu", {OpKind::Activation, Act::Elu, 1}},
      {"gelu", {OpKind::Activation, Act::Gelu, 1}},
      {"softplus", {OpKind::Activation, Act::Softplus, 1}},
      {"batchnorm", {OpKind::BatchNorm, Act::Linear, 1}},
      {"layernorm", {OpKind::LayerNorm, Act::Linear, 1}},
      {"dropout", {OpKind::Dropout, Act::Linear, 1}},
      {"add", {OpKind::Add, Act::Linear, 2}},
      {"rnn", {OpKind::Recurrent, Act::Tanh, 1}},
      {"lstm", {OpKind::Recurrent, Act::Linear, 1}},
      {"gru", {OpKind::Recurrent, Act::Linear, 1}},
  };
  return table;
}

bool known_init(const std::string& s) {
  static const std::set<std::string> names = {"xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
                                              "lecun_uniform",  "lecun_normal",  "normal",     "uniform",
                                              "zeros",          "pytorch_default"};
  return names.count(s) > 0;
}

std::string string_or(const NodeSpec& n, const char* key, const std::string& fallback) {
  auto it = n.strings.find(key);
  return it == n.strings.end() ? fallback : it->second;
}

double number_or(const NodeSpec& n, const char* key, double fallback) {
  auto it = n.numbers.find(key);
  if (it == n.numbers.end()) return fallback;
  if (!std::isfinite(it->second)) node_fail(n.id, std::string(key) + " must be a finite number");
  return it->second;
}

// A positive integer width parameter within the engine's limits.
int64_t width_param(const NodeSpec& n, const char* key) {
  auto it = n.numbers.find(key);
  if (it == n.numbers.end()) node_fail(n.id, std::string(key) + " is required");
  double v = it->second;
  if (!std::isfinite(v) || v != std::floor(v) || v < 1)
    node_fail(n.id, std::string(key) + " must be a positive integer");
  if (v > static_cast<double>(kMaxFeatures)) {
    // Printed as a double: a value such as 1e20 does not fit an int64_t (the cast
    // would be undefined behaviour, and printed garbage when it was one).
    std::ostringstream os;
    os << key << " " << std::setprecision(17) << v << " is over the limit of " << kMaxFeatures;
    node_fail(n.id, os.str());
  }
  return static_cast<int64_t>(v);
}

void add_param(Plan& plan, PlanNode& node, int node_index, const char* weight, int64_t rows, int64_t cols,
               bool trainable) {
  ParamInfo p;
  p.name = node.id + "." + weight;
  p.weight = weight;
  p.node = node_index;
  p.rows = rows;
  p.cols = cols;
  p.size = rows * cols;
  p.trainable = trainable;
  plan.params.push_back(p);
  node.param_count++;
}

}  // namespace

Plan compile_plan(const NetworkSpec& spec) {
  const auto& nodes = spec.nodes;
  if (nodes.empty()) fail("the network has no nodes");
  if (static_cast<int64_t>(nodes.size()) > kMaxNodes) {
    std::ostringstream os;
    os << "the network has " << nodes.size() << " nodes; the limit is " << kMaxNodes;
    fail(os.str());
  }

  // Ids, types, the input node.
  std::unordered_map<std::string, int> index_of;
  int input_index = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const NodeSpec& n = nodes[i];
    if (n.id.empty() || n.id.size() > 64) fail("node " + std::to_string(i) + ": id must have 1 to 64 characters");
    if (!index_of.emplace(n.id, static_cast<int>(i)).second) node_fail(n.id, "the id is used by another node");
    if (!kinds().count(n.type)) node_fail(n.id, "type " + quoted(n.type) + " is not a known layer type");
    if (n.type == "input") {
      if (input_index >= 0) node_fail(n.id, "the network already has an input node " + quoted(nodes[input_index].id));
      input_index = static_cast<int>(i);
    }
  }
  if (input_index < 0) fail("the network has no input node");

  // Edges.
  if (static_cast<int64_t>(spec.edges.size()) > kMaxEdges) {
    std::ostringstream os;
    os << "the network has " << spec.edges.size() << " edges; the limit is " << kMaxEdges;
    fail(os.str());
  }
  std::vector<std::vector<int>> inputs(nodes.size()), consumers(nodes.size());
  for (size_t e = 0; e < spec.edges.size(); ++e) {
    const EdgeSpec& edge = spec.edges[e];
    auto from = index_of.find(edge.from);
    auto to = index_of.find(edge.to);
    if (from == index_of.end())
      fail("edge " + std::to_string(e) + ": \"from\" names an unknown node " + quoted(edge.from));
    if (to == index_of.end()) fail("edge " + std::to_string(e) + ": \"to\" names an unknown node " + quoted(edge.to));
    inputs[to->second].push_back(from->second);
    consumers[from->second].push_back(to->second);
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const int arity = kinds().at(nodes[i].type).arity;
    const int got = static_cast<int>(inputs[i].size());
    if (got != arity) {
      std::ostringstream os;
      if (arity == 0) os << "an input node takes no incoming edges, it has " << got;
      else os << "takes " << arity << (arity == 1 ? " input" : " inputs") << ", it has " << got;
      node_fail(nodes[i].id, os.str());
    }
  }

  // Topological order (Kahn), ties broken by position in the spec so the order is stable.
  std::vector<int> pending(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) pending[i] = static_cast<int>(inputs[i].size());
  std::vector<int> order;
  std::set<int> ready;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (pending[i] == 0) ready.insert(static_cast<int>(i));
  while (!ready.empty()) {
    int i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (int c : consumers[i])
      if (--pending[c] == 0) ready.insert(c);
  }
  if (order.size() != nodes.size()) {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (pending[i] > 0) fail("the graph has a cycle through " + quoted(nodes[i].id));
  }

  // Reachability from the input (a node fed by nothing but itself was caught above).
  std::vector<char> reached(nodes.size(), 0);
  reached[input_index] = 1;
  for (int i : order)
    for (int src : inputs[i])
      if (reached[src]) reached[i] = 1;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (!reached[i]) node_fail(nodes[i].id, "is not connected to the input");

  int output_index = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (consumers[i].empty()) {
      if (output_index >= 0)
        fail("the network has two outputs, " + quoted(nodes[output_index].id) + " and " + quoted(nodes[i].id) +
             "; connect all but one onward");
      output_index = static_cast<int>(i);
    }
  }
  if (output_index < 0) fail("the network has no output node");
  if (output_index == input_index) fail("the network has no layers after its input");

  // Nodes in order, widths and parameters.
  Plan plan;
  std::vector<int> position(nodes.size());
  for (size_t k = 0; k < order.size(); ++k) position[order[k]] = static_cast<int>(k);
  double parameter_total = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const NodeSpec& n = nodes[order[k]];
    const KindInfo& info = kinds().at(n.type);
    PlanNode node;
    node.id = n.id;
    node.type = n.type;
    node.kind = info.kind;
    node.act = info.act;
    for (int src : inputs[order[k]]) node.inputs.push_back(position[src]);
    node.param_begin = static_cast<int>(plan.params.size());
    const int self = static_cast<int>(k);
    const int64_t in = node.inputs.empty() ? 0 : plan.nodes[node.inputs[0]].features;
    const std::string in_name = node.inputs.empty() ? "" : plan.nodes[node.inputs[0]].id;

    switch (info.kind) {
      case OpKind::Input:
        node.features = width_param(n, "features");
        if (n.numbers.count("sequence_length")) {
          const double t = n.numbers.at("sequence_length");
          if (!std::isfinite(t) || t != std::floor(t) || t < 1 || t > static_cast<double>(kMaxSequenceLength)) {
            node_fail(n.id, "sequence_length must be a whole number from 1 to " + std::to_string(kMaxSequenceLength));
          }
          node.time = static_cast<int64_t>(t);
          node.sequence = true;
        }
        break;
      case OpKind::Dense: {
        node.features = width_param(n, "units");
        if (n.numbers.count("in_features")) {
          int64_t declared = width_param(n, "in_features");
          if (declared != in) {
            std::ostringstream os;
            os << "in_features " << declared << " does not match the " << in << " produced by " << quoted(in_name);
            node_fail(n.id, os.str());
          }
        }
        auto bias = n.flags.find("bias");
        node.bias = bias == n.flags.end() ? true : bias->second;
        auto init = n.strings.find("init");
        if (init != n.strings.end()) {
          if (!known_init(init->second)) node_fail(n.id, "init " + quoted(init->second) + " is not a known initialiser");
          node.init = init->second;
        }
        node.init_scale = number_or(n, "init_scale", 1.0);
        if (node.init_scale < 0) node_fail(n.id, "init_scale must not be negative");
        add_param(plan, node, self, "weight", node.features, in, true);
        if (node.bias) add_param(plan, node, self, "bias", node.features, 1, true);
        break;
      }
      case OpKind::Activation:
        node.features = in;
        if (info.act == Act::LeakyRelu) {
          node.p = static_cast<float>(number_or(n, "slope", 0.01));
        } else if (info.act == Act::Elu) {
          node.p = static_cast<float>(number_or(n, "alpha", 1.0));
          if (node.p <= 0) node_fail(n.id, "alpha must be positive");
        }
        break;
      case OpKind::BatchNorm:
      case OpKind::LayerNorm:
        node.features = in;
        node.eps = static_cast<float>(number_or(n, "eps", 1e-5));
        if (!(node.eps > 0)) node_fail(n.id, "eps must be positive");
        add_param(plan, node, self, "gamma", in, 1, true);
        add_param(plan, node, self, "beta", in, 1, true);
        if (info.kind == OpKind::BatchNorm) {
          node.momentum = static_cast<float>(number_or(n, "momentum", 0.1));
          if (node.momentum < 0 || node.momentum > 1) node_fail(n.id, "momentum must be between 0 and 1");
          add_param(plan, node, self, "running_mean", in, 1, false);
          add_param(plan, node, self, "running_var", in, 1, false);
        }
        break;
      case OpKind::Dropout:
        node.features = in;
        node.p = static_cast<float>(number_or(n, "p", 0.5));
        if (node.p < 0 || node.p >= 1) node_fail(n.id, "p must be at least 0 and below 1");
        break;
      case OpKind::Recurrent: {
        const PlanNode& src = plan.nodes[node.inputs[0]];
        if (!src.sequence)
          node_fail(n.id, "a " + n.type + " layer needs a sequence input; give the input node a sequence_length");
        node.features = width_param(n, "hidden_size");
        if (node.features > kMaxRecurrentHidden)
          node_fail(n.id, "hidden_size " + std::to_string(node.features) + " is over the limit of " +
                              std::to_string(kMaxRecurrentHidden));
        node.input_time = src.time;
        node.cell = n.type == "lstm" ? CellKind::Lstm : n.type == "gru" ? CellKind::Gru : CellKind::Rnn;
        const std::string nonlinearity = string_or(n, "nonlinearity", "tanh");
        if (nonlinearity == "relu" && node.cell == CellKind::Rnn) node.rnn_act = Act::Relu;
        else if (nonlinearity != "tanh") node_fail(n.id, "nonlinearity must be \"tanh\" or \"relu\" (rnn only)");
        const std::string ret = string_or(n, "return", "last");
        if (ret != "last" && ret != "sequence") node_fail(n.id, "return must be \"last\" or \"sequence\"");
        node.return_sequence = ret == "sequence";
        node.init = string_or(n, "init", "pytorch_default");
        if (!known_init(node.init)) node_fail(n.id, "init \"" + node.init + "\" is not a known initialiser");
        node.recurrent_init = string_or(n, "recurrent_init", "pytorch_default");
        if (!known_init(node.recurrent_init) && node.recurrent_init != "orthogonal")
          node_fail(n.id, "recurrent_init \"" + node.recurrent_init + "\" is not a known initialiser");
        node.init_scale = number_or(n, "init_scale", 1.0);
        if (node.init_scale < 0) node_fail(n.id, "init_scale must not be negative");
        node.forget_bias = number_or(n, "forget_bias", 0.0);
        const int64_t G = node.recurrent_shape(1, in).gates();
        add_param(plan, node, self, "weight_ih", G * node.features, in, true);
        add_param(plan, node, self, "weight_hh", G * node.features, node.features, true);
        add_param(plan, node, self, "bias_ih", G * node.features, 1, true);
        add_param(plan, node, self, "bias_hh", G * node.features, 1, true);
        break;
      }
      case OpKind::Add: {
        const int64_t other = plan.nodes[node.inputs[1]].features;
        const PlanNode& a = plan.nodes[node.inputs[0]];
        const PlanNode& b = plan.nodes[node.inputs[1]];
        if (a.sequence != b.sequence || a.time != b.time) {
          std::ostringstream os;
          os << "the inputs have " << (a.sequence ? std::to_string(a.time) + " timesteps" : "no time axis") << " and "
             << (b.sequence ? std::to_string(b.time) + " timesteps" : "no time axis")
             << "; an add needs equal shapes";
          node_fail(n.id, os.str());
        }
        if (in != other) {
          std::ostringstream os;
          os << "the inputs have " << in << " and " << other << " features; an add needs equal widths";
          node_fail(n.id, os.str());
        }
        node.features = in;
        break;
      }
    }

    // Time axis: recurrent layers consume it (or keep it with return "sequence"); every
    // other layer acts on each timestep and keeps its input's.
    if (info.kind == OpKind::Recurrent) {
      node.sequence = node.return_sequence;
      node.time = node.return_sequence ? node.input_time : 1;
    } else if (info.kind != OpKind::Input) {
      node.sequence = plan.nodes[node.inputs[0]].sequence;
      node.time = plan.nodes[node.inputs[0]].time;
    }

    // Explicit weights: every name must be one of this node's parameters, with the right size.
    for (const auto& [wname, values] : n.weights) {
      int found = -1;
      for (int p = node.param_begin; p < node.param_begin + node.param_count; ++p)
        if (plan.params[p].weight == wname) found = p;
      if (found < 0) node_fail(n.id, "weights." + wname + " is not a parameter of a " + n.type + " node");
      const ParamInfo& info_p = plan.params[found];
      if (static_cast<int64_t>(values.size()) != info_p.size) {
        std::ostringstream os;
        os << "weights." << wname << " has " << values.size() << " values, expected " << info_p.size;
        if (info_p.cols > 1) os << " (" << info_p.rows << " x " << info_p.cols << ")";
        node_fail(n.id, os.str());
      }
      for (float v : values)
        if (!std::isfinite(v)) node_fail(n.id, "weights." + wname + " holds a value that is not a finite number");
    }
    for (int p = node.param_begin; p < node.param_begin + node.param_count; ++p)
      if (plan.params[p].trainable) parameter_total += static_cast<double>(plan.params[p].size);
    if (parameter_total > static_cast<double>(kMaxParameters)) {
      std::ostringstream os;
      os << "the network passes the limit of " << kMaxParameters << " parameters at this node";
      node_fail(n.id, os.str());
    }
    plan.nodes.push_back(node);
  }

  plan.output = position[output_index];
  plan.input_features = plan.nodes[0].features;
  plan.output_features = plan.nodes[plan.output].features;
  plan.input_time = plan.nodes[0].time;
  plan.output_time = plan.nodes[plan.output].time;
  plan.trainable_parameter_count = static_cast<int64_t>(parameter_total);

  if (spec.loss == "softmax_cross_entropy" || spec.loss.empty()) {
    plan.loss = LossKind::SoftmaxCrossEntropy;
    if (plan.output_features < 2)
      node_fail(plan.nodes[plan.output].id, "softmax cross-entropy needs at least 2 outputs (one per class), it has " +
                                                std::to_string(plan.output_features));
  } else if (spec.loss == "mse") {
    plan.loss = LossKind::Mse;
  } else if (spec.loss == "bce_with_logits") {
    plan.loss = LossKind::BceWithLogits;
  } else {
    fail("loss " + quoted(spec.loss) + " is not a known loss (softmax_cross_entropy, mse, bce_with_logits)");
  }
  return plan;
}

}  // namespace vgl
