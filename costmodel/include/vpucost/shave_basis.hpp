#pragma once
// The encoding of a SHAVE operation for its cost model: a few closed-form
// terms whose weighted sum is the operation's cycles. SHAVE kernels are
// loops over vectors of elements, unrolled a few times, so their time is an
// affine function of the size plus saw-tooth terms for the partial vector and
// the partial unrolled block; softmax and MVN loop over the normalised and
// the other axes separately. The terms and why each is there are documented
// in shave_basis.cpp where they are computed. One basis per operation family,
// each with its own loop shape (vector and unroll lengths) chosen when the
// model is fitted.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "vpucost/shave_operation.hpp"

namespace vpucost {

/// Version of this encoding, stored in SHAVE model files.
inline constexpr int kShaveBasisVersion = 1;

enum class ShaveBasisKind : std::uint8_t {
  elementwise,  ///< activations, add, mul, depth_to_space
  softmax,      ///< softmax over one axis
  mvn,          ///< mean-variance normalisation over the innermost axes
  loop_nest,    ///< interpolate: one loop per input axis
};

/// The basis an operation's cost is fitted on.
constexpr ShaveBasisKind basis_kind(ShaveOp op) {
  return op == ShaveOp::softmax       ? ShaveBasisKind::softmax
         : op == ShaveOp::mvn         ? ShaveBasisKind::mvn
         : op == ShaveOp::interpolate ? ShaveBasisKind::loop_nest
                                      : ShaveBasisKind::elementwise;
}

/// The loop shape of a kernel: elements per vector and vectors per unrolled
/// block. Fitting tries every pair of these (kVectorLengths x kUnrollFactors).
struct ShaveLoopShape {
  int vector = 16;
  int unroll = 1;
  bool operator==(const ShaveLoopShape&) const = default;
};
inline constexpr std::array<int, 4> kVectorLengths{8, 16, 32, 64};
inline constexpr std::array<int, 5> kUnrollFactors{1, 2, 4, 8, 16};

/// Largest number of terms of any basis (softmax: 6 classes x 4).
inline constexpr std::size_t kMaxShaveTerms = 24;

/// Number of terms of `kind`.
std::size_t shave_term_count(ShaveBasisKind kind);

/// Names of the terms of `kind`, in order (for model files and `info`).
std::span<const std::string_view> shave_term_names(ShaveBasisKind kind);

/// Writes the shave_term_count(basis_kind(s.operation)) terms of `s` (which
/// must be valid) for loop shape `shape` into `out`.
void shave_terms(const ShaveOperation& s, ShaveLoopShape shape, std::span<double> out);

}  // namespace vpucost
