#include "onnx_node_check.hpp"

#include <cstring>
#include <unordered_set>

#include "onnx_graph.hpp"
#include "vpucost/error.hpp"

namespace vpucost::onnx_import {
namespace {

// Every operator the importer maps, lays out or folds (onnx_network.cpp,
// onnx_shape_folding.cpp).
const std::unordered_set<std::string> kKnownOps = {
    // DPU, SHAVE
    "Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu", "MaxPool", "AveragePool",
    "GlobalAveragePool", "ReduceMean", "Gemm", "MatMul", "Add", "Mul", "Sigmoid", "HardSigmoid",
    "HardSwish", "Tanh", "Elu", "Mish", "PRelu", "Gelu", "Softmax", "DepthToSpace",
    // layout
    "Flatten", "Reshape", "Transpose", "Concat", "Slice", "Split", "Squeeze", "Unsqueeze",
    "Identity", "Dropout", "Pad", "Cast", "Expand",
    // shape arithmetic
    "Shape", "Size", "Gather", "Constant", "Sub", "Div"};

const std::unordered_set<std::string> kConvPoolOps = {"Conv", "MaxPool", "AveragePool"};

[[noreturn]] void fail(const onnx::NodeProto& node, const std::string& source,
                       const std::string& why) {
  throw Error(source + ": " + node_label(node) + ": " + why);
}

void check_attributes(const onnx::NodeProto& node, const std::string& source) {
  const auto fail = [&](const std::string& why) { onnx_import::fail(node, source, why); };
  for (const onnx::AttributeProto& a : node.attribute()) {
    const std::string& n = a.name();
    if (kConvPoolOps.count(node.op_type())) {
      if (n == "kernel_shape" || n == "strides" || n == "dilations") {
        for (const std::int64_t v : a.ints()) {
          if (v <= 0 || v > 1 << 16) fail(n + " " + std::to_string(v) + " is not positive");
        }
      } else if (n == "pads") {
        for (const std::int64_t v : a.ints()) {
          if (v < 0 || v > 1 << 16) fail("pads " + std::to_string(v) + " is out of range");
        }
      } else if (n == "group" && (a.i() <= 0 || a.i() > 1 << 20)) {
        fail("group " + std::to_string(a.i()) + " is not positive");
      }
    }
    if (node.op_type() == "DepthToSpace" && n == "blocksize" && (a.i() <= 0 || a.i() > 64)) {
      fail("blocksize " + std::to_string(a.i()) + " is outside 1..64");
    }
    if (node.op_type() == "Split" && n == "split") {
      for (const std::int64_t v : a.ints()) {
        if (v < 0) fail("split " + std::to_string(v) + " is negative");
      }
    }
  }
}

// A Conv without kernel_shape gets it from its weight's dims, so that
// inference checks its size against the input's (it does for the attribute;
// from the weight, libonnx 1.12 reads past an empty kernel when the weight
// has fewer dimensions than the input: a SEGV found by fuzzing).
void complete_kernel_shape(
    onnx::NodeProto& node,
    const std::unordered_map<std::string, const onnx::TensorProto*>& constants,
    const std::string& source) {
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() == "kernel_shape") return;
  }
  const auto fail = [&](const std::string& why) { onnx_import::fail(node, source, why); };
  if (node.input_size() < 2) fail("a Conv needs an input and a weight");
  const auto it = constants.find(node.input(1));
  if (it == constants.end()) {
    fail("no kernel_shape attribute, and its weight '" + node.input(1) +
         "' is not a constant to take it from");
  }
  const onnx::TensorProto& w = *it->second;
  if (w.dims_size() < 3) {
    fail("its weight '" + node.input(1) + "' has " + std::to_string(w.dims_size()) +
         " dimensions: expected M x C/group x kH x kW");
  }
  onnx::AttributeProto* k = node.add_attribute();
  k->set_name("kernel_shape");
  k->set_type(onnx::AttributeProto::INTS);
  for (int d = 2; d < w.dims_size(); ++d) k->add_ints(w.dims(d));
  check_attributes(node, source);
}

}  // namespace

std::unordered_map<std::string, std::string> check_nodes(onnx::GraphProto& graph,
                                                         const std::string& source,
                                                         bool unknown_ops_as_shave) {
  std::unordered_map<std::string, std::string> replaced;
  std::unordered_map<std::string, const onnx::TensorProto*> constants;
  for (const onnx::TensorProto& t : graph.initializer()) constants[t.name()] = &t;
  for (int i = 0; i < graph.node_size(); ++i) {
    onnx::NodeProto& node = *graph.mutable_node(i);
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      if (!unknown_ops_as_shave) {
        fail(node, source, "operator domain '" + node.domain() + "' is not the ONNX standard");
      }
    } else if (kKnownOps.count(node.op_type())) {
      check_attributes(node, source);
      if (node.op_type() == "Conv") complete_kernel_shape(node, constants, source);
      if (const onnx::TensorProto* t = constant_value(node)) constants[node.output(0)] = t;
      // Slice steps of 0 make inference divide by zero.
      if (node.op_type() == "Slice" && node.input_size() > 4) {
        const auto it = constants.find(node.input(4));
        if (it != constants.end()) {
          const onnx::TensorProto& t = *it->second;
          for (const std::int64_t s : t.int64_data()) {
            if (s == 0) fail(node, source, "a Slice step is 0");
          }
          const std::string& raw = t.raw_data();
          for (std::size_t k = 0; k + 8 <= raw.size(); k += 8) {
            std::int64_t s;
            std::memcpy(&s, raw.data() + k, 8);
            if (s == 0) fail(node, source, "a Slice step is 0");
          }
        }
      }
      continue;
    }
    if (!unknown_ops_as_shave) {
      fail(node, source,
           "operator '" + node.op_type() +
               "' has no mapping to the DPU, SHAVE or layout nodes (network/NETWORK.md "
               "section 13); --unknown-ops shave-generic costs it as a generic SHAVE "
               "operation");
    }
    if (node.input_size() == 0 || node.output_size() == 0) {
      fail(node, source, "an operator with no input or output");
    }
    // For inference: an element-wise op keeps its first input's shape.
    replaced[node.output(0)] = node.op_type();
    const std::string input = node.input(0), output = node.output(0), name = node.name();
    node.Clear();
    node.set_op_type("Identity");
    node.set_name(name);
    node.add_input(input);
    node.add_output(output);
  }
  return replaced;
}

}  // namespace vpucost::onnx_import
