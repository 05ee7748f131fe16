// ONNX operators -> DPU layers, SHAVE steps and layout nodes (the rules in
// onnx_network.hpp and network/NETWORK.md section 13).
#include "vpucost/onnx_network.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "onnx_mapper.hpp"
#include "vpucost/error.hpp"

namespace vpucost::onnx_import {
namespace {

const std::unordered_set<std::string> kLayoutOps = {
    "Flatten",   "Reshape",  "Transpose", "Concat", "Slice", "Split", "Squeeze",
    "Unsqueeze", "Identity", "Dropout",   "Pad",    "Cast",  "Expand"};

// ONNX activation -> SHAVE kernel (rule 2 of the v2 teacher's mapping).
const std::unordered_map<std::string, ShaveOp> kShaveActivations = {
    {"HardSwish", ShaveOp::hswish}, {"HardSigmoid", ShaveOp::hsigmoid},
    {"Tanh", ShaveOp::tanh},        {"Elu", ShaveOp::elu},
    {"Mish", ShaveOp::mish},        {"PRelu", ShaveOp::prelu},
    {"Gelu", ShaveOp::gelu},        {"Relu", ShaveOp::relu},
    {"Clip", ShaveOp::clamp},       {"LeakyRelu", ShaveOp::prelu}};

}  // namespace

ImportedNetwork Mapper::run() {
  ImportedNetwork net;
  net.name = g_.graph().name();
  net.source = g_.source;
  net.parameters = g_.parameters;
  const Dims& in = g_.shapes.at(g_.input);
  net.input_channels = in[1];
  net.input_height = in[2];
  net.input_width = in[3];
  activations_.insert(g_.input);
  for (int i = 0; i < g_.graph().node_size(); ++i) {
    if (consumed_[static_cast<std::size_t>(i)]) continue;
    const onnx::NodeProto& node = g_.graph().node(i);
    bool reads_activation = false;
    for (const std::string& t : node.input()) reads_activation |= activations_.count(t) > 0;
    // Shape arithmetic (Shape, Gather of sizes, Constant, ...): no tensor
    // of the image flows through it, nothing runs on the device.
    if (!reads_activation || node.op_type() == "Shape" || node.op_type() == "Size") continue;
    for (const std::string& t : node.output()) activations_.insert(t);
    map(node, net.nodes);
  }
  return net;
}

Whc Mapper::whc(const std::string& tensor, const onnx::NodeProto& node) const {
  const Dims& d = g_.shape(tensor, node);
  if (d.size() == 4 && d[0] == 1) return {d[3], d[2], d[1]};
  if (d.size() == 2 && d[0] == 1) return {1, 1, d[1]};
  if (d.size() == 1) return {1, 1, d[0]};
  std::string text;
  for (const std::int64_t x : d) text += (text.empty() ? "" : "x") + std::to_string(x);
  fail(node, "tensor '" + tensor + "' of shape " + text +
                 " is not an image N=1 x C x H x W or a 1 x F vector");
}

/// The data input: the first input that carries activations.
const std::string& Mapper::data_input(const onnx::NodeProto& node) const {
  for (const std::string& t : node.input()) {
    if (activations_.count(t)) return t;
  }
  return node.input(0);
}

void Mapper::shave(const onnx::NodeProto& node, ShaveOp op, const std::string& tensor, int param,
                   std::vector<ImportedNode>& out, const std::string& ops) {
  const Whc s = whc(tensor, node);
  ImportedNode n;
  n.name = name_of(node);
  n.onnx_ops = ops.empty() ? node.op_type() : ops;
  n.engine = NetworkNode::Engine::Shave;
  n.shave = {n.name, op, s.w, s.h, s.c, 0, param};
  n.output = g_.shape(node.output(0), node);
  out.push_back(std::move(n));
}

void Mapper::map(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
  if (const auto it = g_.generic_ops.find(node.output(0)); it != g_.generic_ops.end()) {
    // An unknown operator (unknown_ops_as_shave): element-wise on its input.
    shave(node, ShaveOp::sigmoid, node.output(0), 0, out, it->second);
    out.back().generic = true;
    return;
  }
  const std::string& op = node.op_type();
  if (op == "Conv") return conv(node, out);
  if (op == "MaxPool") return pool(node, LayerKind::MaxPool, out);
  if (op == "AveragePool") return pool(node, LayerKind::AvgPool, out);
  if (op == "GlobalAveragePool" || (op == "ReduceMean" && reduces_over_hw(node))) {
    return global_pool(node, out);
  }
  if (op == "Gemm" || op == "MatMul") return fully_connected(node, out);
  if (op == "Add" || op == "Mul") return binary(node, out);
  if (op == "Sigmoid") return gate(node, ShaveOp::sigmoid, ShaveOp::swish, out);
  if (op == "HardSigmoid" && hard_sigmoid_is_torchs(node)) {
    return gate(node, ShaveOp::hsigmoid, ShaveOp::hswish, out);
  }
  if (op == "Softmax") {
    const std::size_t rank = g_.shape(node.input(0), node).size();
    std::int64_t axis = attr_int(node, "axis", -1);
    if (axis < 0) axis += static_cast<std::int64_t>(rank);
    // ONNX axis of N x C x H x W (or N x F) -> the SHAVE kernel's 1 (C), 2 (H), 3 (W).
    const int param = rank == 2 ? 1 : static_cast<int>(axis);
    return shave(node, ShaveOp::softmax, node.input(0), param, out);
  }
  if (op == "DepthToSpace") {
    return shave(node, ShaveOp::depth_to_space, node.input(0),
                 static_cast<int>(attr_int(node, "blocksize", 0)), out);
  }
  if (const auto it = kShaveActivations.find(op); it != kShaveActivations.end()) {
    return shave(node, it->second, node.input(0), 0, out);
  }
  if (op == "BatchNormalization") {
    fail(node, "BatchNormalization does not follow a convolution it can fold into");
  }
  if (kLayoutOps.count(op)) {
    ImportedNode n;
    n.name = name_of(node);
    n.onnx_ops = op;
    if (node.output_size() > 0) {
      const auto it = g_.shapes.find(node.output(0));
      if (it != g_.shapes.end()) n.output = it->second;
    }
    out.push_back(std::move(n));
    return;
  }
  if (!options_.unknown_ops_as_shave) {
    fail(node, "operator '" + op +
                   "' has no mapping to the DPU, SHAVE or layout nodes (network/NETWORK.md "
                   "section 13); --unknown-ops shave-generic costs it as a generic SHAVE "
                   "operation");
  }
  shave(node, ShaveOp::sigmoid, node.output(0), 0, out, op);
  out.back().generic = true;
}

/// Add of two same-shape activations: ELTWISE on the DPU (rule 3); any
/// other Add and every Mul of activations (the SE scale): SHAVE (rule 4).
void Mapper::binary(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
  if (node.input_size() != 2) fail(node, "expected two inputs");
  const bool both = activations_.count(node.input(0)) && activations_.count(node.input(1));
  if (node.op_type() == "Add" && both) {
    const Dims& a = g_.shape(node.input(0), node);
    const Dims& b = g_.shape(node.input(1), node);
    if (a == b) {
      const Whc s = whc(node.input(0), node);
      Layer l;
      l.kind = LayerKind::EltwiseAdd;
      l.in_width = s.w;
      l.in_height = s.h;
      l.in_channels = l.out_channels = s.c;
      return dpu(node, l, false, out);
    }
  }
  shave(node, node.op_type() == "Add" ? ShaveOp::add : ShaveOp::mul, node.output(0), 0, out);
}

/// PyTorch's hardsigmoid is ONNX HardSigmoid with alpha 1/6, beta 1/2.
bool Mapper::hard_sigmoid_is_torchs(const onnx::NodeProto& node) const {
  const onnx::AttributeProto* alpha = attr(node, "alpha");
  const onnx::AttributeProto* beta = attr(node, "beta");
  return alpha && std::abs(alpha->f() - 1.0f / 6.0f) < 1e-6f &&
         (!beta || std::abs(beta->f() - 0.5f) < 1e-6f);
}

/// x * Sigmoid(x) (x * HardSigmoid(x)), the gate read only by that Mul:
/// one SHAVE swish (hswish) -- how torch exports SiLU (and Hardswish before
/// opset 14); any other gate: SHAVE sigmoid (hsigmoid), as the SE gate.
void Mapper::gate(const onnx::NodeProto& node, ShaveOp alone, ShaveOp fused,
                  std::vector<ImportedNode>& out) {
  const int c = g_.only_consumer(node.output(0));
  if (c >= 0) {
    const onnx::NodeProto& mul = g_.graph().node(c);
    if (mul.op_type() == "Mul" && mul.input_size() == 2) {
      const std::string& other = mul.input(0) == node.output(0) ? mul.input(1) : mul.input(0);
      if (other == node.input(0)) {
        consumed_[static_cast<std::size_t>(c)] = true;
        activations_.insert(mul.output(0));
        shave(node, fused, node.input(0), 0, out, node.op_type() + "+Mul");
        out.back().output = g_.shape(mul.output(0), mul);
        return;
      }
    }
  }
  shave(node, alone, node.input(0), 0, out);
}

}  // namespace vpucost::onnx_import

