#include "onnx_graph.hpp"

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <cstring>
#include <unordered_set>

#include "onnx_node_check.hpp"
#include "onnx_shape_folding.hpp"
#include "vpucost/error.hpp"

namespace vpucost::onnx_import {
namespace {

/// The image input: the one graph input that is not an initializer.
const onnx::ValueInfoProto& image_input(const onnx::GraphProto& g, const std::string& source) {
  std::unordered_set<std::string> initializers;
  for (const onnx::TensorProto& t : g.initializer()) initializers.insert(t.name());
  const onnx::ValueInfoProto* found = nullptr;
  int count = 0;
  for (const onnx::ValueInfoProto& v : g.input()) {
    if (initializers.count(v.name())) continue;
    ++count;
    found = &v;
  }
  if (count != 1) {
    throw Error(source + ": expected one image input (N x C x H x W), the graph has " +
                std::to_string(count));
  }
  return *found;
}

/// Sets the input's dims to `wanted`, or checks its own are static.
void fix_input_shape(onnx::ValueInfoProto& input, const std::vector<std::int64_t>& wanted,
                     const std::string& source) {
  const std::string where = source + ": input '" + input.name() + "'";
  if (!input.type().has_tensor_type()) throw Error(where + " is not a tensor");
  onnx::TensorShapeProto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
  if (!wanted.empty()) {
    if (wanted.size() != 4) throw Error("--input-shape must be N x C x H x W (4 numbers)");
    if (shape->dim_size() != 0 && shape->dim_size() != 4) {
      throw Error(where + " has " + std::to_string(shape->dim_size()) +
                  " dimensions; --input-shape gives 4");
    }
    shape->clear_dim();
    for (const std::int64_t d : wanted) shape->add_dim()->set_dim_value(d);
  }
  if (shape->dim_size() != 4) {
    throw Error(where + " has " + std::to_string(shape->dim_size()) +
                " dimensions: expected an image, N x C x H x W");
  }
  for (int i = 0; i < 4; ++i) {
    const onnx::TensorShapeProto::Dimension& d = shape->dim(i);
    if (!d.has_dim_value()) {
      const std::string name = d.has_dim_param() ? "'" + d.dim_param() + "'" : "unknown";
      throw Error(where + " has a dynamic dimension " + std::to_string(i) + " (" + name +
                  "): give --input-shape NxCxHxW, e.g. 1x3x224x224");
    }
    if (d.dim_value() <= 0 || d.dim_value() > kMaxLayerDimension) {
      throw Error(where + " dimension " + std::to_string(i) + " is " +
                  std::to_string(d.dim_value()) + ": expected 1.." +
                  std::to_string(kMaxLayerDimension));
    }
  }
  if (shape->dim(0).dim_value() != 1) {
    throw Error(where + " has batch " + std::to_string(shape->dim(0).dim_value()) +
                ": vpucost costs batch 1 (--input-shape 1xCxHxW)");
  }
}

void record_shape(OnnxGraph& g, const onnx::ValueInfoProto& v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
  Dims dims;
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    if (!d.has_dim_value()) return;  // unknown: not recorded
    dims.push_back(d.dim_value());
  }
  g.shapes[v.name()] = std::move(dims);
}

}  // namespace

std::string node_label(const onnx::NodeProto& node) {
  const std::string name = !node.name().empty()     ? node.name()
                           : node.output_size() > 0 ? node.output(0)
                                                    : "?";
  return "node '" + name + "' (" + node.op_type() + ")";
}

const onnx::TensorProto* constant_value(const onnx::NodeProto& node) {
  if (node.op_type() != "Constant" || node.output_size() != 1) return nullptr;
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() == "value" && a.has_t()) return &a.t();
  }
  return nullptr;
}

const Dims& OnnxGraph::shape(const std::string& tensor, const onnx::NodeProto& node) const {
  const auto it = shapes.find(tensor);
  if (it == shapes.end()) {
    throw Error(source + ": " + node_label(node) +
                ": ONNX shape inference gives no static shape for '" + tensor + "'");
  }
  return it->second;
}

