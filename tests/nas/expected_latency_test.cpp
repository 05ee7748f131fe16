// Expected latency, its gradient and the two ProxylessNAS latency losses,
// checked by hand on a small table and against central finite differences
// (double precision) on the proxyless space, whose positions include the
// zero op.
#include "vpucost/expected_latency.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "nas_test_support.hpp"
#include "vpucost/error.hpp"

namespace vpucost::nas {
namespace {

// fixed 1 ms; position 0: 2 ms, 3 ms, zero; position 1: 1 ms, 4 ms.
FlatLatencyTable small_table() {
  return FlatLatencyTable(1.0, {{2.0, 3.0, 0.0}, {1.0, 4.0}});
}

ArchParams random_alpha(const FlatLatencyTable& t, std::mt19937_64& rng, double spread = 1.0) {
  std::normal_distribution<double> normal(0.0, spread);
  ArchParams a(t.positions());
  for (std::size_t p = 0; p < a.size(); ++p) {
    for (std::size_t c = 0; c < t.candidates(p); ++c) a[p].push_back(normal(rng));
  }
  return a;
}

// Central difference of f at every alpha; step h.
template <class F>
std::vector<std::vector<double>> numeric_grad(ArchParams alpha, const F& f, double h = 1e-5) {
  std::vector<std::vector<double>> g(alpha.size());
  for (std::size_t p = 0; p < alpha.size(); ++p) {
    for (std::size_t j = 0; j < alpha[p].size(); ++j) {
      const double keep = alpha[p][j];
      alpha[p][j] = keep + h;
      const double up = f(alpha);
      alpha[p][j] = keep - h;
      const double down = f(alpha);
      alpha[p][j] = keep;
      g[p].push_back((up - down) / (2 * h));
    }
  }
  return g;
}

void expect_close(const std::vector<std::vector<double>>& analytic,
                  const std::vector<std::vector<double>>& numeric, double tolerance) {
  ASSERT_EQ(analytic.size(), numeric.size());
  double largest = 0.0;
  for (const auto& row : numeric) {
    for (const double v : row) largest = std::max(largest, std::abs(v));
  }
  for (std::size_t p = 0; p < analytic.size(); ++p) {
    ASSERT_EQ(analytic[p].size(), numeric[p].size());
    for (std::size_t j = 0; j < analytic[p].size(); ++j) {
      EXPECT_NEAR(analytic[p][j], numeric[p][j], tolerance * std::max(1.0, largest))
          << "position " << p << " candidate " << j;
    }
  }
}

TEST(Softmax, SumsToOneAndIsStableForLargeValues) {
  const std::vector<double> a{1000.0, 1001.0, 999.0};
  const auto p = softmax(a);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-15);
  EXPECT_NEAR(p[1] / p[0], std::exp(1.0), 1e-12);
  EXPECT_THROW(softmax(std::vector<double>{}), Error);
  EXPECT_THROW(softmax(std::vector<double>{0.0, NAN}), Error);
}

TEST(ExpectedLatency, EqualsTheProbabilityWeightedSumByHand) {
  const FlatLatencyTable t = small_table();
  const ArchParams alpha{{0.0, std::log(2.0), std::log(1.0)}, {std::log(3.0), 0.0}};
  // p0 = (1, 2, 1) / 4, p1 = (3, 1) / 4; the zero op contributes 0.
  const ExpectedLatency e = expected_latency(t, alpha);
  EXPECT_NEAR(e.ms, 1.0 + (2.0 * 1 + 3.0 * 2 + 0.0) / 4 + (1.0 * 3 + 4.0 * 1) / 4, 1e-14);
  EXPECT_NEAR(e.probabilities[0][2], 0.25, 1e-15);
  // dE/dalpha_j = p_j (L_j - mean): the zero op's gradient is -p * mean.
  const double mean0 = 2.0;
  EXPECT_NEAR(e.grad[0][2], 0.25 * (0.0 - mean0), 1e-14);
  EXPECT_NEAR(e.grad[0][0] + e.grad[0][1] + e.grad[0][2], 0.0, 1e-14);
}

TEST(ExpectedLatency, ConvergesToTheChosenArchitecture) {
  const FlatLatencyTable t(test::proxyless_table());
  ArchParams alpha(t.positions());
  Architecture arch(t.positions());
  for (std::size_t p = 0; p < t.positions(); ++p) {
    arch[p] = int(p % t.candidates(p));
    alpha[p].assign(t.candidates(p), 0.0);
    alpha[p][std::size_t(arch[p])] = 60.0;  // p ~ 1 - 1e-25
  }
  EXPECT_NEAR(expected_latency(t, alpha).ms, t.latency_ms(arch), 1e-12);
}

TEST(ExpectedLatency, GradientMatchesFiniteDifferencesWithZeroOps) {
  const FlatLatencyTable t(test::proxyless_table());
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 3; ++trial) {
    const ArchParams alpha = random_alpha(t, rng, 1.5);
    const ExpectedLatency e = expected_latency(t, alpha);
    const auto numeric =
        numeric_grad(alpha, [&](const ArchParams& a) { return expected_latency(t, a).ms; });
    expect_close(e.grad, numeric, 1e-8);
  }
}

