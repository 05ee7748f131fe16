#pragma once
// y = W x + b for column-major dense layers, one query at a time: the hot
// loops of the cost model (a batch: dense_batch_kernel.hpp).
//
// Single query (dense_forward): with AVX-512 the output rows are kept in up to
// eight 16-float registers while the columns stream through, which is what
// makes a 30k-parameter network run near the FMA throughput limit; columns
// whose input is zero are skipped (exactly: they add nothing).
//
// Both (single and batch) sum most outputs as b + w0 x0 + w1 x1 + ... in that order; only the
// last rows of a layer (fewer than 16, e.g. the output neuron) are summed in
// another order by the single query, so batched and single predictions agree
// to float rounding. Without AVX-512, Eigen's GEMV/GEMM do the work.
//
// Included by isa/math_kernels.cpp only, which is compiled once per CPU path
// with `Eigen` renamed (cpu_kernels.hpp): __AVX512F__ is that copy's flags.
#include <Eigen/Core>
#include <cstdint>
#include <type_traits>

#include "dense_batch_kernel.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#ifndef VPUCOST_ISA_NAMESPACE
#error "dense_kernel.hpp belongs to isa/math_kernels.cpp (one copy per CPU path)"
#endif
namespace vpucost::VPUCOST_ISA_NAMESPACE {

#if defined(__AVX512F__)
// The indices of the non-zero values of x[0, cols), in order; returns their
// count. Branch-free: a compress-store per 16 values.
inline int nonzero_indices(const float* __restrict x, Eigen::Index cols, int* __restrict out) {
  int count = 0;
  const __m512i step = _mm512_set1_epi32(16);
  __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (Eigen::Index j = 0; j < cols; j += 16, index = _mm512_add_epi32(index, step)) {
    const Eigen::Index left = cols - j;
    const auto in_range = static_cast<__mmask16>(left >= 16 ? 0xFFFF : (1u << left) - 1u);
    const __m512 v = _mm512_maskz_loadu_ps(in_range, x + j);
    const __mmask16 nonzero =
        _mm512_mask_cmp_ps_mask(in_range, v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
    _mm512_mask_compressstoreu_epi32(out + count, nonzero, index);
    count += __builtin_popcount(nonzero);
  }
  return count;
}

/// Rows [first_row, first_row + 16 V) of y = W x + b over the columns
/// col(0) .. col(count - 1), in S interleaved partial sums (the u-th column
/// visited goes to sum u % S), added at the end. Why S: each sum is a chain
/// of dependent FMAs, and keeping two FMA units busy through their 4-cycle
/// latency needs 8 chains in flight. A 128-row band has 8 (V = 8, S = 1); the
/// 48-row layer of the shipped network had 1 chain per 16 rows (V = 1, three
/// times) until it was split (V = 3, S = 3): the MLP went from 1.00 to 0.83 us.
template <int V, int S, class Columns>
inline void dense_rows(const float* __restrict w, Eigen::Index rows, Columns col, int count,
                       const float* __restrict x, const float* __restrict b, float* __restrict y,
                       Eigen::Index first_row) {
  static_assert(V >= 1 && S >= 1 && V * S <= 24);
  __m512 acc[S][V];
  for (int v = 0; v < V; ++v) {
    acc[0][v] = _mm512_loadu_ps(b + first_row + 16 * v);
    for (int s = 1; s < S; ++s) acc[s][v] = _mm512_setzero_ps();
  }
  int u = 0;
  for (; u + S <= count; u += S) {
    for (int s = 0; s < S; ++s) {
      const Eigen::Index j = col(u + s);
      const __m512 xj = _mm512_set1_ps(x[j]);
      const float* column = w + j * rows + first_row;
      for (int v = 0; v < V; ++v) {
        acc[s][v] = _mm512_fmadd_ps(_mm512_loadu_ps(column + 16 * v), xj, acc[s][v]);
      }
    }
  }
  for (int s = 0; u < count; ++u, ++s) {
    const Eigen::Index j = col(u);
    const __m512 xj = _mm512_set1_ps(x[j]);
    const float* column = w + j * rows + first_row;
    for (int v = 0; v < V; ++v) {
      acc[s][v] = _mm512_fmadd_ps(_mm512_loadu_ps(column + 16 * v), xj, acc[s][v]);
    }
  }
  for (int v = 0; v < V; ++v) {
    for (int s = 1; s < S; ++s) acc[0][v] = _mm512_add_ps(acc[0][v], acc[s][v]);
    _mm512_storeu_ps(y + first_row + 16 * v, acc[0][v]);
  }
}

/// Calls f(std::integral_constant<int, V>) for V = vectors in 1..7, so that
/// a layer's last band of rows (fewer than 128) runs a kernel compiled for
/// its width; nothing for 0.
template <class F>
inline void with_vector_count(Eigen::Index vectors, F&& f) {
  switch (vectors) {
    case 1:
      return f(std::integral_constant<int, 1>{});
    case 2:
      return f(std::integral_constant<int, 2>{});
    case 3:
      return f(std::integral_constant<int, 3>{});
    case 4:
      return f(std::integral_constant<int, 4>{});
    case 5:
      return f(std::integral_constant<int, 5>{});
    case 6:
      return f(std::integral_constant<int, 6>{});
    case 7:
      return f(std::integral_constant<int, 7>{});
    default:
      return;
  }
}

/// All rows that fill whole 16-float vectors: 128-row bands, then the rest
/// (1..7 vectors) in one pass with enough partial sums for 8 chains.
/// Returns the first row not written.
template <class Columns>
inline Eigen::Index dense_row_bands(const float* w, Eigen::Index rows, Columns col, int count,
                                    const float* x, const float* b, float* y) {
  Eigen::Index i = 0;
  for (; i + 128 <= rows; i += 128) dense_rows<8, 1>(w, rows, col, count, x, b, y, i);
  with_vector_count((rows - i) / 16, [&](auto vectors) {
    constexpr int V = decltype(vectors)::value;
    dense_rows<V, (8 + V - 1) / V>(w, rows, col, count, x, b, y, i);
  });
  return i + (rows - i) / 16 * 16;
}

/// dense_rows over weights stored as bfloat16 pairs (packed_bf16_weights in
/// mlp.cpp): element p * rows + i holds row i's weights of columns 2p (low
/// 16 bits) and 2p + 1 (high 16 bits). A bfloat16 is the top half of a
/// float, so the two weights become exact floats with one shift and one
/// mask, and the FMAs run in float32 on float32 inputs: only the weights
/// were rounded. Half the bytes of float32 weights come from L2. Even and
/// odd columns sum into separate chains (lo, hi), S pairs of chains per 16
/// rows.
template <int V, int S>
inline void dense_rows_bf16(const std::uint32_t* __restrict w, Eigen::Index rows, Eigen::Index cols,
                            const float* __restrict x, const float* __restrict b,
                            float* __restrict y, Eigen::Index first_row) {
  static_assert(V >= 1 && S >= 1 && 2 * V * S <= 24);
  const __m512i high_half = _mm512_set1_epi32(static_cast<int>(0xFFFF0000u));
  __m512 lo[S][V], hi[S][V];
  for (int v = 0; v < V; ++v) {
    lo[0][v] = _mm512_loadu_ps(b + first_row + 16 * v);
    hi[0][v] = _mm512_setzero_ps();
    for (int s = 1; s < S; ++s) lo[s][v] = hi[s][v] = _mm512_setzero_ps();
  }
  const Eigen::Index pairs = cols / 2;  // whole pairs; an odd last column below
  const auto step = [&](Eigen::Index p, int s) {
    const __m512 x_lo = _mm512_set1_ps(x[2 * p]);
    const __m512 x_hi = _mm512_set1_ps(x[2 * p + 1]);
    const std::uint32_t* slice = w + p * rows + first_row;
    for (int v = 0; v < V; ++v) {
      const __m512i raw = _mm512_loadu_si512(slice + 16 * v);
      lo[s][v] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(raw, 16)), x_lo, lo[s][v]);
      hi[s][v] =
          _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(raw, high_half)), x_hi, hi[s][v]);
    }
  };
  Eigen::Index p = 0;
  for (; p + S <= pairs; p += S) {
    for (int s = 0; s < S; ++s) step(p + s, s);
  }
  for (int s = 0; p < pairs; ++p, ++s) step(p, s);
  if (cols % 2 == 1) {  // the last column's pair has only its low half
    const __m512 x_lo = _mm512_set1_ps(x[cols - 1]);
    const std::uint32_t* slice = w + pairs * rows + first_row;
    for (int v = 0; v < V; ++v) {
      const __m512i raw = _mm512_loadu_si512(slice + 16 * v);
      lo[0][v] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(raw, 16)), x_lo, lo[0][v]);
    }
  }
  for (int v = 0; v < V; ++v) {
    __m512 sum = _mm512_add_ps(lo[0][v], hi[0][v]);
    for (int s = 1; s < S; ++s) sum = _mm512_add_ps(sum, _mm512_add_ps(lo[s][v], hi[s][v]));
    _mm512_storeu_ps(y + first_row + 16 * v, sum);
  }
}

