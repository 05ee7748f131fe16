#pragma once
// The batch of a bf16 model's hidden-to-hidden layers with AVX-512 BF16 dot
// products (VDPBF16PS): each instruction multiplies 16 pairs of bfloat16
// weights by a broadcast pair of bfloat16 inputs and adds both products to
// 16 float32 sums -- twice the multiply-adds of a float32 FMA.
//
// Numbers: weights and inputs are bfloat16 (the MLP rounds both to nearest
// even), products are exact in float32 and every sum is float32. Per pair
// the instruction adds the odd (high) product, then the even one, each
// rounded -- the order the portable form below also uses, so a CPU without
// the instruction computes the same bits (denormal sums aside: the
// instruction flushes them).
//
// Layouts: weights as MathKernels::dense_single_bf16 (element p * rows + i =
// row i's weights of columns 2p and 2p + 1, low half first); inputs the
// same per column (element c * x_stride + p = column c's inputs 2p and
// 2p + 1). Register tiles as dense_forward_batch (dense_batch_kernel.hpp): 64
// rows x 5 columns of sums, one slice of weight pairs per step.
//
// Included by isa/math_kernels.cpp only; the functions carry their own
// target attribute, so the avx512 copy has them and picks them at run time
// when the CPU has the instruction.
#include <Eigen/Core>
#include <cstdint>

