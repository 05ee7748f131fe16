// The flat latency table against costmodel's LatencyTable, and MAC /
// parameter counts against costmodel's parameter_count and published figures.
#include "vpucost/flat_latency.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "nas_test_support.hpp"
#include "vpucost/arch_complexity.hpp"
#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"

namespace vpucost::nas {
namespace {

TEST(FlatLatencyTable, GivesExactlyTheLatencyTablesNumbers) {
  const LatencyTable& table = test::proxyless_table();
  const FlatLatencyTable flat(table);
  const SearchSpace space = proxyless_space();
  ASSERT_EQ(flat.positions(), space.positions.size());
  EXPECT_EQ(flat.fixed_ms(), table.fixed_ms());
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200; ++i) {
    const Architecture a = test::random_architecture(space, rng);
    EXPECT_EQ(flat.latency_ms(a), table.latency_ms(a));  // bit for bit
  }
}

// Device mode's network terms (input fetch, output spill, first fetch) are
// added once to every architecture; they cannot be negative or NaN.
TEST(FlatLatencyTable, NetworkTermsAddToEveryArchitecture) {
  const LatencyTable& table = test::proxyless_table();
  const FlatLatencyTable plain(table);
  const FlatLatencyTable with_terms(table, 0.25);
  EXPECT_EQ(with_terms.fixed_ms(), table.fixed_ms() + 0.25);
  const SearchSpace space = proxyless_space();
  std::mt19937_64 rng(2);
  for (int i = 0; i < 50; ++i) {
    const Architecture a = test::random_architecture(space, rng);
    EXPECT_NEAR(with_terms.latency_ms(a), plain.latency_ms(a) + 0.25, 1e-12);
  }
  EXPECT_EQ(with_terms.fastest(), plain.fastest());
  EXPECT_THROW(FlatLatencyTable(table, -1e-3), Error);
  EXPECT_THROW(FlatLatencyTable(table, std::nan("")), Error);
}

TEST(FlatLatencyTable, FastestIsTheMinimumAtEveryPosition) {
  // Brute force over a small table.
  const FlatLatencyTable t(0.5, {{3.0, 1.0, 2.0}, {0.0, 4.0}, {2.0, 2.0, 1.5}});
  double best = 1e300, worst = 0.0;
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 2; ++b) {
      for (int c = 0; c < 3; ++c) {
        const double ms = t.latency_ms(Architecture{a, b, c});
        best = std::min(best, ms);
        worst = std::max(worst, ms);
      }
    }
  }
  EXPECT_EQ(t.fastest(), (Architecture{1, 0, 2}));
  EXPECT_DOUBLE_EQ(t.min_latency_ms(), best);
  EXPECT_DOUBLE_EQ(t.max_latency_ms(), worst);
  // On the proxyless space, the fastest takes the zero op wherever it can.
  const SearchSpace space = proxyless_space();
  const Architecture fastest = FlatLatencyTable(test::proxyless_table()).fastest();
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    if (space.positions[p].residual()) {
      EXPECT_TRUE(space.positions[p].candidates[std::size_t(fastest[p])].zero) << p;
    }
  }
}

TEST(FlatLatencyTable, RefusesBadNumbersAndChecksArchitectures) {
  EXPECT_THROW(FlatLatencyTable(0.0, {{1.0}, {}}), Error);
  EXPECT_THROW(FlatLatencyTable(0.0, {{-1.0}}), Error);
  EXPECT_THROW(FlatLatencyTable(0.0, {{NAN}}), Error);
  EXPECT_THROW(FlatLatencyTable(INFINITY, {{1.0}}), Error);
  const FlatLatencyTable t(0.0, {{1.0, 2.0}, {3.0}});
  EXPECT_THROW(t.checked_latency_ms(Architecture{0}), Error);
  EXPECT_THROW(t.checked_latency_ms(Architecture{2, 0}), Error);
  EXPECT_THROW(t.checked_latency_ms(Architecture{0, -1}), Error);
  EXPECT_EQ(t.checked_latency_ms(Architecture{1, 0}), 5.0);
}

TEST(Complexity, ParametersEqualCostmodelsParameterCount) {
  for (const SearchSpace& space : {proxyless_space(), mobilenetv2_space()}) {
    const ComplexityTable complexity(test::roofline_table(space));
    std::mt19937_64 rng(2);
    for (int i = 0; i < 50; ++i) {
      const Architecture a = test::random_architecture(space, rng);
      EXPECT_EQ(complexity.architecture(a).params,
                double(parameter_count(net_config_from_architecture(space, a))))
          << space.name;
    }
  }
}

TEST(Complexity, MobileNetV2HasItsPublishedSize) {
  const SearchSpace space = mobilenetv2_space();
  const ComplexityTable complexity(test::roofline_table(space));
  const Complexity c = complexity.architecture(Architecture(space.positions.size(), 0));
  EXPECT_EQ(c.params, 3504872.0);  // torchvision's count
  // The MobileNetV2 paper: 300M multiply-adds at 224.
  EXPECT_GT(c.macs, 295e6);
  EXPECT_LT(c.macs, 306e6);
}

TEST(Complexity, OneBlockByHand) {
  // 56x56, 24 -> 24, kernel 5, expand 3, stride 1, residual: 1x1 24->72,
  // depthwise 5x5 on 72, 1x1 72->24, add.
  const LatencyTable& table = test::proxyless_table();
  const SearchSpace space = proxyless_space();
  // Position 2 is the second block of stage 1 (56x56, 24 -> 24).
  const Position& pos = space.positions[2];
  ASSERT_EQ(pos.in_channels, 24);
  ASSERT_EQ(pos.out_channels, 24);
  std::size_t k5e3 = 0;
  while (!(pos.candidates[k5e3] == Candidate::mbconv(5, 3))) ++k5e3;
  const Complexity c = entry_complexity(table.blocks[2][k5e3]);
  const double px = 56.0 * 56.0;
  EXPECT_EQ(c.macs, px * 24 * 72 + px * 25 * 72 + px * 72 * 24);
  EXPECT_EQ(c.params, (24.0 * 72 + 2 * 72) + (25.0 * 72 + 2 * 72) + (72.0 * 24 + 2 * 24));
}

}  // namespace
}  // namespace vpucost::nas