std::optional<std::vector<double>> OnnxGraph::values(const std::string& tensor) const {
  const auto it = constants.find(tensor);
  if (it == constants.end()) return std::nullopt;
  const onnx::TensorProto& t = *it->second;
  std::int64_t count = 1;
  for (const std::int64_t d : t.dims()) {
    if (d < 0 || d > (1 << 20)) return std::nullopt;
    count *= d;
    if (count > (1 << 20)) return std::nullopt;  // a weight, not a parameter
  }
  std::vector<double> out;
  const auto from_raw = [&](auto sample) -> bool {
    using T = decltype(sample);
    const std::string& raw = t.raw_data();
    if (raw.size() != static_cast<std::size_t>(count) * sizeof(T)) return false;
    for (std::int64_t i = 0; i < count; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
      out.push_back(static_cast<double>(v));
    }
    return true;
  };
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) return from_raw(float{}) ? std::optional(out) : std::nullopt;
      out.assign(t.float_data().begin(), t.float_data().end());
      break;
    case onnx::TensorProto::DOUBLE:
      if (t.has_raw_data()) return from_raw(double{}) ? std::optional(out) : std::nullopt;
      out.assign(t.double_data().begin(), t.double_data().end());
      break;
    case onnx::TensorProto::INT32:
      if (t.has_raw_data()) return from_raw(std::int32_t{}) ? std::optional(out) : std::nullopt;
      out.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case onnx::TensorProto::INT64:
      if (t.has_raw_data()) return from_raw(std::int64_t{}) ? std::optional(out) : std::nullopt;
      out.assign(t.int64_data().begin(), t.int64_data().end());
      break;
    default:
      return std::nullopt;
  }
  if (static_cast<std::int64_t>(out.size()) != count) return std::nullopt;
  return out;
}

int OnnxGraph::only_consumer(const std::string& tensor) const {
  if (graph_outputs.count(tensor)) return -1;
  const auto it = consumers.find(tensor);
  return it != consumers.end() && it->second.size() == 1 ? it->second.front() : -1;
}

std::unique_ptr<OnnxGraph> load_onnx_graph(std::string_view bytes, const std::string& source,
                                           const OnnxImportOptions& options) {
  auto owned = std::make_unique<OnnxGraph>();
  OnnxGraph& g = *owned;
  g.source = source;
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw Error(source + ": larger than 2 GB, the protobuf limit of an ONNX file");
  }
  if (!g.model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw Error(source +
                ": not an ONNX model (the protobuf does not parse: truncated or another "
                "format)");
  }
  if (!g.model.has_graph() || g.model.graph().node_size() == 0) {
    throw Error(source + ": the ONNX model has no graph nodes");
  }
  onnx::GraphProto& graph = *g.model.mutable_graph();
  std::string input_name = image_input(graph, source).name();
  for (onnx::ValueInfoProto& v : *graph.mutable_input()) {
    if (v.name() == input_name) fix_input_shape(v, options.input_shape, source);
  }
  g.input = input_name;
  // Topological order (ONNX requires it), checked before shape inference
  // (which would only say an input has no type): every input of a node is
  // the graph's input, an initializer or an earlier node's output.
  {
    std::unordered_set<std::string> available;
    for (const onnx::TensorProto& t : graph.initializer()) available.insert(t.name());
    for (const onnx::ValueInfoProto& v : graph.input()) available.insert(v.name());
    for (const onnx::NodeProto& node : graph.node()) {
      for (const std::string& in : node.input()) {
        if (!in.empty() && !available.count(in)) {
          throw Error(source + ": " + node_label(node) + " reads '" + in +
                      "', which no earlier node produces: the graph has a cycle or is not in "
                      "topological order");
        }
      }
      for (const std::string& out : node.output()) available.insert(out);
    }
  }
  g.generic_ops = check_nodes(graph, source, options.unknown_ops_as_shave);
  // The model's parameters, before shape arithmetic becomes initializers.
  for (const onnx::TensorProto& t : graph.initializer()) {
    std::int64_t n = 1;
    for (const std::int64_t d : t.dims()) n = d > 0 && n < (std::int64_t{1} << 40) ? n * d : 0;
    g.parameters += n;
  }
  // Shapes by ONNX's inference; shape arithmetic it cannot follow is folded
  // to constants (onnx_shape_folding.hpp) and inference runs again. Each
  // round folds at least one node, so this ends.
  for (int round = 0;; ++round) {
    // Inferred shapes only: drop what the file claims for inner tensors (a
    // stale value_info would contradict the new input shape).
    graph.clear_value_info();
    try {
      onnx::ShapeInferenceOptions inference(false, 1, true);
      onnx::shape_inference::InferShapes(g.model, onnx::OpSchemaRegistry::Instance(), inference);
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
      throw Error(source + ": ONNX shape inference failed: " + what);
    }
    g.shapes.clear();
    for (const onnx::ValueInfoProto& v : graph.input()) record_shape(g, v);
    for (const onnx::ValueInfoProto& v : graph.value_info()) record_shape(g, v);
    for (const onnx::ValueInfoProto& v : graph.output()) record_shape(g, v);
    if (round == 16 || fold_shape_arithmetic(graph, g.shapes) == 0) break;
  }
  for (const onnx::ValueInfoProto& v : graph.output()) g.graph_outputs[v.name()] = true;
  for (const onnx::TensorProto& t : graph.initializer()) {
    g.constants[t.name()] = &t;
    g.shapes[t.name()] = Dims(t.dims().begin(), t.dims().end());
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    if (const onnx::TensorProto* t = constant_value(node)) g.constants[node.output(0)] = t;
    for (const std::string& in : node.input()) {
      if (!in.empty()) g.consumers[in].push_back(i);
    }
  }
  return owned;
}

}  // namespace vpucost::onnx_import
