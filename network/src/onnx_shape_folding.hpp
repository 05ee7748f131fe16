#pragma once
// Shape arithmetic of an ONNX graph folded to constants: exporters compute
// reshape and slice sizes at run time (Shape -> Gather -> Div -> Concat ...,
// as torch exports ShuffleNet's channel split), which ONNX 1.12's shape
// inference cannot follow. With the image input's shape fixed these values
// are constants: this evaluates them (small integer tensors only), turns
// them into initializers and removes the nodes that computed them, so that
// shape inference run again sees static shapes.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace vpucost::onnx_import {

/// Folds what it can given the tensor shapes known so far; returns the
/// number of nodes folded (0: nothing more to fold).
int fold_shape_arithmetic(onnx::GraphProto& graph,
                          const std::unordered_map<std::string, std::vector<std::int64_t>>& shapes);

}  // namespace vpucost::onnx_import
