// The DPU side of the ONNX mapping (onnx_mapper.hpp): Conv, MaxPool /
// AveragePool, global pools, Gemm / MatMul, and what folds into a DPU layer
// (BatchNormalization after a Conv; Relu, Clip(0, 6), LeakyRelu after any).
#include <algorithm>

#include "onnx_mapper.hpp"
#include "vpucost/error.hpp"

namespace vpucost::onnx_import {

/// Folds the ops after a DPU layer into it: BatchNormalization (after a
/// convolution) and then a Relu / Clip(0, 6) / LeakyRelu that is the only
/// consumer. Returns the tensor the fused node finally writes.
std::string Mapper::fuse_after(std::string tensor, bool conv, ImportedNode& out) {
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
bool Mapper::clip_is_relu(const onnx::NodeProto& node) const {
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
void Mapper::dpu(const onnx::NodeProto& node, Layer layer, bool conv,
                 std::vector<ImportedNode>& out) {
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
    fail(node, "its output " + std::to_string(expected.w) + "x" + std::to_string(expected.h) + "x" +
                   std::to_string(expected.c) + " (ONNX) is not the DPU layer's " +
                   std::to_string(layer.out_width()) + "x" + std::to_string(layer.out_height()) +
                   "x" + std::to_string(layer.out_channels) + " (ceil_mode or dilation?)");
  }
  const std::string last = fuse_after(node.output(0), conv, n);
  n.output = g_.shape(last, node);
  out.push_back(std::move(n));
}

Padding Mapper::pads(const onnx::NodeProto& node, const Whc& in, std::int64_t kh, std::int64_t kw,
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

std::int64_t Mapper::stride_of(const onnx::NodeProto& node) const {
  const Dims s = attr_ints(node, "strides", {1, 1});
  if (s.size() != 2 || s[0] != s[1]) fail(node, "only equal strides in H and W map to the DPU");
  return s[0];
}

void Mapper::conv(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
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

void Mapper::pool(const onnx::NodeProto& node, LayerKind kind, std::vector<ImportedNode>& out) {
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
void Mapper::global_pool(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
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

bool Mapper::reduces_over_hw(const onnx::NodeProto& node) const {
  Dims axes = attr_ints(node, "axes", {});
  if (axes.empty() && node.input_size() > 1) {
    if (const auto v = g_.values(node.input(1))) axes.assign(v->begin(), v->end());
  }
  const std::size_t rank = g_.shape(data_input(node), node).size();
  if (rank != 4 || axes.size() != 2) return false;
  for (std::int64_t& a : axes) a = a < 0 ? a + 4 : a;
  return (axes[0] == 2 && axes[1] == 3) || (axes[0] == 3 && axes[1] == 2);
}

void Mapper::fully_connected(const onnx::NodeProto& node, std::vector<ImportedNode>& out) {
  if (node.input_size() < 2 || !g_.constants.count(node.input(1))) {
    fail(node, "a fully connected layer needs constant weights");
  }
  const Whc in = whc(node.input(0), node);
  const Whc o = whc(node.output(0), node);
  if (in.w != 1 || in.h != 1) fail(node, "a matrix product of an image has no DPU mapping");
  Layer l = fully_connected_layer(name_of(node), in.c, o.c);
  dpu(node, l, false, out);
}

}  // namespace vpucost::onnx_import
