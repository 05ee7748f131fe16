#include "vpucost/cost_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using test::conv3x3;
using test::random_model;

// The documented prediction formula, computed without folding.
double reference_prediction(const ModelParts& p, const Workload& w) {
  const FeatureVector f = encode_features(w);
  Eigen::VectorXf x(kFeatureCount);
  for (std::size_t i = 0; i < kFeatureCount; ++i) {
    x[static_cast<Eigen::Index>(i)] = (f[i] - p.feature_mean[static_cast<Eigen::Index>(i)]) /
                                      p.feature_std[static_cast<Eigen::Index>(i)];
  }
  const float y = p.mlp.forward(std::span<const float>(x.data(), kFeatureCount));
  return std::exp(double(p.output_offset) + double(p.output_scale) * double(y));
}

TEST(CostModel, PredictionFollowsTheDocumentedFormula) {
  const ModelParts parts = random_model(Device::VPU_2_7);
  const CostModel model(parts);
  for (std::int64_t c : {16, 32, 48, 64, 256}) {
    const auto w = conv3x3(Device::VPU_2_7, c);
    EXPECT_NEAR(model.predict_cycles(w) / reference_prediction(parts, w), 1.0, 1e-4);
  }
}

TEST(CostModel, SixtyFiveChannelsCostWhatEightyCost) {
  const CostModel model(random_model(Device::VPU_2_7));
  EXPECT_DOUBLE_EQ(model.predict_cycles(conv3x3(Device::VPU_2_7, 65)),
                   model.predict_cycles(conv3x3(Device::VPU_2_7, 80)));
  EXPECT_NE(model.predict_cycles(conv3x3(Device::VPU_2_7, 65)),
            model.predict_cycles(conv3x3(Device::VPU_2_7, 64)));
}

TEST(CostModel, BatchEqualsSingle) {
  const CostModel model(random_model(Device::VPU_2_7, {32, 16}));
  std::vector<Workload> ws;
  for (int i = 0; i < 600; ++i) ws.push_back(conv3x3(Device::VPU_2_7, 16 + 16 * (i % 40)));
  std::vector<double> batch(ws.size());
  model.predict_cycles(ws, batch);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    EXPECT_NEAR(batch[i] / model.predict_cycles(ws[i]), 1.0, 1e-5) << i;
  }
}

TEST(CostModel, RejectsWorkloadsOfAnotherDeviceAndInvalidOnes) {
  const CostModel model(random_model(Device::VPU_2_7));
  try {
    model.predict_cycles(conv3x3(Device::VPU_4_0));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "this model is for VPU_2_7 but the workload is for VPU_4_0");
  }
  std::vector<Workload> ws{conv3x3(), conv3x3()};
  ws[1].output.width = 3;
  std::vector<double> out(2);
  try {
    model.predict_cycles(ws, out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("workload 1: output width 3", 0), 0u) << e.what();
  }
}

TEST(CostModel, PredictionsAreClampedFinitePositive) {
  ModelParts parts = random_model(Device::VPU_2_7);
  parts.output_offset = 500.0f;  // exp(500) would overflow a double
  EXPECT_DOUBLE_EQ(CostModel(parts).predict_cycles(conv3x3()), kMaxCycles);
  parts.output_offset = -500.0f;
  EXPECT_DOUBLE_EQ(CostModel(parts).predict_cycles(conv3x3()), kMinCycles);
}

TEST(CostModel, RejectsInconsistentParts) {
  ModelParts parts = random_model(Device::VPU_2_7);
  parts.feature_version = kFeatureEncodingVersion + 1;
  EXPECT_THROW(CostModel{parts}, Error);
  parts = random_model(Device::VPU_2_7);
  parts.feature_std[3] = 0.0f;
  EXPECT_THROW(CostModel{parts}, Error);
  parts = random_model(Device::VPU_2_7);
  parts.feature_mean.resize(5);
  EXPECT_THROW(CostModel{parts}, Error);
  parts = random_model(Device::VPU_2_7);
  parts.output_scale = NAN;
  EXPECT_THROW(CostModel{parts}, Error);
}

}  // namespace
}  // namespace vpucost
