#pragma once
// The ONNX importer's mapping pass (onnx_network.hpp): a Mapper walks the
// checked, shape-inferred graph (onnx_graph.hpp) in order and turns every node
// an image tensor flows through into DPU layers (onnx_dpu_mapping.cpp: Conv,
// pools, Gemm, ELTWISE, the BatchNorm and activation folding) or SHAVE and
// layout nodes (onnx_network.cpp). Private to the importer.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "onnx_graph.hpp"
#include "vpucost/error.hpp"
#include "vpucost/onnx_network.hpp"

namespace vpucost::onnx_import {

/// A tensor as the device sees it: width, height, channels.
struct Whc {
  std::int64_t w = 1, h = 1, c = 1;
};

class Mapper {
 public:
  Mapper(const OnnxGraph& g, const OnnxImportOptions& options)
      : g_(g), options_(options), consumed_(static_cast<std::size_t>(g.graph().node_size())) {}

  ImportedNetwork run();

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

  /// `tensor` as W x H x C: an image 1 x C x H x W, or a vector 1 x F as 1 x 1 x F.
  Whc whc(const std::string& tensor, const onnx::NodeProto& node) const;

  /// The data input: the first input that carries activations.
  const std::string& data_input(const onnx::NodeProto& node) const;

  /// Folds the ops after a DPU layer into it: BatchNormalization (after a
  /// convolution) and then a Relu / Clip(0, 6) / LeakyRelu that is the only
  /// consumer. Returns the tensor the fused node finally writes.
  std::string fuse_after(std::string tensor, bool conv, ImportedNode& out);

  /// Clip(0, 6) is ReLU6, Clip(0, none) a ReLU: both fuse as RELU.
  bool clip_is_relu(const onnx::NodeProto& node) const;

  /// A DPU node for `layer`, checked against ONNX's output shape.
  void dpu(const onnx::NodeProto& node, Layer layer, bool conv, std::vector<ImportedNode>& out);

  /// A SHAVE node running `op` on `tensor`'s shape; `ops` names the ONNX
  /// operators it stands for (default: the node's own).
  void shave(const onnx::NodeProto& node, ShaveOp op, const std::string& tensor, int param,
             std::vector<ImportedNode>& out, const std::string& ops = {});

  /// ONNX pads (top, left, bottom, right) or auto_pad, as the layer's padding.
  Padding pads(const onnx::NodeProto& node, const Whc& in, std::int64_t kh, std::int64_t kw,
               std::int64_t stride) const;

  /// The stride, equal in H and W (a DPU layer has one).
  std::int64_t stride_of(const onnx::NodeProto& node) const;

  /// Conv: CONVOLUTION, or DW_CONVOLUTION when group = channels.
  void conv(const onnx::NodeProto& node, std::vector<ImportedNode>& out);

  /// MaxPool / AveragePool with their kernel, stride and padding.
  void pool(const onnx::NodeProto& node, LayerKind kind, std::vector<ImportedNode>& out);

  /// Rule 5: AVEPOOL over the whole map; above VPUNN's largest kernel (15)
  /// first an AVEPOOL with kernel = stride = s, the smallest s in 2..8 that
  /// divides both sides down to 15 or less (network_parts' rule, any aspect).
  void global_pool(const onnx::NodeProto& node, std::vector<ImportedNode>& out);

  /// ReduceMean over H and W of an image (a global average pool).
  bool reduces_over_hw(const onnx::NodeProto& node) const;

  /// Gemm / MatMul with constant weights: a 1x1 conv on a 1x1 map.
  void fully_connected(const onnx::NodeProto& node, std::vector<ImportedNode>& out);

  /// Maps one node by its operator (network/NETWORK.md section 13).
  void map(const onnx::NodeProto& node, std::vector<ImportedNode>& out);

  /// Add of two same-shape activations: ELTWISE on the DPU (rule 3); any
  /// other Add and every Mul of activations (the SE scale): SHAVE (rule 4).
  void binary(const onnx::NodeProto& node, std::vector<ImportedNode>& out);

  /// PyTorch's hardsigmoid is ONNX HardSigmoid with alpha 1/6, beta 1/2.
  bool hard_sigmoid_is_torchs(const onnx::NodeProto& node) const;

  /// x * Sigmoid(x) (x * HardSigmoid(x)), the gate read only by that Mul:
  /// one SHAVE swish (hswish) -- how torch exports SiLU (and Hardswish before
  /// opset 14); any other gate: SHAVE sigmoid (hsigmoid), as the SE gate.
  void gate(const onnx::NodeProto& node, ShaveOp alone, ShaveOp fused,
            std::vector<ImportedNode>& out);

  const OnnxGraph& g_;
  const OnnxImportOptions& options_;
  std::vector<bool> consumed_;
  std::unordered_set<std::string> activations_;
};

}  // namespace vpucost::onnx_import
