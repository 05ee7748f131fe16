// A model's weight precision (WeightPrecision, mlp.hpp): bfloat16 hidden
// weights move a shipped model's predictions by little and agree on every
// path; a network bfloat16 cannot hold, or an unknown precision, is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../support/random_workloads.hpp"
#include "cpu_paths_support.hpp"
#include "vpucost/cpu_kernels.hpp"
#include "vpucost/error.hpp"
#include "vpucost/mlp.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::random_values;
using test::runnable_paths;

// Rounding the hidden weights to bfloat16 moves a prediction by a little, and
// by more than float rounding (so the test would see a precision ignored).
TEST(WeightPrecision, Bf16WeightsMoveAShippedModelsPredictionsByLittle) {
  const ModelParts parts = load_model(std::string(VPUCOST_MODELS) + "/vpu_4_0.h5").parts();
  test::WorkloadSampler sampler(parts.device, 12);
  const CostModel fp32(parts, std::nullopt, WeightPrecision::Fp32);
  const CostModel bf16(parts, std::nullopt, WeightPrecision::Bf16);
  double worst = 0, sum = 0;
  constexpr int kQueries = 2000;
  for (int i = 0; i < kQueries; ++i) {
    const Workload w = sampler.next();
    const double change = std::abs(bf16.predict_cycles(w) / fp32.predict_cycles(w) - 1.0);
    worst = std::max(worst, change);
    sum += change;
  }
  EXPECT_GT(worst, 1e-5);
  EXPECT_LT(sum / kQueries, 2e-3);  // measured 2026-12-05: mean 6.5e-4, worst 3.7e-3
  EXPECT_LT(worst, 3e-2);
  std::printf("bf16 against fp32: mean %.3g, worst %.3g\n", sum / kQueries, worst);
}

// Widths that are not whole vectors or even (the packed pairs' odd column):
// the packed kernel against the generic path's floats.
TEST(WeightPrecision, Bf16WeightsOfRaggedLayersAgreeOnEveryPath) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  std::vector<DenseLayer> layers;
  Eigen::Index in = 56;
  for (Eigen::Index out : {37, 131, 45, 19, 1}) {
    DenseLayer l{Eigen::MatrixXf(out, in), Eigen::VectorXf(out)};
    for (Eigen::Index i = 0; i < l.weights.size(); ++i) l.weights.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < l.bias.size(); ++i) l.bias[i] = normal(rng);
    layers.push_back(std::move(l));
    in = out;
  }
  const Mlp generic(layers, Activation::SiLU, CpuPath::Generic, WeightPrecision::Bf16);
  const auto x = random_values(56, 6, 0.5);
  const float want = generic.forward(x);
  for (CpuPath p : runnable_paths()) {
    const Mlp mlp(layers, Activation::SiLU, p, WeightPrecision::Bf16);
    EXPECT_NEAR(mlp.forward(x), want, 1e-5 * std::max(1.0f, std::abs(want))) << to_string(p);
  }
  const Mlp fp32(layers, Activation::SiLU, CpuPath::Generic, WeightPrecision::Fp32);
  EXPECT_NE(fp32.forward(x), want) << "the weights were not rounded";
}

// A network bfloat16 cannot hold (a hidden weight past its largest finite
// value, which float32 can still hold) is refused in one line at bf16, and
// runs at fp32.
TEST(WeightPrecision, ANetworkBeyondBf16RangeIsRefusedAtBf16) {
  std::vector<DenseLayer> layers;
  Eigen::Index in = 8;
  for (Eigen::Index out : {16, 16, 1}) {
    layers.push_back({Eigen::MatrixXf::Constant(out, in, 0.01f), Eigen::VectorXf::Zero(out)});
    in = out;
  }
  layers[1].weights(3, 4) = std::numeric_limits<float>::max();
  EXPECT_NO_THROW(Mlp(layers, Activation::ReLU, std::nullopt, WeightPrecision::Fp32));
  try {
    Mlp(layers, Activation::ReLU, std::nullopt, WeightPrecision::Bf16);
    FAIL() << "rounded FLT_MAX to bfloat16";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "layer 1 has weights beyond bfloat16's range");
  }
}

TEST(WeightPrecision, AWeightPrecisionIsNamedOrRefused) {
  EXPECT_EQ(parse_weight_precision("fp32"), WeightPrecision::Fp32);
  EXPECT_EQ(parse_weight_precision("bf16"), WeightPrecision::Bf16);
  try {
    parse_weight_precision("int4");
    FAIL() << "accepted int4";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unknown weight precision 'int4' (expected fp32 or bf16)");
  }
}

}  // namespace
}  // namespace vpucost