namespace vpucost {

ImportedNetwork parse_onnx_network(std::string_view bytes, const std::string& source,
                                   const OnnxImportOptions& options) {
  const auto graph = onnx_import::load_onnx_graph(bytes, source, options);
  return onnx_import::Mapper(*graph, options).run();
}

ImportedNetwork read_onnx_network(const std::filesystem::path& path,
                                  const OnnxImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the ONNX file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read error");
  return parse_onnx_network(bytes.str(), path.string(), options);
}

std::vector<NetworkNode> network_nodes(const ImportedNetwork& network, Device device, DType dtype) {
  std::vector<NetworkNode> nodes;
  nodes.reserve(network.nodes.size());
  for (const ImportedNode& n : network.nodes) {
    NetworkNode node;
    node.name = n.name;
    node.engine = n.engine;
    if (n.engine == NetworkNode::Engine::Dpu) {
      node.layer = layer_workload(n.layer, device, dtype);
    } else if (n.engine == NetworkNode::Engine::Shave) {
      node.shave.device = device;
      node.shave.operation = n.shave.op;
      node.shave.input = {n.shave.width, n.shave.height, n.shave.channels, dtype};
      node.shave.param = n.shave.param;
      node.shave.output = shave_output_of(n.shave.op, node.shave.input, n.shave.param);
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

std::string operation_label(const NetworkNode& node, const ImportedNode& imported) {
  switch (node.engine) {
    case NetworkNode::Engine::Dpu:
      return std::string(to_string(node.layer.operation));
    case NetworkNode::Engine::Shave:
      return "SHAVE " + std::string(to_string(node.shave.operation)) +
             (imported.generic ? " (generic)" : "");
    default:
      return imported.onnx_ops;
  }
}

}  // namespace vpucost