/// y = W x + b for one x from bfloat16 pairs (dense_rows_bf16); the rows
/// past the last whole 16 (e.g. an output neuron) from `w`, the same
/// weights as floats.
inline void dense_forward_bf16(const std::uint32_t* packed, const float* w, Eigen::Index rows,
                               Eigen::Index cols, const float* b, const float* x, float* y) {
  Eigen::Index i = 0;
  for (; i + 128 <= rows; i += 128) dense_rows_bf16<8, 1>(packed, rows, cols, x, b, y, i);
  with_vector_count((rows - i) / 16, [&](auto vectors) {  // 2 chains per vector and pair
    constexpr int V = decltype(vectors)::value;
    dense_rows_bf16<V, (4 + V - 1) / V>(packed, rows, cols, x, b, y, i);
  });
  i += (rows - i) / 16 * 16;
  if (i < rows) {
    const Eigen::Index rest = rows - i;
    const Eigen::Map<const Eigen::MatrixXf> weights(w, rows, cols);
    Eigen::Map<Eigen::VectorXf> out(y + i, rest);
    out.noalias() = weights.bottomRows(rest) * Eigen::Map<const Eigen::VectorXf>(x, cols);
    out += Eigen::Map<const Eigen::VectorXf>(b + i, rest);
  }
}
#endif

