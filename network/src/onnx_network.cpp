// ONNX operators -> DPU layers, SHAVE steps and layout nodes (the rules in
// onnx_network.hpp and network/NETWORK.md section 13).
#include "vpucost/onnx_network.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "onnx_graph.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using onnx_import::Dims;
using onnx_import::node_label;
using onnx_import::OnnxGraph;

struct Whc {
  std::int64_t w = 1, h = 1, c = 1;
};

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

class Mapper {
 public:
  Mapper(const OnnxGraph& g, const OnnxImportOptions& options)
      : g_(g), options_(options), consumed_(static_cast<std::size_t>(g.graph().node_size())) {}

  ImportedNetwork run() {
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

 private:
  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& why) const {
    throw Error(g_.source + ": " + node_label(node) + ": " + why);
  }

  std::string name_of(const onnx::NodeProto& node) const {
    return !node.name().empty() ? node.name() : node.output(0);
  }

  const onnx::AttributeProto* attr(const onnx::NodeProto& node, const char* name) const {
    for (const onnx::AttributeProto& a : node.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  std::int64_t attr_int(const onnx::NodeProto& node, const char* name, std::int64_t dflt) const {
    const onnx::AttributeProto* a = attr(node, name);
    return a ? a->i() : dflt;
  }
  Dims attr_ints(const onnx::NodeProto& node, const char* name, Dims dflt) const {
    const onnx::AttributeProto* a = attr(node, name);
    return a ? Dims(a->ints().begin(), a->ints().end()) : dflt;
  }

  Whc whc(const std::string& tensor, const onnx::NodeProto& node) const {
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
  const std::string& data_input(const onnx::NodeProto& node) const {
    for (const std::string& t : node.input()) {
      if (activations_.count(t)) return t;
    }
    return node.input(0);
  }

  /// Folds the ops after a DPU layer into it: BatchNormalization (after a
  /// convolution) and then a Relu / Clip(0, 6) / LeakyRelu that is the only
  /// consumer. Returns the tensor the fused node finally writes.
  std::string fuse_after(std::string tensor, bool conv, ImportedNode& out) {
    if (conv) {
      const int c = g_.only_consumer(tensor);
      if (c >= 0 && g_.graph().node(c).op_type() == "BatchNormalization") {
        consumed_[static_cast<std::size_t>(c)] = true;
        out.onnx_ops += "+BatchNormalization";
        tensor = g_.graph().node(c).output(0);
        activations_.insert(tensor);
      }
    }
    const int c = g_.only_consumer(tensor);
    if (c < 0) return tensor;
    const onnx::NodeProto& next = g_.graph().node(c);
    ActivationFunction f = ActivationFunction::NONE;
    if (next.op_type() == "Relu") f = ActivationFunction::RELU;
    if (next.op_type() == "LeakyRelu") f = ActivationFunction::LRELU;
    if (next.op_type() == "Clip" && clip_is_relu(next)) f = ActivationFunction::RELU;
    if (f == ActivationFunction::NONE) return tensor;
    consumed_[static_cast<std::size_t>(c)] = true;
    out.onnx_ops += "+" + next.op_type();
    out.layer.activation = f;
    activations_.insert(next.output(0));
    return next.output(0);
  }

  /// Clip(0, 6) is ReLU6, Clip(0, none) a ReLU: both fuse as RELU.
  bool clip_is_relu(const onnx::NodeProto& node) const {
    double lo = -1, hi = 6;
    if (const onnx::AttributeProto* a = attr(node, "min")) lo = a->f();
    if (const onnx::AttributeProto* a = attr(node, "max")) hi = a->f();
    if (node.input_size() > 1 && !node.input(1).empty()) {
      const auto v = g_.values(node.input(1));
      if (!v || v->size() != 1) return false;
      lo = (*v)[0];
    }
    if (node.input_size() > 2 && !node.input(2).empty()) {
      const auto v = g_.values(node.input(2));
      if (!v || v->size() != 1) return false;
      hi = (*v)[0];
    }
    return lo == 0 && hi == 6;
  }

  /// A DPU node for `layer`, checked against ONNX's output shape.
  void dpu(const onnx::NodeProto& node, Layer layer, bool conv, std::vector<ImportedNode>& out) {
    layer.name = name_of(node);
    try {
      validate(layer);
    } catch (const Error& e) {
      fail(node, e.what());
    }
    ImportedNode n;
    n.name = layer.name;
    n.onnx_ops = node.op_type();
    n.engine = NetworkNode::Engine::Dpu;
    n.layer = layer;
    const Whc expected = whc(node.output(0), node);
    if (expected.w != layer.out_width() || expected.h != layer.out_height() ||
        expected.c != layer.out_channels) {
      fail(node, "its output " + std::to_string(expected.w) + "x" + std::to_string(expected.h) +
                     "x" + std::to_string(expected.c) + " (ONNX) is not the DPU layer's " +
                     std::to_string(layer.out_width()) + "x" + std::to_string(layer.out_height()) +
                     "x" + std::to_string(layer.out_channels) + " (ceil_mode or dilation?)");
    }
    const std::string last = fuse_after(node.output(0), conv, n);
    n.output = g_.shape(last, node);
    out.push_back(std::move(n));
  }

  void shave(const onnx::NodeProto& node, ShaveOp op, const std::string& tensor, int param,
             std::vector<ImportedNode>& out, const std::string& ops = {}) {
    const Whc s = whc(tensor, node);
    ImportedNode n;
    n.name = name_of(node);
    n.onnx_ops = ops.empty() ? node.op_type() : ops;
    n.engine = NetworkNode::Engine::Shave;
    n.shave = {n.name, op, s.w, s.h, s.c, 0, param};
    n.output = g_.shape(node.output(0), node);
    out.push_back(std::move(n));
  }

  Padding pads(const onnx::NodeProto& node, const Whc& in, std::int64_t kh, std::int64_t kw,
               std::int64_t stride) const {
    const onnx::AttributeProto* a = attr(node, "auto_pad");
    const std::string mode = a ? a->s() : "NOTSET";
    if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
      const auto split = [&](std::int64_t size, std::int64_t k) {
        const std::int64_t out = (size + stride - 1) / stride;
        const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * stride + k - size);
        const std::int64_t small = total / 2;
        return mode == "SAME_UPPER" ? std::pair{small, total - small}
                                    : std::pair{total - small, small};
      };
      const auto [top, bottom] = split(in.h, kh);
      const auto [left, right] = split(in.w, kw);
      return {top, bottom, left, right};
    }
    if (mode == "VALID") return {};
    const Dims p = attr_ints(node, "pads", {0, 0, 0, 0});
    if (p.size() != 4) fail(node, "pads must have 4 values for a 2-D operator");
    return {p[0], p[2], p[1], p[3]};  // ONNX: top, left, bottom, right
  }

  std::int64_t stride_of(const onnx::NodeProto& node) const {
    const Dims s = attr_ints(node, "strides", {1, 1});
    if (s.size() != 2 || s[0] != s[1]) fail(node, "only equal strides in H and W map to the DPU");
    return s[0];
  }

  void conv(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
    if (node.input_size() < 2 || !g_.constants.count(node.input(1))) {
      fail(node, "convolution weights must be a constant initializer");
    }
    const Whc in = whc(node.input(0), node);
    const Dims& w = g_.shape(node.input(1), node);
    if (w.size() != 4) fail(node, "only 2-D convolutions map to the DPU");
    for (const std::int64_t d : attr_ints(node, "dilations", {1, 1})) {
      if (d != 1) fail(node, "dilated convolutions have no DPU mapping");
    }
    const std::int64_t group = attr_int(node, "group", 1);
    Layer l;
    if (group == 1) {
      l.kind = LayerKind::Convolution;
    } else if (group == in.c && w[0] == in.c && w[1] == 1) {
      l.kind = LayerKind::DepthwiseConvolution;
    } else {
      fail(node, "grouped convolution (group " + std::to_string(group) +
                     ", not depthwise) has no DPU mapping");
    }
    l.in_width = in.w;
    l.in_height = in.h;
    l.in_channels = in.c;
    l.out_channels = w[0];
    l.kernel_h = w[2];
    l.kernel_w = w[3];
    l.stride = stride_of(node);
    l.padding = pads(node, in, l.kernel_h, l.kernel_w, l.stride);
    dpu(node, l, true, out);
  }

  void pool(const onnx::NodeProto& node, LayerKind kind, std::vector<ImportedNode>& out) {
    const Whc in = whc(node.input(0), node);
    const Dims k = attr_ints(node, "kernel_shape", {});
    if (k.size() != 2) fail(node, "only 2-D pooling maps to the DPU");
    Layer l;
    l.kind = kind;
    l.in_width = in.w;
    l.in_height = in.h;
    l.in_channels = l.out_channels = in.c;
    l.kernel_h = k[0];
    l.kernel_w = k[1];
    l.stride = stride_of(node);
    l.padding = pads(node, in, k[0], k[1], l.stride);
    dpu(node, l, false, out);
  }

  /// Rule 5: AVEPOOL over the whole map; above VPUNN's largest kernel (15)
  /// first an AVEPOOL with kernel = stride = s, the smallest s in 2..8 that
  /// divides both sides down to 15 or less (network_parts' rule, any aspect).
  void global_pool(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
    constexpr std::int64_t kMaxKernel = 15;
    const Whc in = whc(data_input(node), node);
    const std::string name = name_of(node);
    const auto pool = [&](std::string layer_name, std::int64_t w, std::int64_t h, std::int64_t k_w,
                          std::int64_t k_h, std::int64_t stride) {
      Layer l;
      l.name = std::move(layer_name);
      l.kind = stride == 1 ? LayerKind::GlobalAvgPool : LayerKind::AvgPool;
      l.in_width = w;
      l.in_height = h;
      l.in_channels = l.out_channels = in.c;
      l.kernel_w = k_w;
      l.kernel_h = k_h;
      l.stride = stride;
      ImportedNode n;
      n.name = l.name;
      n.onnx_ops = node.op_type();
      n.engine = NetworkNode::Engine::Dpu;
      n.layer = l;
      n.output = {1, in.c, l.out_height(), l.out_width()};
      out.push_back(std::move(n));
    };
    std::int64_t w = in.w, h = in.h;
    if (w > kMaxKernel || h > kMaxKernel) {
      std::int64_t s = 2;
      while (s <= 8 && (w % s || h % s || w / s > kMaxKernel || h / s > kMaxKernel)) ++s;
      if (s > 8) {
        fail(node, "a global pool over " + std::to_string(w) + "x" + std::to_string(h) +
                       ": no pre-pool of 2..8 divides it down to 15 or less (VPUNN's largest "
                       "kernel)");
      }
      pool(name + "[pre-pool]", w, h, s, s, s);
      w /= s;
      h /= s;
    }
    pool(name, w, h, w, h, 1);
  }

  bool reduces_over_hw(const onnx::NodeProto& node) const {
    Dims axes = attr_ints(node, "axes", {});
    if (axes.empty() && node.input_size() > 1) {
      if (const auto v = g_.values(node.input(1))) axes.assign(v->begin(), v->end());
    }
    const std::size_t rank = g_.shape(data_input(node), node).size();
    if (rank != 4 || axes.size() != 2) return false;
    for (std::int64_t& a : axes) a = a < 0 ? a + 4 : a;
    return (axes[0] == 2 && axes[1] == 3) || (axes[0] == 3 && axes[1] == 2);
  }

  void fully_connected(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
    if (node.input_size() < 2 || !g_.constants.count(node.input(1))) {
      fail(node, "a fully connected layer needs constant weights");
    }
    const Whc in = whc(node.input(0), node);
    const Whc o = whc(node.output(0), node);
    if (in.w != 1 || in.h != 1) fail(node, "a matrix product of an image has no DPU mapping");
    Layer l = fully_connected_layer(name_of(node), in.c, o.c);
    dpu(node, l, false, out);
  }

  void map(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
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
  void binary(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
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
  bool hard_sigmoid_is_torchs(const onnx::NodeProto& node) const {
    const onnx::AttributeProto* alpha = attr(node, "alpha");
    const onnx::AttributeProto* beta = attr(node, "beta");
    return alpha && std::abs(alpha->f() - 1.0f / 6.0f) < 1e-6f &&
           (!beta || std::abs(beta->f() - 0.5f) < 1e-6f);
  }

  /// x * Sigmoid(x) (x * HardSigmoid(x)), the gate read only by that Mul:
  /// one SHAVE swish (hswish) -- how torch exports SiLU (and Hardswish before
  /// opset 14); any other gate: SHAVE sigmoid (hsigmoid), as the SE gate.
  void gate(const onnx::NodeProto& node, ShaveOp alone, ShaveOp fused,
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

  const OnnxGraph& g_;
  const OnnxImportOptions& options_;
  std::vector<bool> consumed_;
  std::unordered_set<std::string> activations_;
};

}  // namespace

ImportedNetwork parse_onnx_network(std::string_view bytes, const std::string& source,
                                   const OnnxImportOptions& options) {
  const std::unique_ptr<OnnxGraph> graph = onnx_import::load_onnx_graph(bytes, source, options);
  return Mapper(*graph, options).run();
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

}  // namespace vpucost
