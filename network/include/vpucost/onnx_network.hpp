#pragma once
// A network from an ONNX model (issue #19): the graph read with Debian's
// libonnx (protobuf; shapes by ONNX's own shape inference), BatchNorm folded
// into the convolution before it, and every operator mapped to what the
// device runs by the v2 teacher's rules (network/NETWORK.md section 13):
//  - DPU: Conv (CM_CONVOLUTION under 16 input channels, depthwise when
//    group = channels), MaxPool / AveragePool, Add of two activations
//    (ELTWISE), Gemm / MatMul with constant weights (1x1 conv on a 1x1 map),
//    GlobalAveragePool / ReduceMean over H and W (AVEPOOL, pre-pooled above
//    15); a following Relu, Clip(0, 6) or LeakyRelu that is the only consumer
//    fuses as the layer's activation;
//  - SHAVE: HardSwish, HardSigmoid, Sigmoid, Tanh, Elu, PRelu, Softmax, a
//    standalone Relu / Clip, Mul of activations (the SE scale), x * Sigmoid(x)
//    as one swish, DepthToSpace;
//  - layout (no cost): Flatten, Reshape, Transpose, Concat, Slice, Split,
//    Squeeze, Unsqueeze, Identity, Dropout; nodes that only compute shapes
//    (Shape, Gather of shapes, Constant, ...) are not listed at all.
// Any other operator is an error naming its type and node, unless
// `unknown_ops_as_shave` costs it as a generic element-wise SHAVE operation
// (the sigmoid kernel on its output) and lists it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/network.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_parts.hpp"

namespace vpucost {

struct OnnxImportOptions {
  /// N x C x H x W of the image input; empty: the model's own, which must then
  /// be static. N must be 1.
  std::vector<std::int64_t> input_shape;
  bool unknown_ops_as_shave = false;
};

/// One node of the imported network, independent of device and data type.
struct ImportedNode {
  std::string name;      ///< the ONNX node's name (its first output's when it has none)
  std::string onnx_ops;  ///< the ONNX operators it stands for: "Conv+BatchNormalization+Relu"
  NetworkNode::Engine engine = NetworkNode::Engine::Layout;
  Layer layer;                       ///< Dpu (its activation: the fused Relu / Clip / LeakyRelu)
  ShaveStep shave;                   ///< Shave
  std::vector<std::int64_t> output;  ///< the node's output shape (ONNX dims)
  bool generic = false;              ///< Shave: an unknown op costed as generic
};

struct ImportedNetwork {
  std::string name;    ///< the graph's name
  std::string source;  ///< file (for messages)
  std::int64_t input_width = 0, input_height = 0, input_channels = 0;
  std::int64_t parameters = 0;      ///< elements of every initializer
  std::vector<ImportedNode> nodes;  ///< in graph order
};

/// Reads an ONNX model file. Throws vpucost::Error with one line naming what
/// is wrong and where (not ONNX, truncated, dynamic shapes without
/// input_shape, a cycle, an operator with no mapping and its node, ...).
ImportedNetwork read_onnx_network(const std::filesystem::path& path,
                                  const OnnxImportOptions& options = {});
/// The same from the file's bytes (`source` names it in messages).
ImportedNetwork parse_onnx_network(std::string_view bytes, const std::string& source,
                                   const OnnxImportOptions& options = {});

/// The network's nodes on `device` in `dtype`, ready for cost_network_nodes:
/// DPU layers as their whole workload (channels padded), SHAVE steps as
/// operations, layout nodes as they are.
std::vector<NetworkNode> network_nodes(const ImportedNetwork& network, Device device, DType dtype);

/// What a node runs, as the per-node tables show it (CLI and Python alike):
/// the DPU operation ("CONVOLUTION"), "SHAVE hswish" ("SHAVE sigmoid
/// (generic)" for an unknown operator), or the layout node's ONNX operator.
std::string operation_label(const NetworkNode& node, const ImportedNode& imported);

}  // namespace vpucost
