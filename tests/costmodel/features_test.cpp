#include "vpucost/features.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "../support/random_workloads.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/enums.hpp"

namespace vpucost {
namespace {

using test::conv3x3;

float feature(const FeatureVector& f, std::string_view name) {
  const auto names = feature_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return f[i];
  }
  ADD_FAILURE() << "no feature " << name;
  return NAN;
}

// A workload re-encoded for another mode (encode_mode_change, what a batch
// does for a piece asked in every mode) has, bit for bit, its full encoding:
// every device, every pair of modes, compiler fields drawn.
TEST(Features, AModeChangeGivesTheFullEncodingExactly) {
  int compared = 0;
  for (const Device d : all_devices()) {
    test::WorkloadSampler sampler(d, 17, true, true);
    for (const Workload& w : sampler.take(300)) {
      const FeatureVector from = encode_features(w);
      for (const ExecutionMode m : device_spec(d).modes) {
        Workload moded = w;
        moded.mode = m;
        FeatureVector changed = from;
        encode_mode_change(moded, changed);
        const FeatureVector full = encode_features(moded);
        for (std::size_t i = 0; i < kFeatureCount; ++i) {
          ASSERT_EQ(std::bit_cast<std::uint32_t>(changed[i]), std::bit_cast<std::uint32_t>(full[i]))
              << describe(w) << " to " << to_string(m) << ", feature " << feature_names()[i];
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 2000);
}

TEST(Features, NamesAreUniqueAndMatchTheCount) {
  const auto names = feature_names();
  ASSERT_EQ(names.size(), kFeatureCount);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), kFeatureCount);
}

TEST(Features, OneHotsSizesWorkAndGrid) {
  const auto f = encode_features(conv3x3());  // 56x56x64 -> 56x56x64, 3x3, CUBOID_16x16
  EXPECT_EQ(feature(f, "op_convolution"), 1.0f);
  EXPECT_EQ(feature(f, "op_dw_convolution"), 0.0f);
  EXPECT_EQ(feature(f, "in_float16"), 0.0f);
  EXPECT_EQ(feature(f, "mode_cuboid_16x16"), 1.0f);
  EXPECT_EQ(feature(f, "mode_matrix"), 0.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_in_width"), std::log2(56.0f));
  EXPECT_FLOAT_EQ(feature(f, "log2_in_channels"), 6.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_kernel_w"), std::log2(3.0f));
  EXPECT_EQ(feature(f, "pad_left"), 1.0f);
  EXPECT_EQ(feature(f, "stride_h"), 1.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_macs"), static_cast<float>(std::log2(56.0 * 56 * 64 * 9 * 64)));
  EXPECT_FLOAT_EQ(feature(f, "log2_1p_weight_bytes"), std::log2(1.0f + 64 * 64 * 9));
  // NTHW grid of CUBOID_16x16 is 16x16x64: ceil(56/16)^2 blocks of 64 channels.
  EXPECT_FLOAT_EQ(feature(f, "log2_nt_tiles"), std::log2(16.0f));
  EXPECT_FLOAT_EQ(feature(f, "nt_util_w"), 56.0f / 64.0f);
  EXPECT_FLOAT_EQ(feature(f, "nt_util_c"), 1.0f);
  // MPE grid of CUBOID_16x16 is 4x4x4: 56 is a multiple of 4.
  EXPECT_FLOAT_EQ(feature(f, "mpe_util_w"), 1.0f);
  EXPECT_EQ(feature(f, "out_channels"), 64.0f);
  for (float x : f) EXPECT_TRUE(std::isfinite(x));
}

TEST(Features, PaddedChannelsEncodeIdentically) {
  EXPECT_EQ(encode_features(conv3x3(Device::VPU_2_7, 65)),
            encode_features(conv3x3(Device::VPU_2_7, 80)));
  EXPECT_NE(encode_features(conv3x3(Device::VPU_2_7, 64)),
            encode_features(conv3x3(Device::VPU_2_7, 80)));
}

TEST(Features, AvepoolEncodesAsDepthwise) {
  auto w = conv3x3();
  w.operation = Operation::AVEPOOL;
  auto dw = w;
  dw.operation = Operation::DW_CONVOLUTION;
  EXPECT_EQ(encode_features(w), encode_features(dw));
}

TEST(Features, SmallConvolutionEncodesAsChannelMajorWithItsRawInput) {
  auto w = conv3x3(Device::VPU_2_7);
  w.input.channels = 3;
  const auto f = encode_features(w);
  EXPECT_EQ(feature(f, "op_cm_convolution"), 1.0f);
  EXPECT_EQ(feature(f, "op_convolution"), 0.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_in_channels"), std::log2(3.0f));
  EXPECT_FLOAT_EQ(feature(f, "log2_in_channels_padded"), 4.0f);
  EXPECT_EQ(feature(f, "in_channels"), 3.0f);
}

TEST(Features, CompilerFieldsAndHf8EncodeAsDocumented) {
  auto w = conv3x3(Device::NPU_5_0);
  w.input.dtype = DType::HF8;
  w.activation = ActivationFunction::LRELU;
  w.input_sparsity = 0.75;
  w.weight_sparsity = 0.5;
  w.output_write_tiles = 2;
  w.isi_strategy = IsiStrategy::SPLIT_OVER_K;
  const auto f = encode_features(w);
  EXPECT_EQ(feature(f, "in_hf8"), 1.0f);
  EXPECT_EQ(feature(f, "out_hf8"), 0.0f);
  EXPECT_EQ(feature(f, "in_float16"), 0.0f);
  EXPECT_EQ(feature(f, "act_relu"), 0.0f);
  EXPECT_EQ(feature(f, "act_lrelu"), 1.0f);
  EXPECT_EQ(feature(f, "input_sparsity"), 0.75f);
  EXPECT_EQ(feature(f, "weight_sparsity"), 0.5f);
  EXPECT_EQ(feature(f, "input_sparse"), 1.0f);
  EXPECT_EQ(feature(f, "weight_sparse"), 1.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_in_density"), -2.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_weight_density"), -1.0f);
  EXPECT_EQ(feature(f, "owt_broadcast"), 1.0f);
  EXPECT_FLOAT_EQ(feature(f, "log2_output_write_tiles"), 1.0f);
  EXPECT_EQ(feature(f, "isi_split_over_h"), 0.0f);
  EXPECT_EQ(feature(f, "isi_split_over_k"), 1.0f);
  // HF8 is one byte per element, like UINT8.
  auto u8 = w;
  u8.input.dtype = DType::UINT8;
  EXPECT_EQ(feature(f, "log2_in_bytes"), feature(encode_features(u8), "log2_in_bytes"));
}

TEST(Features, DefaultFieldsLeaveTheVersion3FeaturesAtZero) {
  const auto f = encode_features(conv3x3());
  for (std::size_t i = feature_count(2); i < feature_count(3); ++i) {
    EXPECT_EQ(f[i], 0.0f) << feature_names()[i];
  }
}

TEST(Features, EachVersionIsThePrefixOfTheNext) {
  ASSERT_EQ(feature_count(2), 42u);
  ASSERT_EQ(feature_count(3), 56u);
  ASSERT_EQ(feature_count(4), kFeatureCount);
  const auto v2 = feature_names(2);
  const auto v3 = feature_names(3);
  const auto v4 = feature_names(4);
  ASSERT_EQ(v2.size(), 42u);
  ASSERT_EQ(v3.size(), 56u);
  for (std::size_t i = 0; i < v2.size(); ++i) EXPECT_EQ(v2[i], v3[i]);
  for (std::size_t i = 0; i < v3.size(); ++i) EXPECT_EQ(v3[i], v4[i]);
  EXPECT_TRUE(is_supported_feature_version(2));
  EXPECT_TRUE(is_supported_feature_version(3));
  EXPECT_TRUE(is_supported_feature_version(4));
  EXPECT_FALSE(is_supported_feature_version(1));
  EXPECT_FALSE(is_supported_feature_version(5));
}

// Version 4's one feature: the executed input channels over their round-up
// to 64 (a CM convolution's input unpadded, every other one padded to 16).
TEST(Features, Version4MeasuresTheInputChannelsOnASixtyFourChannelGrid) {
  const auto util = [](std::int64_t channels, Operation op = Operation::CONVOLUTION) {
    Workload w = conv3x3(Device::VPU_4_0, channels);
    w.operation = op;
    return encode_features(w)[feature_count(3)];
  };
  EXPECT_EQ(feature_names()[feature_count(3)], "in_channels_util64");
  EXPECT_FLOAT_EQ(util(64), 1.0f);
  EXPECT_FLOAT_EQ(util(128), 1.0f);
  EXPECT_FLOAT_EQ(util(80), 80.0f / 128.0f);
  EXPECT_FLOAT_EQ(util(70), 80.0f / 128.0f);  // padded to 80 first
  EXPECT_FLOAT_EQ(util(16), 0.25f);
  EXPECT_FLOAT_EQ(util(3, Operation::CM_CONVOLUTION), 3.0f / 64.0f);
}

TEST(Features, Version2NamesWhatItCannotEncode) {
  auto w = conv3x3();
  EXPECT_EQ(unencodable_field(w, 2), std::nullopt);
  w.activation = ActivationFunction::RELU;
  EXPECT_EQ(unencodable_field(w, 2), "activation RELU");
  EXPECT_EQ(unencodable_field(w, 3), std::nullopt);
  w = conv3x3();
  w.weight_sparsity = 0.5;
  EXPECT_EQ(unencodable_field(w, 2), "weight sparsity");
  w = conv3x3();
  w.output_write_tiles = 2;
  EXPECT_EQ(unencodable_field(w, 2), "output_write_tiles 2");
  w.isi_strategy = IsiStrategy::SPLIT_OVER_K;
  w = conv3x3(Device::NPU_5_0);
  w.output.dtype = DType::HF8;
  EXPECT_EQ(unencodable_field(w, 2), "output dtype HF8");
}

// Encoding version 2 was chosen with a numpy reference implementation
// (models/README.md). This file holds its output for sample workloads of every
// device, operation, mode and dtype of that time; version 3 must reproduce it
// as its prefix, and encode these default-field workloads as zeros after it.
TEST(Features, MatchTheResearchReferenceImplementation) {
  std::ifstream in(VPUCOST_TEST_DATA "/features_reference.csv");
  ASSERT_TRUE(in) << "cannot open features_reference.csv";
  std::string line;
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("device,")) continue;
    const std::vector<std::string> c = test::split_csv_line(line);
    const std::size_t v2 = feature_count(2);
    ASSERT_EQ(c.size(), 19 + v2) << line;
    const Workload w = test::workload_from_v1_cells(c);
    const auto f = encode_features(w);
    // The reference stops at version 2; the compiler's fields are at their
    // defaults (zero); version 4's channel use is checked on its own above.
    for (std::size_t i = 0; i < feature_count(3); ++i) {
      const double want = i < v2 ? std::stod(c[19 + i]) : 0.0;
      EXPECT_NEAR(f[i], want, 1e-5 * std::max(1.0, std::abs(want)))
          << feature_names()[i] << " of " << describe(w);
    }
    ++rows;
  }
  EXPECT_GT(rows, 300u);
}

}  // namespace
}  // namespace vpucost
