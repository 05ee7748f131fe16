#include "vpucost/shave_basis.hpp"

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

// Elementwise operations (activations, add, mul, depth_to_space): a SHAVE kernel streams the output
// in vectors of `vector` elements, `unroll` vectors per loop iteration (a block), then finishes the
// remainder vector by vector and the last partial vector element by element.
// VPUNN's profiled kernels have exactly this saw-tooth over a line in the
// output bytes, and its older tables are the line alone.
constexpr std::array<std::string_view, 5> kElementwiseNames{
    "one",              // fixed cost: kernel launch and loop set-up
    "output_bytes",     // streaming cost per output byte (UINT8 costs half of FLOAT16 per element)
    "first_block",      // 1 when the output fits in one block: the unrolled loop never runs
    "block_position",   // floor((n mod block) / vector): vectors finished outside the unrolled loop
    "vector_position",  // n mod vector: elements of the last, partial vector
};

// Softmax over an axis of S elements, repeated for the U = n / S positions
// of the other axes: the kernel vectorises over U, so its speed per position
// depends on how U is aligned. VPUNN's profiled softmax classes U by the
// largest power of two (up to 32) dividing it and, within a class, is
// bilinear in S and U rounded to the class (floor(U / 32) * 32 + class).
// Four terms per class, the class's indicator times S*U', U', S and 1; U = 1
// falls in the odd class (its rounded U is 1 as well).
constexpr std::array<std::string_view, 24> kSoftmaxNames{
    "odd_su",   "odd_u",      "odd_s",     "odd_one",   "even2_su",  "even2_u",
    "even2_s",  "even2_one",  "even4_su",  "even4_u",   "even4_s",   "even4_one",
    "even8_su", "even8_u",    "even8_s",   "even8_one", "even16_su", "even16_u",
    "even16_s", "even16_one", "even32_su", "even32_u",  "even32_s",  "even32_one",
};

// MVN over the innermost `param` axes of W, H, C (layout XYZ: W innermost):
// a normalised volume of V elements (product of those axes), done R times
// (product of the other axes). Each normalisation is a vectorised, unrolled
// loop over V like the elementwise kernels, paid R times, plus a cost per
// channel for the outer loop.
constexpr std::array<std::string_view, 6> kMvnNames{
    "one",             // fixed cost
    "channels",        // outer loop over channels
    "blocks_x_r",      // floor(V / block) * R: full unrolled blocks of every normalisation
    "block_pos_x_r",   // floor((V mod block) / vector) * R: vectors outside the unrolled loop
    "vector_pos_x_r",  // (V mod vector) * R: elements of the last partial vector
    "volume_x_r",      // V * R = n: two passes (mean, variance) over every element
};

// Interpolate walks the input in three nested loops (over W, H and C) and
// writes scale^2 outputs per input element; the cost of each loop level is
// affine in its trip count, so the total is trilinear in W, H and C: every
// product of a subset of them. (VPUNN's VPU_2_7 kernel is exactly this,
// with its own reading of the height; NPU_5_0's heuristic is the W*H*C term.)
constexpr std::array<std::string_view, 8> kLoopNestNames{
    "one", "w", "h", "c", "w_h", "w_c", "h_c", "w_h_c",
};

int power_of_two_class(std::int64_t u) {
  int cls = 0;  // 0: odd, 1: 2 | u, ..., 5: 32 | u
  while (cls < 5 && u % (std::int64_t{2} << cls) == 0) ++cls;
  return cls;
}

}  // namespace

std::size_t shave_term_count(ShaveBasisKind kind) {
  return shave_term_names(kind).size();
}

std::span<const std::string_view> shave_term_names(ShaveBasisKind kind) {
  switch (kind) {
    case ShaveBasisKind::softmax:
      return kSoftmaxNames;
    case ShaveBasisKind::mvn:
      return kMvnNames;
    case ShaveBasisKind::loop_nest:
      return kLoopNestNames;
    case ShaveBasisKind::elementwise:
      break;
  }
  return kElementwiseNames;
}

void shave_terms(const ShaveOperation& s, ShaveLoopShape shape, std::span<double> out) {
  const std::int64_t vector = shape.vector;
  const std::int64_t block = vector * shape.unroll;
  const std::int64_t n = output_elements(s);
  switch (basis_kind(s.operation)) {
    case ShaveBasisKind::elementwise:
      out[0] = 1.0;
      out[1] = output_bytes(s);
      out[2] = n <= block ? 1.0 : 0.0;
      out[3] = static_cast<double>((n % block) / vector);
      out[4] = static_cast<double>(n % vector);
      return;
    case ShaveBasisKind::softmax: {
      const std::int64_t axis = s.param == 1   ? s.input.channels
                                : s.param == 2 ? s.input.height
                                               : s.input.width;
      const std::int64_t u = n / axis;
      const int cls = power_of_two_class(u);
      const double rounded =
          cls == 5 ? static_cast<double>(u) : static_cast<double>(u / 32 * 32 + (1 << cls));
      std::fill(out.begin(), out.begin() + 24, 0.0);
      const auto a = static_cast<double>(axis);
      out[4 * cls + 0] = a * rounded;
      out[4 * cls + 1] = rounded;
      out[4 * cls + 2] = a;
      out[4 * cls + 3] = 1.0;
      return;
    }
    case ShaveBasisKind::mvn: {
      const std::int64_t dims[] = {s.input.width, s.input.height, s.input.channels};
      std::int64_t volume = 1;
      for (int i = 0; i < s.param; ++i) volume *= dims[i];
      const auto r = static_cast<double>(n / volume);
      out[0] = 1.0;
      out[1] = static_cast<double>(s.input.channels);
      out[2] = static_cast<double>(volume / block) * r;
      out[3] = static_cast<double>((volume % block) / vector) * r;
      out[4] = static_cast<double>(volume % vector) * r;
      out[5] = static_cast<double>(n);
      return;
    }
    case ShaveBasisKind::loop_nest: {
      const auto w = static_cast<double>(s.input.width);
      const auto h = static_cast<double>(s.input.height);
      const auto c = static_cast<double>(s.input.channels);
      out[0] = 1.0;
      out[1] = w;
      out[2] = h;
      out[3] = c;
      out[4] = w * h;
      out[5] = w * c;
      out[6] = h * c;
      out[7] = w * h * c;
      return;
    }
  }
}

}  // namespace vpucost
