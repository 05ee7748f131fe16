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

// A batch asks for a piece in every mode one after another: each mode is
// encoded from the column before (exactly, features_test.cpp) and checked
// by itself, so a mode the operation does not take is still refused.
TEST(CostModel, ABatchOfModesEqualsSingleQueriesAndChecksEachMode) {
  const CostModel model(random_model(Device::NPU_5_0, {32, 16}));
  std::vector<Workload> ws;
  for (const std::int64_t c : {16, 64, 96, 256}) {
    for (const ExecutionMode m :
         {ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16, ExecutionMode::CUBOID_4x16}) {
      ws.push_back(conv3x3(Device::NPU_5_0, c));
      ws.back().mode = m;
    }
  }
  std::vector<double> batch(ws.size());
  model.predict_cycles(ws, batch);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    EXPECT_NEAR(batch[i] / model.predict_cycles(ws[i]), 1.0, 1e-5) << i;
    if (i % 3 > 0) {
      EXPECT_NE(batch[i], batch[i - 1]) << "a mode changes the prediction";
    }
  }
  // NPU_5_0 runs a depthwise convolution only as CUBOID_16x16.
  Workload dw = conv3x3(Device::NPU_5_0, 64);
  dw.operation = Operation::DW_CONVOLUTION;
  std::vector<Workload> modes{dw, dw};
  modes[1].mode = ExecutionMode::CUBOID_8x16;
  std::vector<double> out(2);
  try {
    model.predict_cycles(modes, out);
    FAIL() << "a depthwise convolution in CUBOID_8x16 on NPU_5_0 was costed";
  } catch (const Error& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("workload 1: execution mode CUBOID_8x16 is not accepted", 0),
        0u)
        << e.what();
  }
}

TEST(CostModel, PredictionsAreClampedFinitePositive) {
  ModelParts parts = random_model(Device::VPU_2_7);
  parts.output_offset = 500.0f;  // exp(500) would overflow a double
  EXPECT_DOUBLE_EQ(CostModel(parts).predict_cycles(conv3x3()), kMaxCycles);
  parts.output_offset = -500.0f;
  EXPECT_DOUBLE_EQ(CostModel(parts).predict_cycles(conv3x3()), kMinCycles);
}

// A model of encoding version 2 (before the compiler's fields): its network
// reads the first 42 features.
ModelParts version2_model(Device device) {
  ModelParts p = random_model(device);
  const auto n = static_cast<Eigen::Index>(feature_count(2));
  p.feature_version = 2;
  DenseLayer first = p.mlp.layers().front();
  first.weights = first.weights.leftCols(n).eval();
  std::vector<DenseLayer> layers = p.mlp.layers();
  layers.front() = first;
  p.mlp = Mlp(std::move(layers), p.mlp.activation());
  p.feature_mean = p.feature_mean.head(n).eval();
  p.feature_std = p.feature_std.head(n).eval();
  return p;
}

TEST(CostModel, Version2ModelPredictsDefaultFieldWorkloadsAsItAlwaysDid) {
  const ModelParts parts = version2_model(Device::VPU_2_7);
  const CostModel model(parts);
  std::vector<Workload> ws;
  for (std::int64_t c : {16, 32, 48, 64, 256}) ws.push_back(conv3x3(Device::VPU_2_7, c));
  std::vector<double> batch(ws.size());
  model.predict_cycles(ws, batch);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    // The documented formula on the version-2 prefix of the features.
    const FeatureVector f = encode_features(ws[i]);
    Eigen::VectorXf x(parts.feature_mean.size());
    for (Eigen::Index k = 0; k < x.size(); ++k) {
      x[k] = (f[static_cast<std::size_t>(k)] - parts.feature_mean[k]) / parts.feature_std[k];
    }
    const double want =
        std::exp(double(parts.output_offset) +
                 double(parts.output_scale) *
                     double(parts.mlp.forward(std::span<const float>(x.data(), x.size()))));
    EXPECT_NEAR(model.predict_cycles(ws[i]) / want, 1.0, 1e-4);
    EXPECT_NEAR(batch[i] / want, 1.0, 1e-4);
  }
}

TEST(CostModel, Version2ModelRefusesFieldsItNeverSaw) {
  const CostModel model(version2_model(Device::VPU_2_7));
  auto w = conv3x3();
  w.output_write_tiles = 2;
  try {
    model.predict_cycles(w);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "this model (feature encoding version 2) cannot cost a workload with "
                 "output_write_tiles 2: its encoding has no activation, sparsity, output write "
                 "tiles, ISI strategy or HF8. Use a model trained with encoding version 3 or "
                 "later (the shipped models/, or vpucost train on recordings with these "
                 "columns)");
  }
  std::vector<Workload> ws{conv3x3(), conv3x3()};
  ws[1].activation = ActivationFunction::RELU;
  std::vector<double> out(2);
  try {
    model.predict_cycles(ws, out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("workload 1: this model (feature encoding version 2) "
                                          "cannot cost a workload with activation RELU",
                                          0),
              0u)
        << e.what();
  }
}

TEST(CostModel, BothSparsitiesCostTheCheaperSingleSparsityVariant) {
  const CostModel model(random_model(Device::VPU_4_0, {32, 16}));
  auto w = conv3x3(Device::VPU_4_0);
  w.input_sparsity = 0.4;
  w.weight_sparsity = 0.7;
  const auto v = dual_sparsity_variants(w);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->input_only.weight_sparsity, 0.0);
  EXPECT_EQ(v->input_only.input_sparsity, 0.4);
  EXPECT_EQ(v->weight_only.input_sparsity, 0.0);
  EXPECT_EQ(v->weight_only.weight_sparsity, 0.7);
  const double expected =
      std::min(model.predict_cycles(v->input_only), model.predict_cycles(v->weight_only));
  EXPECT_EQ(model.predict_cycles(w), expected);
  std::vector<Workload> ws(300, conv3x3(Device::VPU_4_0));
  ws[7] = w;
  std::vector<double> out(ws.size());
  model.predict_cycles(ws, out);
  EXPECT_NEAR(out[7] / expected, 1.0, 1e-5);
  EXPECT_NEAR(out[8] / model.predict_cycles(ws[8]), 1.0, 1e-5);
  EXPECT_FALSE(dual_sparsity_variants(v->input_only).has_value());
}

TEST(CostModel, RejectsInconsistentParts) {
  ModelParts parts = random_model(Device::VPU_2_7);
  parts.feature_version = kFeatureEncodingVersion + 1;
  EXPECT_THROW(CostModel{parts}, Error);
  parts = random_model(Device::VPU_2_7);
  parts.feature_version = 2;  // 56 inputs, but version 2 has 42 features
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
