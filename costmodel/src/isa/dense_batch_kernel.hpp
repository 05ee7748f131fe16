#pragma once
// y = W x + b for a batch of columns (dense_forward_batch): the cost model's
// batched queries.
//
// Eigen's general GEMM reaches about 45% of this machine's FMA throughput on
// these small layers (K = 42..128, M = 48..128) because it packs both
// operands on every call. With AVX-512 we use the classic register-tile
// kernel instead: 64 output rows x 5 columns live in 20 registers while k
// runs, each step loading one slice of a W column (contiguous, W being
// column-major) and broadcasting one x value per column. The tile shapes
// (4x5, 3x7, 2x8, 1x8 vectors x columns) are chosen so that accumulators + W
// slices + broadcasts fit the 32 vector registers: at 4x6 GCC runs out and
// re-reads W from memory in every FMA, which made the kernel load-bound at
// ~50% of peak instead of ~85%. The bfloat16 tiles (dense_bf16_kernel.hpp)
// share the shapes (for_each_tile) and the accumulator macros.
//
// Included through dense_kernel.hpp by isa/math_kernels.cpp only, which is
// compiled once per CPU path with `Eigen` renamed (cpu_kernels.hpp).
#include <Eigen/Core>
#include <cstdint>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#ifndef VPUCOST_ISA_NAMESPACE
#error "dense_batch_kernel.hpp belongs to isa/math_kernels.cpp (one copy per CPU path)"
#endif
namespace vpucost::VPUCOST_ISA_NAMESPACE {

#if defined(__AVX512F__)
// The accumulators of a tile are named variables, not an array: GCC keeps an
// array of 20+ vectors on the stack and reloads it every step (2x slower).
// Accumulator a<r><c> holds rows 16 r.. of column c; unused ones vanish.
// (dense_bf16_kernel.hpp's tiles are named the same way.)
#define VPUCOST_ROWS_OF(X, c) X(0, c) X(1, c) X(2, c) X(3, c)
// (clang-format does not settle on one layout for this macro)
// clang-format off
#define VPUCOST_ALL(X)                                                     \
  VPUCOST_ROWS_OF(X, 0) VPUCOST_ROWS_OF(X, 1) VPUCOST_ROWS_OF(X, 2)        \
  VPUCOST_ROWS_OF(X, 3) VPUCOST_ROWS_OF(X, 4) VPUCOST_ROWS_OF(X, 5)        \
  VPUCOST_ROWS_OF(X, 6) VPUCOST_ROWS_OF(X, 7)
// clang-format on
#define VPUCOST_INIT(r, c) __m512 a##r##c = bias##r;
#define VPUCOST_FMA(r, c) \
  if constexpr (R > r && C > c) a##r##c = _mm512_fmadd_ps(w##r, x##c, a##r##c);
#define VPUCOST_STORE(r, c)     \
  if constexpr (R > r && C > c) \
    _mm512_mask_storeu_ps(y + c * y_stride + first_row + 16 * r, mask_of(r), a##r##c);

// Which columns of W (inputs) a loop visits: all of them, or the listed ones
// (those whose input is non-zero -- in every column of a batch).
struct AllColumns {
  Eigen::Index operator()(int u) const { return u; }
};
struct ListedColumns {
  const int* used;
  Eigen::Index operator()(int u) const { return used[u]; }
};

/// Rows [first_row, first_row + 16 R) (the last vector masked by last_mask) of
/// C columns: y(:, c) = b + W x(:, c) over the inputs col(0) .. col(count - 1),
/// in that order. R <= 4, C <= 8.
template <int R, int C, class Columns>
inline void dense_tile(const float* __restrict w, Eigen::Index w_rows, Columns col, int count,
                       const float* __restrict x, Eigen::Index x_stride, const float* __restrict b,
                       float* __restrict y, Eigen::Index y_stride, Eigen::Index first_row,
                       __mmask16 last_mask) {
  static_assert(R >= 1 && R <= 4 && C >= 1 && C <= 8);
  const auto mask_of = [&](int r) { return r == R - 1 ? last_mask : __mmask16(0xFFFF); };
  const auto load = [&](const float* p, int r) {
    return R > r ? _mm512_maskz_loadu_ps(mask_of(r), p + 16 * r) : _mm512_setzero_ps();
  };
  const __m512 bias0 = load(b + first_row, 0), bias1 = load(b + first_row, 1);
  const __m512 bias2 = load(b + first_row, 2), bias3 = load(b + first_row, 3);
  VPUCOST_ALL(VPUCOST_INIT)
  for (int u = 0; u < count; ++u) {
    const Eigen::Index k = col(u);
    const float* wk = w + k * w_rows + first_row;
    const __m512 w0 = load(wk, 0), w1 = load(wk, 1), w2 = load(wk, 2), w3 = load(wk, 3);
    const auto x_at = [&](int c) { return _mm512_set1_ps(C > c ? x[c * x_stride + k] : 0.0f); };
    const __m512 x0 = x_at(0), x1 = x_at(1), x2 = x_at(2), x3 = x_at(3);
    const __m512 x4 = x_at(4), x5 = x_at(5), x6 = x_at(6), x7 = x_at(7);
    VPUCOST_ALL(VPUCOST_FMA)
  }
  VPUCOST_ALL(VPUCOST_STORE)
}
#undef VPUCOST_STORE
#undef VPUCOST_FMA
#undef VPUCOST_INIT
// VPUCOST_ALL and VPUCOST_ROWS_OF stay for dense_bf16_kernel.hpp's tiles,
// which undefines them.

/// Calls tile.template operator()<R, N>(...) for the N = n given at run time,
/// 1 <= n < C.
template <int R, int C, class Tile>
inline void narrower_tile(int n, Tile& tile, Eigen::Index c, Eigen::Index first_row,
                          __mmask16 last_mask) {
  if constexpr (C > 1) {
    if (n == C - 1) return tile.template operator()<R, C - 1>(c, first_row, last_mask);
    narrower_tile<R, C - 1>(n, tile, c, first_row, last_mask);
  }
}

/// The register tiles of a rows x columns output, as the batch kernels run
/// them: bands of 64 rows in tiles of 4 vectors x 5 columns, the last band
/// (1-3 vectors, its last one masked) in tiles of 8, 8 or 7 columns, and one
/// narrower tile for the rest of each band. (The rest used to run column by
/// column: a one-column tile loads a W slice per multiply-add, so a layer's
/// batches of 10-40 columns spent a fifth of their time there.) The tile
/// width does not change any column's sum: each is b + W x accumulated over
/// the inputs in order. Calls
/// tile.template operator()<R, C>(first_column, first_row, last_mask).
template <class Tile>
inline void for_each_tile(Eigen::Index rows, Eigen::Index columns, Tile&& tile) {
  const auto band = [&]<int R, int C>(Eigen::Index first_row, __mmask16 last_mask) {
    Eigen::Index c = 0;
    for (; c + C <= columns; c += C) tile.template operator()<R, C>(c, first_row, last_mask);
    if (c < columns) {
      narrower_tile<R, C>(static_cast<int>(columns - c), tile, c, first_row, last_mask);
    }
  };
  Eigen::Index i = 0;
  for (; i + 64 <= rows; i += 64) band.template operator()<4, 5>(i, 0xFFFF);
  const Eigen::Index rest = rows - i;
  if (rest <= 0) return;
  const auto tail = static_cast<int>(rest % 16);
  const auto mask = static_cast<__mmask16>(tail == 0 ? 0xFFFF : (1u << tail) - 1u);
  switch ((rest + 15) / 16) {
    case 1:
      return band.template operator()<1, 8>(i, mask);
    case 2:
      return band.template operator()<2, 8>(i, mask);
    default:
      return band.template operator()<3, 7>(i, mask);
  }
}

/// Every tile of y = W x + b over the inputs col(0) .. col(count - 1).
template <class Columns>
inline void dense_bands(const float* w, Eigen::Index rows, Columns col, int count, const float* b,
                        const float* x, Eigen::Index x_stride, float* y, Eigen::Index y_stride,
                        Eigen::Index columns) {
  for_each_tile(rows, columns,
                [&]<int R, int C>(Eigen::Index c, Eigen::Index first_row, __mmask16 last_mask) {
                  dense_tile<R, C>(w, rows, col, count, x + c * x_stride, x_stride, b,
                                   y + c * y_stride, y_stride, first_row, last_mask);
                });
}

// The inputs (rows of x) non-zero in at least one of the columns, in order,
// into `out`; returns their count.
inline int inputs_used_by_any_column(const float* x, Eigen::Index k_size, Eigen::Index x_stride,
                                     Eigen::Index columns, int* out) {
  int count = 0;
  for (Eigen::Index j = 0; j < k_size; j += 16) {
    const Eigen::Index left = k_size - j;
    const auto in_range = static_cast<__mmask16>(left >= 16 ? 0xFFFF : (1u << left) - 1u);
    __mmask16 nonzero = 0;
    for (Eigen::Index c = 0; c < columns && nonzero != in_range; ++c) {
      const __m512 v = _mm512_maskz_loadu_ps(in_range, x + c * x_stride + j);
      nonzero |= _mm512_mask_cmp_ps_mask(in_range, v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
    }
    for (__mmask16 m = nonzero; m != 0; m &= static_cast<__mmask16>(m - 1)) {
      out[count++] = static_cast<int>(j) + __builtin_ctz(m);
    }
  }
  return count;
}
#endif

/// y = W x + b column by column; x and y are column-major with the given
/// distances between columns. With `sparse_input` the inputs that are zero
/// in every column are left out, as a single query does (exact: they add
/// nothing): most raw features of a batch drawn from one layer are.
inline void dense_forward_batch(const float* w, Eigen::Index rows, Eigen::Index k_size,
                                const float* b, const float* x, Eigen::Index x_stride, float* y,
                                Eigen::Index y_stride, Eigen::Index columns,
                                bool sparse_input = false) {
#if defined(__AVX512F__)
  if (sparse_input && k_size <= 1024) {
    int used[1024 + 16];
    const int n = inputs_used_by_any_column(x, k_size, x_stride, columns, used);
    if (n < k_size) {
      return dense_bands(w, rows, ListedColumns{used}, n, b, x, x_stride, y, y_stride, columns);
    }
  }
  dense_bands(w, rows, AllColumns{}, static_cast<int>(k_size), b, x, x_stride, y, y_stride,
              columns);
#else
  (void)sparse_input;
  using Stride = Eigen::OuterStride<>;
  const Eigen::Map<const Eigen::MatrixXf> weights(w, rows, k_size);
  const Eigen::Map<const Eigen::VectorXf> bias(b, rows);
  Eigen::Map<const Eigen::MatrixXf, 0, Stride> in(x, k_size, columns, Stride(x_stride));
  Eigen::Map<Eigen::MatrixXf, 0, Stride> out(y, rows, columns, Stride(y_stride));
  out.noalias() = weights * in;
  out.colwise() += bias;
#endif
}

}  // namespace vpucost::VPUCOST_ISA_NAMESPACE
