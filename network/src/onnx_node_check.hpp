#pragma once
// What may reach ONNX's shape inference. libonnx 1.12 trusts some attributes
// it divides by or loops over (a Conv with stride 0 raises SIGFPE inside
// convPoolShapeInference: found by fuzzing), and it runs the inference of
// every operator of the standard. So before inference every node is checked:
//  - its operator is one the importer maps (onnx_network.hpp), a layout op,
//    or one of the shape-arithmetic ops it folds; any other is an error
//    naming it -- or, with unknown_ops_as_shave, becomes an Identity of its
//    first input for inference (a generic element-wise operation keeps its
//    input's shape), the original op type kept for the mapping;
//  - the attributes inference would trust are in range (positive kernels,
//    strides, dilations, group and block sizes; pads >= 0; nonzero Slice
//    steps);
//  - a Conv without kernel_shape gets it from its constant weight (libonnx
//    reads past the kernel it derives when the weight has fewer dimensions
//    than the input: a SEGV found by fuzzing); a weight that is not a
//    constant, or has fewer than 3 dimensions, is an error.
#include <onnx/onnx_pb.h>

#include <string>
#include <unordered_map>

namespace vpucost::onnx_import {

/// Throws vpucost::Error for the first node that fails. Nodes of unknown
/// operators are rewritten to Identity when `unknown_ops_as_shave`; their
/// original op types are returned by (first) output name.
std::unordered_map<std::string, std::string> check_nodes(onnx::GraphProto& graph,
                                                         const std::string& source,
                                                         bool unknown_ops_as_shave);

}  // namespace vpucost::onnx_import