#include "dense_kernel.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#ifndef VPUCOST_ISA_NAMESPACE
#error "dense_bf16_kernel.hpp belongs to isa/math_kernels.cpp (one copy per CPU path)"
#endif
namespace vpucost::VPUCOST_ISA_NAMESPACE {

#if defined(__AVX512F__)
#define VPUCOST_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512bf16")))

// VPUCOST_ALL(X): X(r, c) for every accumulator of a tile (dense_batch_kernel.hpp).
#define VPUCOST_INIT(r, c) __m512 a##r##c = bias##r;
#define VPUCOST_DOT(r, c) \
  if constexpr (R > r && C > c) a##r##c = _mm512_dpbf16_ps(a##r##c, w##r, x##c);
#define VPUCOST_STORE(r, c)     \
  if constexpr (R > r && C > c) \
    _mm512_mask_storeu_ps(y + c * y_stride + first_row + 16 * r, mask_of(r), a##r##c);

/// Rows [first_row, first_row + 16 R) of C columns over `pairs` input pairs.
template <int R, int C>
VPUCOST_BF16_TARGET inline void dense_tile_bf16(const std::uint32_t* __restrict w,
                                                Eigen::Index w_rows, Eigen::Index pairs,
                                                const std::uint32_t* __restrict x,
                                                Eigen::Index x_stride, const float* __restrict b,
                                                float* __restrict y, Eigen::Index y_stride,
                                                Eigen::Index first_row, __mmask16 last_mask) {
  static_assert(R >= 1 && R <= 4 && C >= 1 && C <= 8);
  const auto mask_of = [&](int r) { return r == R - 1 ? last_mask : __mmask16(0xFFFF); };
  const auto bias_of = [&](int r) {
    return R > r ? _mm512_maskz_loadu_ps(mask_of(r), b + first_row + 16 * r) : _mm512_setzero_ps();
  };
  const auto load = [&](const std::uint32_t* p, int r) {
    return R > r ? (__m512bh)_mm512_maskz_loadu_epi32(mask_of(r), p + 16 * r)
                 : (__m512bh)_mm512_setzero_si512();
  };
  const __m512 bias0 = bias_of(0), bias1 = bias_of(1), bias2 = bias_of(2), bias3 = bias_of(3);
  VPUCOST_ALL(VPUCOST_INIT)
  const std::uint32_t* wp = w + first_row;
  for (Eigen::Index p = 0; p < pairs; ++p, wp += w_rows) {
    const __m512bh w0 = load(wp, 0), w1 = load(wp, 1), w2 = load(wp, 2), w3 = load(wp, 3);
    const auto x_at = [&](int c) {
      return (__m512bh)_mm512_set1_epi32(C > c ? static_cast<int>(x[c * x_stride + p]) : 0);
    };
    const __m512bh x0 = x_at(0), x1 = x_at(1), x2 = x_at(2), x3 = x_at(3);
    const __m512bh x4 = x_at(4), x5 = x_at(5), x6 = x_at(6), x7 = x_at(7);
    VPUCOST_ALL(VPUCOST_DOT)
  }
  VPUCOST_ALL(VPUCOST_STORE)
}
#undef VPUCOST_STORE
#undef VPUCOST_DOT
#undef VPUCOST_INIT
#undef VPUCOST_ALL
#undef VPUCOST_ROWS_OF

/// Y(:, j) = W X(:, j) + b for j < columns, W and X as bfloat16 pairs.
VPUCOST_BF16_TARGET inline void dense_forward_batch_bf16(const std::uint32_t* w, Eigen::Index rows,
                                                         Eigen::Index pairs, const float* b,
                                                         const std::uint32_t* x,
                                                         Eigen::Index x_stride, float* y,
                                                         Eigen::Index y_stride,
                                                         Eigen::Index columns) {
  for_each_tile(rows, columns,
                [&]<int R, int C>(Eigen::Index c, Eigen::Index first_row, __mmask16 last_mask) {
                  dense_tile_bf16<R, C>(w, rows, pairs, x + c * x_stride, x_stride, b,
                                        y + c * y_stride, y_stride, first_row, last_mask);
                });
}

/// Each column's first k values of x as bfloat16 pairs (rounded to nearest
/// even; an odd last value pairs with 0): out[c * out_stride + p].
VPUCOST_BF16_TARGET inline void pack_bf16_pairs_avx512(const float* x, Eigen::Index k,
                                                       Eigen::Index x_stride, Eigen::Index columns,
                                                       std::uint32_t* out,
                                                       Eigen::Index out_stride) {
  for (Eigen::Index c = 0; c < columns; ++c) {
    const float* in = x + c * x_stride;
    std::uint32_t* to = out + c * out_stride;
    for (Eigen::Index j = 0; j < k; j += 32) {
      const Eigen::Index left = k - j;
      const auto lo_mask = static_cast<__mmask16>(left >= 16 ? 0xFFFF : (1u << left) - 1u);
      const auto hi_mask = static_cast<__mmask16>(
          left >= 32 ? 0xFFFF : (left <= 16 ? 0u : (1u << (left - 16)) - 1u));
      const __m512 lo = _mm512_maskz_loadu_ps(lo_mask, in + j);
      const __m512 hi = _mm512_maskz_loadu_ps(hi_mask, in + j + 16);
      const auto pairs = static_cast<__mmask16>(
          left >= 32 ? 0xFFFF : (1u << ((left + 1) / 2)) - 1u);  // pairs written
      _mm512_mask_storeu_epi32(to + j / 2, pairs, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
    }
  }
}

/// One query's rows [first_row, first_row + 16 V) of y = W x + b by dot
/// products: pair p goes to partial sum p % S (S chains per 16 rows keep
/// the dot-product unit busy through its latency), the partial sums are
/// added at the end, 0 to S - 1. The input pairs come from x, whose values
/// are bfloat16 already (a bf16 MLP rounds them): their top halves, exact.
template <int V, int S>
VPUCOST_BF16_TARGET inline void dense_rows_bf16_dot(const std::uint32_t* __restrict w,
                                                    Eigen::Index rows, Eigen::Index pairs,
                                                    const std::uint32_t* __restrict x_pairs,
                                                    const float* __restrict b, float* __restrict y,
                                                    Eigen::Index first_row) {
  static_assert(V >= 1 && S >= 1 && V * S <= 24);
  __m512 acc[S][V];
  for (int v = 0; v < V; ++v) {
    acc[0][v] = _mm512_loadu_ps(b + first_row + 16 * v);
    for (int s = 1; s < S; ++s) acc[s][v] = _mm512_setzero_ps();
  }
  // (No lambda: it would not inherit this function's instruction set.)
  for (Eigen::Index p = 0; p < pairs; p += S) {
    for (int s = 0; s < S && p + s < pairs; ++s) {
      const auto xp = (__m512bh)_mm512_set1_epi32(static_cast<int>(x_pairs[p + s]));
      const std::uint32_t* slice = w + (p + s) * rows + first_row;
      for (int v = 0; v < V; ++v) {
        acc[s][v] = _mm512_dpbf16_ps(acc[s][v], (__m512bh)_mm512_loadu_si512(slice + 16 * v), xp);
      }
    }
  }
  for (int v = 0; v < V; ++v) {
    for (int s = 1; s < S; ++s) acc[0][v] = _mm512_add_ps(acc[0][v], acc[s][v]);
    _mm512_storeu_ps(y + first_row + 16 * v, acc[0][v]);
  }
}

/// dense_forward_bf16 (dense_kernel.hpp) by dot products, for inputs that
/// are bfloat16 values already; the rows past the last whole 16 from `w`,
/// the same weights as floats.
VPUCOST_BF16_TARGET inline void dense_forward_bf16_dot(const std::uint32_t* packed, const float* w,
                                                       Eigen::Index rows, Eigen::Index cols,
                                                       const float* b, const float* x, float* y) {
  alignas(64) std::uint32_t x_pairs[(1024 + 1) / 2 + 16];
  const Eigen::Index pairs = (cols + 1) / 2;
  pack_bf16_pairs_avx512(x, cols, cols, 1, x_pairs, pairs);
  Eigen::Index i = 0;
  for (; i + 128 <= rows; i += 128) {
    dense_rows_bf16_dot<8, 2>(packed, rows, pairs, x_pairs, b, y, i);
  }
  with_vector_count((rows - i) / 16, [&](auto vectors) {
    constexpr int V = decltype(vectors)::value;
    dense_rows_bf16_dot<V, (12 + V - 1) / V>(packed, rows, pairs, x_pairs, b, y, i);
  });
  i += (rows - i) / 16 * 16;
  for (; i < rows; ++i) {  // e.g. an output neuron: a float dot product
    float sum = b[i];
    for (Eigen::Index k = 0; k < cols; ++k) sum += w[k * rows + i] * x[k];
    y[i] = sum;
  }
}

#undef VPUCOST_BF16_TARGET
#endif

}  // namespace vpucost::VPUCOST_ISA_NAMESPACE