TEST(ExpectedLatency, RefusesParametersOfAnotherShape) {
  const FlatLatencyTable t = small_table();
  EXPECT_THROW(expected_latency(t, {{0.0, 0.0, 0.0}}), Error);
  EXPECT_THROW(expected_latency(t, {{0.0, 0.0}, {0.0, 0.0}}), Error);
  try {
    expected_latency(t, {{0.0, 0.0, 0.0}, {0.0, INFINITY}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[1][1]"), std::string::npos) << e.what();
  }
}

TEST(LatencyLoss, AddLinearByHandAndItsGradient) {
  const FlatLatencyTable t = small_table();
  LatencyLossOptions o;
  o.kind = LatencyLossKind::AddLinear;
  o.target = 4.0;
  o.lambda = 0.3;
  const ArchParams alpha{{0.2, -0.1, 0.4}, {0.0, 0.5}};
  const double ce = 2.1;
  const auto r = latency_loss(ce, t, alpha, o);
  EXPECT_NEAR(r.loss.value, ce + 0.3 * (r.expected.ms - 4.0) / 4.0, 1e-14);
  EXPECT_DOUBLE_EQ(r.loss.d_ce, 1.0);
  const auto numeric = numeric_grad(
      alpha, [&](const ArchParams& a) { return latency_loss(ce, t, a, o).loss.value; });
  expect_close(r.grad, numeric, 1e-9);
}

TEST(LatencyLoss, BothLossesMatchFiniteDifferencesOnTheProxylessSpace) {
  const FlatLatencyTable t(test::proxyless_table());
  std::mt19937_64 rng(11);
  const ArchParams alpha = random_alpha(t, rng);
  const double ce = 1.7;
  for (const LatencyLossKind kind : {LatencyLossKind::AddLinear, LatencyLossKind::MulLog}) {
    LatencyLossOptions o;
    o.kind = kind;
    // Microseconds: mul#log needs E and T above 1 in its unit.
    const double scale = 1000.0;
    o.target = 0.8 * expected_latency(t, alpha).ms * scale;
    const auto r = latency_loss(ce, t, alpha, o, scale);
    const auto numeric = numeric_grad(
        alpha, [&](const ArchParams& a) { return latency_loss(ce, t, a, o, scale).loss.value; });
    SCOPED_TRACE(std::string(to_string(kind)));
    expect_close(r.grad, numeric, 1e-8);
    // d loss / d CE, numerically.
    const double h = 1e-6;
    const double d_ce = (latency_loss(ce + h, t, alpha, o, scale).loss.value -
                         latency_loss(ce - h, t, alpha, o, scale).loss.value) /
                        (2 * h);
    EXPECT_NEAR(r.loss.d_ce, d_ce, 1e-8);
  }
}

TEST(LatencyLoss, MulLogByHand) {
  LatencyLossOptions o;
  o.kind = LatencyLossKind::MulLog;
  o.target = 80.0;  // ProxylessNAS's mobile target, ms
  o.alpha = 1.0;
  o.beta = 0.6;
  const auto r = latency_loss(2.0, 100.0, o);
  EXPECT_NEAR(r.value, 2.0 * std::pow(std::log(100.0) / std::log(80.0), 0.6), 1e-14);
  const double h = 1e-6;
  EXPECT_NEAR(
      r.d_expected,
      (latency_loss(2.0, 100.0 + h, o).value - latency_loss(2.0, 100.0 - h, o).value) / (2 * h),
      1e-8);
  EXPECT_EQ(parse_latency_loss_kind("mul#log"), LatencyLossKind::MulLog);
  EXPECT_EQ(parse_latency_loss_kind("add#linear"), LatencyLossKind::AddLinear);
  EXPECT_THROW(parse_latency_loss_kind("add#log"), Error);
}

TEST(LatencyLoss, MulLogRefusesLatenciesAtOrBelowOne) {
  LatencyLossOptions o;
  o.kind = LatencyLossKind::MulLog;
  o.target = 0.9;  // ms of a VPU network: ln T < 0 would reward slower networks
  EXPECT_THROW(latency_loss(1.0, 2.0, o), Error);
  o.target = 2.0;
  EXPECT_THROW(latency_loss(1.0, 0.5, o), Error);
  o.target = 1.0;  // ln T = 0
  EXPECT_THROW(latency_loss(1.0, 2.0, o), Error);
  o.kind = LatencyLossKind::AddLinear;
  o.target = 0.0;
  EXPECT_THROW(latency_loss(1.0, 2.0, o), Error);
}

}  // namespace
}  // namespace vpucost::nas