/// y = W x + b for one x. With `sparse_input` the columns whose input is
/// zero are left out: they add nothing (the weights are finite), so no bit
/// of the sums changes, which run over the others in order. Most raw
/// features of a query are zero (one-hots, the compiler's fields at their
/// defaults, paddings, logs of 1): the first layer, the largest, then reads
/// about half of its columns. Hidden activations are rarely zero, and there
/// the plain loop is faster than going through a list of columns.
inline void dense_forward(const float* w, Eigen::Index rows, Eigen::Index cols, const float* b,
                          const float* x, float* y, bool sparse_input) {
  const Eigen::Map<const Eigen::MatrixXf> weights(w, rows, cols);
  const Eigen::Map<const Eigen::VectorXf> bias(b, rows);
#if defined(__AVX512F__)
  Eigen::Index i = 0;
  if (sparse_input) {
    alignas(64) int used[1024 + 16];
    const int n = nonzero_indices(x, cols, used);
    i = dense_row_bands(w, rows, ListedColumns{used}, n, x, b, y);
  } else {
    i = dense_row_bands(w, rows, AllColumns{}, static_cast<int>(cols), x, b, y);
  }
  if (i < rows) {  // the last few rows (e.g. the single output neuron): a dot
    // product, which Eigen vectorises along k instead of a 48-long FMA chain
    const Eigen::Index rest = rows - i;
    Eigen::Map<Eigen::VectorXf> out(y + i, rest);
    out.noalias() = weights.bottomRows(rest) * Eigen::Map<const Eigen::VectorXf>(x, cols);
    out += bias.tail(rest);
  }
#else
  (void)sparse_input;
  Eigen::Map<Eigen::VectorXf> out(y, rows);
  out.noalias() = weights * Eigen::Map<const Eigen::VectorXf>(x, cols);
  out += bias;
#endif
}

}  // namespace vpucost::VPUCOST_ISA_NAMESPACE
