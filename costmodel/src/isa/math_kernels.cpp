// The kernels of one CPU path (cpu_kernels.hpp). This file is compiled once
// per path by costmodel/CMakeLists.txt with that path's instruction-set flags,
// VPUCOST_ISA_NAMESPACE (isa_generic, isa_avx2, isa_avx512) and `Eigen`
// defined to a private name, so each copy's Eigen templates and our inline
// functions are distinct symbols. It must include no project header that
// includes Eigen under its usual name.
#include <Eigen/Core>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "dense_bf16_kernel.hpp"  // and dense_kernel.hpp
#include "vpucost/cpu_kernels.hpp"

#ifndef VPUCOST_ISA_PATH
#error "VPUCOST_ISA_PATH must name the CpuPath enumerator of this copy"
#endif

namespace vpucost::VPUCOST_ISA_NAMESPACE {
namespace {

using Stride = Eigen::OuterStride<>;
using ArrayMap = Eigen::Map<Eigen::ArrayXXf, 0, Stride>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXXf, 0, Stride>;
using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXf, 0, Stride>;

void dense_single(const float* w, Index rows, Index cols, const float* b, const float* x, float* y,
                  bool sparse_input) noexcept {
  dense_forward(w, rows, cols, b, x, y, sparse_input);
}

void dense_batch(const float* w, Index rows, Index cols, const float* b, const float* x, Index ldx,
                 float* y, Index ldy, Index columns, bool sparse_input) noexcept {
  dense_forward_batch(w, rows, cols, b, x, ldx, y, ldy, columns, sparse_input);
}

#if defined(__AVX512F__)
void dense_single_bf16(const std::uint32_t* packed, const float* w, Index rows, Index cols,
                       const float* b, const float* x, float* y) noexcept {
  dense_forward_bf16(packed, w, rows, cols, b, x, y);
}
constexpr auto kDenseSingleBf16 = &dense_single_bf16;
#else
// No kernel for packed weights: the MLP runs its float copy of them (the
// same values) through dense_single.
constexpr decltype(MathKernels::dense_single_bf16) kDenseSingleBf16 = nullptr;
#endif

#if defined(__AVX512F__)
void dense_single_bf16_dot(const std::uint32_t* packed, const float* w, Index rows, Index cols,
                           const float* b, const float* x, float* y) noexcept {
  dense_forward_bf16_dot(packed, w, rows, cols, b, x, y);
}
void dense_batch_bf16(const std::uint32_t* w, Index rows, Index pairs, const float* b,
                      const std::uint32_t* x, Index ldx, float* y, Index ldy,
                      Index columns) noexcept {
  dense_forward_batch_bf16(w, rows, pairs, b, x, ldx, y, ldy, columns);
}
void pack_bf16_pairs(const float* x, Index k, Index ldx, Index columns, std::uint32_t* out,
                     Index ld_out) noexcept {
  pack_bf16_pairs_avx512(x, k, ldx, columns, out, ld_out);
}
// Chosen at run time: the avx512 copy runs on CPUs with and without the
// bfloat16 dot product (AVX512_BF16: Cooper Lake, Sapphire Rapids, Zen 4 on).
bool cpu_has_bf16_dot() {
  return __builtin_cpu_supports("avx512bf16");
}
#else
constexpr decltype(MathKernels::dense_single_bf16_dot) dense_single_bf16_dot = nullptr;
constexpr decltype(MathKernels::dense_batch_bf16) dense_batch_bf16 = nullptr;
constexpr decltype(MathKernels::pack_bf16_pairs) pack_bf16_pairs = nullptr;
bool cpu_has_bf16_dot() {
  return false;
}
#endif

// As the hardware's conversion (and mlp.cpp's to_bf16): round to nearest,
// ties to even, on the bits; the loop vectorises at this path's width.
void round_to_bf16(float* v, Index rows, Index cols, Index ld) noexcept {
  for (Index c = 0; c < cols; ++c) {
    float* column = v + c * ld;
    for (Index r = 0; r < rows; ++r) {
      const auto bits = std::bit_cast<std::uint32_t>(column[r]);
      column[r] = std::bit_cast<float>((bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF0000u);
    }
  }
}

void activate(Activation a, float* values, Index rows, Index cols, Index ld) noexcept {
  ArrayMap v(values, rows, cols, Stride(ld));
  switch (a) {
    case Activation::ReLU:
      v = v.max(0.0f);
      break;
    case Activation::SiLU:
      // x * sigmoid(x) written with tanh: Eigen vectorises tanh as a rational
      // function, a little cheaper than exp plus a division.
      v = v * (0.5f + 0.5f * (0.5f * v).tanh());
      break;
    case Activation::Tanh:
      v = v.tanh();
      break;
    case Activation::GELU:  // tanh approximation
      v = 0.5f * v * (1.0f + (0.7978845608f * (v + 0.044715f * v.cube())).tanh());
      break;
  }
}

void activation_derivative(Activation a, const float* pre_data, Index ld_pre,
                           const float* post_data, Index ld_post, float* delta_data, Index ld_delta,
                           Index rows, Index cols) noexcept {
  const ConstArrayMap pre(pre_data, rows, cols, Stride(ld_pre));
  const ConstArrayMap post(post_data, rows, cols, Stride(ld_post));
  ArrayMap delta(delta_data, rows, cols, Stride(ld_delta));
  switch (a) {
    case Activation::ReLU:
      delta = (pre > 0.0f).select(delta, 0.0f);
      break;
    case Activation::Tanh:
      delta *= 1.0f - post.square();
      break;
    case Activation::SiLU:
      // d/dz z*s(z) = s + z*s*(1-s) = s*(1 + z*(1-s))
      delta *= (1.0f + pre * (1.0f - 1.0f / (1.0f + (-pre).exp()))) / (1.0f + (-pre).exp());
      break;
    case Activation::GELU: {
      // Derivative of the tanh approximation 0.5 z (1 + tanh(k0 (z + k1 z^3))).
      constexpr float k0 = 0.7978845608f;
      constexpr float k1 = 0.044715f;
      const auto t = (k0 * (pre + k1 * pre.cube())).tanh();
      delta *= 0.5f * (1.0f + t) +
               0.5f * pre * (1.0f - t.square()) * k0 * (1.0f + 3.0f * k1 * pre.square());
      break;
    }
  }
}

void gemm(bool transpose_a, bool transpose_b, Index m, Index n, Index k, const float* a, Index lda,
          const float* b, Index ldb, float* c, Index ldc) {
  const ConstMatrixMap A(a, transpose_a ? k : m, transpose_a ? m : k, Stride(lda));
  const ConstMatrixMap B(b, transpose_b ? n : k, transpose_b ? k : n, Stride(ldb));
  Eigen::Map<Eigen::MatrixXf, 0, Stride> C(c, m, n, Stride(ldc));
  if (!transpose_a && !transpose_b) {
    C.noalias() = A * B;
  } else if (!transpose_a) {
    C.noalias() = A * B.transpose();
  } else if (!transpose_b) {
    C.noalias() = A.transpose() * B;
  } else {
    C.noalias() = A.transpose() * B.transpose();
  }
}

void adam_update(float* __restrict p, const float* __restrict g, float* __restrict m,
                 float* __restrict v, const float* __restrict mask, std::size_t n, float b1,
                 float b2, float decay, float step_size, float inv_sqrt_bc2, float eps) noexcept {
  // One pass over contiguous arrays, vectorised at this path's width.
  for (std::size_t i = 0; i < n; ++i) {
    const float pi = mask[i] != 0.0f ? p[i] * decay : p[i];
    const float mi = b1 * m[i] + (1.0f - b1) * g[i];
    const float vi = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
  }
}

}  // namespace

const MathKernels& kernels() {
  static const MathKernels table{
      .path = CpuPath::VPUCOST_ISA_PATH,
      .dense_single = dense_single,
      .dense_single_bf16 = kDenseSingleBf16,
      .dense_single_bf16_dot = cpu_has_bf16_dot() ? dense_single_bf16_dot : nullptr,
      .dense_batch = dense_batch,
      .dense_batch_bf16 = cpu_has_bf16_dot() ? dense_batch_bf16 : nullptr,
      .pack_bf16_pairs = cpu_has_bf16_dot() ? pack_bf16_pairs : nullptr,
      .round_to_bf16 = round_to_bf16,
      .activate = activate,
      .activation_derivative = activation_derivative,
      .gemm = gemm,
      .adam_update = adam_update};
  return table;
}

}  // namespace vpucost::VPUCOST_ISA_NAMESPACE
