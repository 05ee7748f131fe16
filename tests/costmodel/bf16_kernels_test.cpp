// The bfloat16 kernels (cpu_kernels.hpp): rounding on every path, and the
// batch of bfloat16 dot products where this CPU has them -- bit for bit the
// sums the instruction is specified to make -- and a bf16 MLP's batch
// agreeing with its single queries.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <vector>

#include "cpu_paths_support.hpp"
#include "vpucost/cpu_kernels.hpp"
#include "vpucost/mlp.hpp"

namespace vpucost {
namespace {

// Round to nearest, ties to even (the hardware's rule).
std::uint16_t bf16_bits(float f) {
  const auto bits = std::bit_cast<std::uint32_t>(f);
  return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}
float bf16_value(std::uint16_t h) {
  return std::bit_cast<float>(std::uint32_t{h} << 16);
}

std::vector<float> normal_values(std::size_t n, unsigned seed, float sd = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, sd);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

// The widest path's kernels when they have the dot products, else null.
const MathKernels* bf16_dot_kernels() {
  for (CpuPath p : test::runnable_paths()) {
    if (math_kernels(p).dense_batch_bf16) return &math_kernels(p);
  }
  return nullptr;
}

TEST(Bf16Kernels, RoundingIsToNearestTiesToEvenOnEveryPath) {
  std::vector<float> v = normal_values(1000, 1, 100.0f);
  // Ties in both directions and values that carry into the exponent.
  for (std::uint32_t bits : {0x3F808000u, 0x3F818000u, 0xBF808000u, 0x3FFFFFFFu, 0x7F7FFFFFu - 1u,
                             0x00000000u, 0x80000000u}) {
    v.push_back(std::bit_cast<float>(bits));
  }
  for (CpuPath p : test::runnable_paths()) {
    std::vector<float> got = v;
    // As a 3-row block with a column distance of 4: the 4th row stays.
    const Index cols = static_cast<Index>(got.size() / 4);
    math_kernels(p).round_to_bf16(got.data(), 3, cols, 4);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const bool rounded = i % 4 != 3 && Index(i / 4) < cols;
      const float want = rounded ? bf16_value(bf16_bits(v[i])) : v[i];
      ASSERT_EQ(std::bit_cast<std::uint32_t>(got[i]), std::bit_cast<std::uint32_t>(want))
          << to_string(p) << " value " << i;
    }
  }
}

TEST(Bf16Kernels, PackingPairsRoundsAndPairsEveryColumn) {
  const MathKernels* k = bf16_dot_kernels();
  if (!k) GTEST_SKIP() << "this CPU has no bfloat16 dot products";
  for (Index depth = 1; depth <= 70; ++depth) {
    const Index columns = 3, ldx = depth + 5, pairs = (depth + 1) / 2, ld_out = pairs + 2;
    const std::vector<float> x = normal_values(std::size_t(ldx * columns), unsigned(depth));
    std::vector<std::uint32_t> out(std::size_t(ld_out * columns), 0xDEADBEEFu);
    k->pack_bf16_pairs(x.data(), depth, ldx, columns, out.data(), ld_out);
    for (Index c = 0; c < columns; ++c) {
      for (Index p = 0; p < ld_out; ++p) {
        const std::uint32_t got = out[std::size_t(c * ld_out + p)];
        if (p >= pairs) {  // past the pairs: untouched
          EXPECT_EQ(got, 0xDEADBEEFu) << "depth " << depth << " column " << c << " word " << p;
          continue;
        }
        const std::uint32_t lo = bf16_bits(x[std::size_t(c * ldx + 2 * p)]);
        const std::uint32_t hi =
            2 * p + 1 < depth ? bf16_bits(x[std::size_t(c * ldx + 2 * p + 1)]) : 0u;
        EXPECT_EQ(got, lo | (hi << 16)) << "depth " << depth << " column " << c << " pair " << p;
      }
    }
  }
}

// VDPBF16PS as specified: per pair, the sum plus the odd product, then plus
// the even one, each rounded to float (the products are exact).
float dot_as_specified(const std::vector<std::uint32_t>& w, Index rows, Index row,
                       const std::uint32_t* x, Index pairs, float bias) {
  float acc = bias;
  for (Index p = 0; p < pairs; ++p) {
    const std::uint32_t wp = w[std::size_t(p * rows + row)], xp = x[p];
    acc += bf16_value(std::uint16_t(wp >> 16)) * bf16_value(std::uint16_t(xp >> 16));
    acc += bf16_value(std::uint16_t(wp)) * bf16_value(std::uint16_t(xp));
  }
  return acc;
}

TEST(Bf16Kernels, DotProductBatchesMakeTheSpecifiedSumsBitForBit) {
  const MathKernels* k = bf16_dot_kernels();
  if (!k) GTEST_SKIP() << "this CPU has no bfloat16 dot products";
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  const auto word = [&] {
    return std::uint32_t(bf16_bits(normal(rng))) | (std::uint32_t(bf16_bits(normal(rng))) << 16);
  };
  for (Index rows : {1, 5, 16, 37, 48, 64, 100, 128, 131}) {
    for (Index pairs : {1, 3, 28, 64}) {
      for (Index columns : {1, 4, 5, 6, 8, 13, 27}) {
        std::vector<std::uint32_t> w(std::size_t(rows * pairs)), x(std::size_t(pairs * columns));
        for (auto& v : w) v = word();
        for (auto& v : x) v = word();
        std::vector<float> b(static_cast<std::size_t>(rows));
        for (float& v : b) v = normal(rng);
        const Index ldy = rows + 3;
        std::vector<float> y(std::size_t(ldy * columns), -7.0f);
        k->dense_batch_bf16(w.data(), rows, pairs, b.data(), x.data(), pairs, y.data(), ldy,
                            columns);
        for (Index c = 0; c < columns; ++c) {
          for (Index r = 0; r < ldy; ++r) {
            const float got = y[std::size_t(c * ldy + r)];
            const float want = r < rows ? dot_as_specified(w, rows, r, x.data() + c * pairs, pairs,
                                                           b[std::size_t(r)])
                                        : -7.0f;  // past the rows: untouched
            ASSERT_EQ(got, want) << rows << " rows, " << pairs << " pairs, " << columns
                                 << " columns: row " << r << " column " << c;
          }
        }
      }
    }
  }
}

// One query by dot products: pair p into partial sum p % S (S = 2 for
// 128-row bands, ceil(12 / V) for a last band of V vectors), partial sums
// added in order; rows past the last whole 16 as a float dot product.
TEST(Bf16Kernels, SingleQueryDotProductsMakeTheSpecifiedSums) {
  const MathKernels* k = bf16_dot_kernels();
  if (!k) GTEST_SKIP() << "this CPU has no bfloat16 dot products";
  ASSERT_NE(k->dense_single_bf16_dot, nullptr);
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  for (Index rows : {16, 48, 100, 128, 131, 256}) {
    for (Index cols : {1, 7, 48, 128}) {
      const Index pairs = (cols + 1) / 2;
      std::vector<float> w(static_cast<std::size_t>(rows * cols));
      std::vector<float> x(static_cast<std::size_t>(cols)), b(static_cast<std::size_t>(rows));
      for (float& v : w) v = bf16_value(bf16_bits(normal(rng)));
      for (float& v : x) v = bf16_value(bf16_bits(normal(rng)));
      for (float& v : b) v = normal(rng);
      std::vector<std::uint32_t> packed(static_cast<std::size_t>(pairs * rows));
      for (Index p = 0; p < pairs; ++p) {
        for (Index i = 0; i < rows; ++i) {
          const std::uint32_t lo = bf16_bits(w[std::size_t(2 * p * rows + i)]);
          const std::uint32_t hi =
              2 * p + 1 < cols ? bf16_bits(w[std::size_t((2 * p + 1) * rows + i)]) : 0u;
          packed[std::size_t(p * rows + i)] = lo | (hi << 16);
        }
      }
      std::vector<std::uint32_t> x_pairs(static_cast<std::size_t>(pairs));
      for (Index p = 0; p < pairs; ++p) {
        const std::uint32_t hi = 2 * p + 1 < cols ? bf16_bits(x[std::size_t(2 * p + 1)]) : 0u;
        x_pairs[std::size_t(p)] = bf16_bits(x[std::size_t(2 * p)]) | (hi << 16);
      }
      std::vector<float> y(static_cast<std::size_t>(rows));
      k->dense_single_bf16_dot(packed.data(), w.data(), rows, cols, b.data(), x.data(), y.data());
      const Index banded = rows / 128 * 128, vectors = rows / 16 * 16;
      for (Index i = 0; i < rows; ++i) {
        if (i >= vectors) {  // a float dot product (the compiler may fuse its steps)
          double want = b[std::size_t(i)];
          for (Index c = 0; c < cols; ++c) want += double(w[std::size_t(c * rows + i)]) * x[c];
          EXPECT_NEAR(y[std::size_t(i)], want, 1e-5 * (1.0 + std::abs(want)))
              << rows << " row " << i;
          continue;
        }
        const int chains =
            i < banded ? 2 : int((12 + (rows - banded) / 16 - 1) / ((rows - banded) / 16));
        std::vector<float> acc(std::size_t(chains), 0.0f);
        acc[0] = b[std::size_t(i)];
        for (Index p = 0; p < pairs; ++p) {
          float& a = acc[std::size_t(p % chains)];
          const std::uint32_t wp = packed[std::size_t(p * rows + i)], xp = x_pairs[std::size_t(p)];
          a += bf16_value(std::uint16_t(wp >> 16)) * bf16_value(std::uint16_t(xp >> 16));
          a += bf16_value(std::uint16_t(wp)) * bf16_value(std::uint16_t(xp));
        }
        float want = acc[0];
        for (int s = 1; s < chains; ++s) want += acc[std::size_t(s)];
        ASSERT_EQ(y[std::size_t(i)], want) << rows << " rows, " << cols << " cols: row " << i;
      }
    }
  }
}

// A bf16 MLP rounds the inputs of its hidden layers; a batch (by dot
// products where the CPU has them) and single queries then agree to the
// flip of a rounding (an activation that lands on the other side of a
// bfloat16 midpoint in another summation order), not to float rounding.
TEST(Bf16Kernels, ABf16MlpsBatchAgreesWithItsSingleQueriesOnEveryPath) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  std::vector<DenseLayer> layers;
  Eigen::Index in = 56;
  for (Eigen::Index out : {128, 131, 45, 1}) {
    DenseLayer l{Eigen::MatrixXf(out, in), Eigen::VectorXf(out)};
    for (Eigen::Index i = 0; i < l.weights.size(); ++i) l.weights.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < l.bias.size(); ++i) l.bias[i] = normal(rng);
    layers.push_back(std::move(l));
    in = out;
  }
  constexpr Eigen::Index kColumns = 300;
  Eigen::MatrixXf x(56, kColumns);
  const auto values = normal_values(std::size_t(x.size()), 9);
  std::copy(values.begin(), values.end(), x.data());
  for (CpuPath p : test::runnable_paths()) {
    const Mlp mlp(layers, Activation::SiLU, p, WeightPrecision::Bf16);
    Eigen::VectorXf batch(kColumns), again(kColumns);
    MlpWorkspace ws;
    mlp.forward_batch(x, batch, ws);
    mlp.forward_batch(x, again, ws);
    EXPECT_EQ(batch, again) << to_string(p) << ": not deterministic";
    double worst = 0;
    for (Eigen::Index c = 0; c < kColumns; ++c) {
      const float single = mlp.forward({x.col(c).data(), 56});
      worst = std::max(
          worst, double(std::abs(batch[c] - single)) / std::max(1.0, double(std::abs(single))));
    }
    EXPECT_LE(worst, 2.5e-3) << to_string(p);
    std::printf("%s: worst batch-single difference %.3g\n", std::string(to_string(p)).c_str(),
                worst);
  }
}

}  // namespace
}  // namespace vpucost
