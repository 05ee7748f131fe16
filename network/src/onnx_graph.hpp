#pragma once
// An ONNX model read for mapping (onnx_network.hpp): parsed, its image
// input's shape fixed, shapes inferred by ONNX, and the lookups the mapping
// needs -- each tensor's shape, constant values, consumers, producers.
// Private to the ONNX importer: only its sources include libonnx headers.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vpucost/onnx_network.hpp"

namespace vpucost::onnx_import {

using Dims = std::vector<std::int64_t>;

struct OnnxGraph {
  onnx::ModelProto model;
  std::string source;
  std::string input;  ///< the image input's name
  std::unordered_map<std::string, Dims> shapes;
  std::unordered_map<std::string, const onnx::TensorProto*> constants;  ///< initializers, Constant
  std::unordered_map<std::string, std::vector<int>> consumers;  ///< tensor -> consuming nodes
  std::unordered_map<std::string, bool> graph_outputs;
  std::int64_t parameters = 0;
  /// Unknown operators rewritten to Identity for inference (onnx_node_check.hpp):
  /// first output name -> the original op type.
  std::unordered_map<std::string, std::string> generic_ops;

  const onnx::GraphProto& graph() const { return model.graph(); }
  /// The tensor's inferred shape; throws naming the node when ONNX gave none.
  const Dims& shape(const std::string& tensor, const onnx::NodeProto& node) const;
  /// A constant tensor's values as doubles (float, double, int32, int64); nullopt otherwise.
  std::optional<std::vector<double>> values(const std::string& tensor) const;
  /// The one node that reads `tensor` when nothing else (no other node, no
  /// graph output) does; -1 otherwise.
  int only_consumer(const std::string& tensor) const;
};

/// Parses `bytes`, fixes the input shape, runs shape inference and checks the
/// graph is in topological order (no cycle). Throws vpucost::Error.
/// (On the heap: `constants` points into `model`, which must not move.)
std::unique_ptr<OnnxGraph> load_onnx_graph(std::string_view bytes, const std::string& source,
                                           const OnnxImportOptions& options);

/// "node 'name' (Conv)" for messages.
std::string node_label(const onnx::NodeProto& node);

/// A Constant node's value tensor, or nullptr for any other node.
const onnx::TensorProto* constant_value(const onnx::NodeProto& node);

}  // namespace vpucost::onnx_import
