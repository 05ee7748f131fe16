#pragma once
// The SHAVE operation descriptor: one operation a layer runs on a SHAVE (DSP)
// core instead of the DPU — activations outside the ReLU family, softmax,
// MVN, depth-to-space, interpolation — with its tensors, as the v2 teacher
// data's shave/ files record it. Like Workload it is a plain value;
// find_problem names the first thing that makes it impossible.
#include <cstdint>
#include <optional>
#include <string>

#include "vpucost/enums.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

struct ShaveOperation {
  Device device = Device::VPU_2_7;
  ShaveOp operation = ShaveOp::sigmoid;
  Tensor input;   ///< the (first) input; add and mul take a second of the same shape
  Tensor output;  ///< same shape as the input except depth_to_space and interpolate
  /// The operation's parameter: softmax, the axis (1 = C, 2 = H, 3 = W); mvn,
  /// the number of normalised axes (1 = W, 2 = W,H, 3 = W,H,C); depth_to_space,
  /// the block size; interpolate, the scale. 0 for operations without one.
  int param = 0;

  bool operator==(const ShaveOperation&) const = default;
};

/// Whether `op` takes a parameter (softmax, mvn, depth_to_space, interpolate).
constexpr bool takes_param(ShaveOp op) {
  return op == ShaveOp::softmax || op == ShaveOp::mvn || op == ShaveOp::depth_to_space ||
         op == ShaveOp::interpolate;
}

/// Whether `op` reads a second input tensor (element-wise binary operations).
constexpr bool is_binary(ShaveOp op) {
  return op == ShaveOp::add || op == ShaveOp::mul;
}

/// The tensor layout the teacher data gives VPUNN for `op`: "XYZ" (channels
/// outermost) for softmax, mvn and interpolate, whose kernels need it;
/// "ZXY" (channels innermost, VPUNN's default) for every other operation.
std::string_view shave_layout(ShaveOp op);

/// The output tensor `op` makes of `input` with parameter `param` (the
/// input's shape for element-wise operations; 2W x 2H x C/4 for
/// depth_to_space with block 2; 2W x 2H x C for interpolate with scale 2).
/// A `param` below 1 leaves the shape as it is (find_problem then names the
/// parameter).
Tensor shave_output_of(ShaveOp op, const Tensor& input, int param);

/// The first thing wrong with `s` as a message naming the field and the
/// values; std::nullopt when `s` is valid.
std::optional<std::string> find_problem(const ShaveOperation& s);

/// Throws vpucost::Error with find_problem's message when `s` is invalid.
void validate(const ShaveOperation& s);

/// Elements and bytes of the output (what the SHAVE kernels' time follows).
std::int64_t output_elements(const ShaveOperation& s);
double output_bytes(const ShaveOperation& s);

/// One-line description, e.g. "VPU_4_0 SHAVE hswish 56x56x64 FLOAT16" or
/// "NPU_5_0 SHAVE softmax 7x7x1000 FLOAT16 axis 1"
/// ("-> 112x112x16" follows where the output shape differs).
std::string describe(const ShaveOperation& s);

}  // namespace vpucost
