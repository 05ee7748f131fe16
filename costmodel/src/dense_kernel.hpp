#pragma once
// y = W x + b for one column-major dense layer: the hot loop of a single
// query. With AVX-512 the output rows are kept in up to eight 16-float
// registers while the columns stream through, which is what makes a 30k
// parameter network run near the FMA throughput limit; elsewhere Eigen's
// GEMV does the work.
#include <Eigen/Core>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace vpucost::detail {

#if defined(__AVX512F__)
template <int kVectors>
inline void dense_rows(const float* __restrict w, Eigen::Index rows, Eigen::Index cols,
                       const float* __restrict x, const float* __restrict b, float* __restrict y,
                       Eigen::Index first_row) {
  __m512 acc[kVectors];
  for (int v = 0; v < kVectors; ++v) acc[v] = _mm512_loadu_ps(b + first_row + 16 * v);
  for (Eigen::Index j = 0; j < cols; ++j) {
    const __m512 xj = _mm512_set1_ps(x[j]);
    const float* column = w + j * rows + first_row;
    for (int v = 0; v < kVectors; ++v) {
      acc[v] = _mm512_fmadd_ps(_mm512_loadu_ps(column + 16 * v), xj, acc[v]);
    }
  }
  for (int v = 0; v < kVectors; ++v) _mm512_storeu_ps(y + first_row + 16 * v, acc[v]);
}
#endif

inline void dense_forward(const Eigen::MatrixXf& weights, const Eigen::VectorXf& bias,
                          const float* x, float* y) {
  const Eigen::Index rows = weights.rows();
  const Eigen::Index cols = weights.cols();
#if defined(__AVX512F__)
  const float* w = weights.data();
  const float* b = bias.data();
  Eigen::Index i = 0;
  for (; i + 128 <= rows; i += 128) dense_rows<8>(w, rows, cols, x, b, y, i);
  for (; i + 64 <= rows; i += 64) dense_rows<4>(w, rows, cols, x, b, y, i);
  for (; i + 16 <= rows; i += 16) dense_rows<1>(w, rows, cols, x, b, y, i);
  if (i < rows) {  // the last few rows (e.g. the single output neuron)
    const Eigen::Index rest = rows - i;
    Eigen::Map<Eigen::VectorXf> out(y + i, rest);
    out.noalias() = weights.bottomRows(rest) * Eigen::Map<const Eigen::VectorXf>(x, cols);
    out += bias.tail(rest);
  }
#else
  Eigen::Map<Eigen::VectorXf> out(y, rows);
  out.noalias() = weights * Eigen::Map<const Eigen::VectorXf>(x, cols);
  out += bias;
#endif
}

}  // namespace vpucost::detail
