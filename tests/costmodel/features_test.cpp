#include "vpucost/features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../support/test_workloads.hpp"

namespace vpucost {
namespace {

using test::conv3x3;

TEST(Features, NamesAreUniqueAndMatchTheCount) {
  const auto names = feature_names();
  ASSERT_EQ(names.size(), kFeatureCount);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), kFeatureCount);
}

TEST(Features, OneHotsAndLogSizes) {
  const auto f = encode_features(conv3x3());
  const auto at = [&](std::string_view name) {
    const auto names = feature_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return f[i];
    }
    ADD_FAILURE() << "no feature " << name;
    return NAN;
  };
  EXPECT_EQ(at("op_convolution"), 1.0f);
  EXPECT_EQ(at("op_dw_convolution"), 0.0f);
  EXPECT_EQ(at("in_uint8"), 1.0f);
  EXPECT_EQ(at("mode_cuboid_16x16"), 1.0f);
  EXPECT_FLOAT_EQ(at("log2_in_width"), std::log2(56.0f));
  EXPECT_FLOAT_EQ(at("log2_in_channels"), 6.0f);
  EXPECT_FLOAT_EQ(at("log2_kernel_w"), std::log2(3.0f));
  EXPECT_FLOAT_EQ(at("log2_macs"), static_cast<float>(std::log2(56.0 * 56 * 64 * 9 * 64)));
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

}  // namespace
}  // namespace vpucost
