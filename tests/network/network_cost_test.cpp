// Layers -> workloads, the MBConv block, and costing with the best mode,
// splits and batching (network.hpp, network_cost.hpp).
#include "vpucost/network_cost.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

double fastest(const CyclePredictor& p, Workload w) {
  double best = std::numeric_limits<double>::infinity();
  for (const ExecutionMode m : device_spec(w.device).modes) {
    w.mode = m;
    best = std::min(best, p.predict_cycles(w));
  }
  return best;
}

TEST(LayerWorkload, PadsChannelsTo16) {
  const Workload w =
      layer_workload(conv_layer("c", 56, 24, 72, 1, 1), Device::VPU_2_7, DType::FLOAT16);
  EXPECT_EQ(w.operation, Operation::CONVOLUTION);
  EXPECT_EQ(w.input.channels, 32);
  EXPECT_EQ(w.output.channels, 80);
  EXPECT_EQ(w.input.dtype, DType::FLOAT16);
  EXPECT_EQ(w.output.dtype, DType::FLOAT16);
}

TEST(LayerWorkload, RgbStemIsChannelMajorOnEveryGeneration) {
  for (const Device d : all_devices()) {
    const Workload w = layer_workload(conv_layer("stem", 224, 3, 32, 3, 2), d, DType::UINT8);
    EXPECT_EQ(w.operation, Operation::CM_CONVOLUTION);
    EXPECT_EQ(w.input.channels, 3);
    EXPECT_EQ(w.output.width, 112);
    EXPECT_EQ(w.padding, (Padding{1, 1, 1, 1}));
  }
}

TEST(LayerWorkload, FullyConnectedIsA1x1ConvOnA1x1Map) {
  const Workload w =
      layer_workload(fully_connected_layer("fc", 1280, 1000), Device::VPU_4_0, DType::UINT8);
  EXPECT_EQ(w.operation, Operation::CONVOLUTION);
  EXPECT_EQ(w.input.width * w.input.height, 1);
  EXPECT_EQ(w.output.channels, 1008);
  const Workload gap =
      layer_workload(global_avg_pool_layer("gap", 7, 1280), Device::VPU_4_0, DType::UINT8);
  EXPECT_EQ(gap.operation, Operation::AVEPOOL);
  EXPECT_EQ(gap.kernel_w, 7);
  EXPECT_EQ(gap.output.width, 1);
}

TEST(LayerWorkload, SameOutputSizeAsOnceForAll) {
  // ceil(n / 2) for stride 2 with 'same' padding, any odd kernel.
  for (const std::int64_t n : {5, 6, 7, 11, 13, 14, 80, 88, 104, 112}) {
    for (const std::int64_t k : {1, 3, 5, 7}) {
      EXPECT_EQ(depthwise_layer("d", n, 16, k, 2).out_width(), (n - 1) / 2 + 1);
    }
  }
}

TEST(LayerValidation, NamesTheLayer) {
  try {
    validate(conv_layer("expand", 0, 16, 32, 1, 1));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 'expand' (conv): input width must be in 1.."),
              std::string::npos)
        << e.what();
  }
  Layer dw = depthwise_layer("dw", 14, 32, 3, 1);
  dw.out_channels = 64;
  EXPECT_THROW(validate(dw), Error);
}

TEST(MBConvBlock, LayersByExpandRatioAndShortcut) {
  const auto e1 = mbconv_layers({112, 32, 16, 3, 1, 1, 0, false});
  ASSERT_EQ(e1.size(), 2u);  // no expand conv
  EXPECT_EQ(e1[0].name, "depthwise");
  EXPECT_EQ(e1[1].name, "project");

  const auto e6 = mbconv_layers({56, 24, 24, 5, 1, 6, 0, true});
  ASSERT_EQ(e6.size(), 4u);
  EXPECT_EQ(e6[0].out_channels, 144);
  EXPECT_EQ(e6[1].kernel_w, 5);
  EXPECT_EQ(e6[1].padding, (Padding{2, 2, 2, 2}));
  EXPECT_EQ(e6[3].kind, LayerKind::EltwiseAdd);

  const auto s2 = mbconv_layers({56, 24, 40, 7, 2, 3, 0, false});
  EXPECT_EQ(s2[1].out_width(), 28);
  EXPECT_EQ(s2[2].in_width, 28);

  EXPECT_THROW(mbconv_layers({56, 24, 40, 3, 2, 3, 0, true}), Error);    // shortcut, stride 2
  EXPECT_THROW(mbconv_layers({56, 24, 24, 4, 1, 3, 0, false}), Error);   // even kernel
  EXPECT_THROW(mbconv_layers({56, 24, 24, 3, 1, 1, 48, false}), Error);  // e1, mid != in
  EXPECT_EQ(mbconv_layers({14, 40, 40, 3, 1, 3, 100, false})[0].out_channels, 100);
}

TEST(CostWorkload, PicksTheFastestModeAndSumsTheSplit) {
  const RooflineModel roofline;
  // Fits as one workload: the fastest mode's cycles.
  const Workload one = test::conv3x3();
  const WorkloadCost c1 = cost_workload(roofline, one);
  ASSERT_EQ(c1.workloads.size(), 1u);
  EXPECT_EQ(c1.split, "none");
  EXPECT_DOUBLE_EQ(c1.cycles, fastest(roofline, one));

  // Depthwise 144 channels on 2.7: three workloads, each at its fastest mode.
  const Workload wide =
      layer_workload(depthwise_layer("dw", 56, 144, 3, 1), Device::VPU_2_7, DType::UINT8);
  const WorkloadCost c3 = cost_workload(roofline, wide);
  EXPECT_EQ(c3.split, "3xK");
  EXPECT_EQ(c3.split_reason, SplitReason::DepthwiseChannels);
  ASSERT_EQ(c3.workloads.size(), 3u);
  double sum = 0.0;
  for (const CostedWorkload& piece : c3.workloads) {
    EXPECT_DOUBLE_EQ(piece.cycles, roofline.predict_cycles(piece.workload));
    EXPECT_DOUBLE_EQ(piece.cycles, fastest(roofline, piece.workload));
    sum += piece.cycles;
  }
  EXPECT_DOUBLE_EQ(c3.cycles, sum);

  // A fixed mode applies to every piece.
  const WorkloadCost fixed = cost_workload(roofline, wide, ExecutionMode::CUBOID_8x16);
  for (const CostedWorkload& piece : fixed.workloads) {
    EXPECT_EQ(piece.workload.mode, ExecutionMode::CUBOID_8x16);
  }
  EXPECT_GE(fixed.cycles, c3.cycles);
  EXPECT_THROW(cost_workload(roofline, wide, ExecutionMode::MATRIX), Error);  // not on 2.7
}

TEST(NetworkCoster, BatchedEqualsOneByOneWithAModel) {
  const CostModel model(test::random_model(Device::VPU_2_7, {32, 16}));
  const NetworkCoster coster(model, Device::VPU_2_7, DType::UINT8);
  std::vector<Layer> layers = mbconv_layers({56, 24, 24, 7, 1, 6, 0, true});
  const auto more = mbconv_layers({28, 40, 80, 5, 2, 3, 0, false});
  layers.insert(layers.end(), more.begin(), more.end());
  layers.push_back(layers.front());  // a repeat is costed once and reported twice
  const auto batched = coster.cost(layers);
  ASSERT_EQ(batched.size(), layers.size());
  // The model's batched and single-query paths round differently (float32
  // matrix products vs its single-query kernel): equal to 1e-5.
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerCost single = coster.cost(layers[i]);
    EXPECT_EQ(batched[i].layer, layers[i]);
    EXPECT_NEAR(batched[i].cost.cycles, single.cost.cycles, 1e-5 * single.cost.cycles)
        << layers[i].name;
    EXPECT_EQ(batched[i].cost.split, single.cost.split);
    const WorkloadCost direct =
        cost_workload(model, layer_workload(layers[i], Device::VPU_2_7, DType::UINT8));
    EXPECT_NEAR(batched[i].cost.cycles, direct.cycles, 1e-5 * direct.cycles);
    double by_piece = 0.0;
    for (const CostedWorkload& piece : batched[i].cost.workloads) {
      by_piece += model.predict_cycles(piece.workload);
    }
    EXPECT_NEAR(batched[i].cost.cycles, by_piece, 1e-5 * by_piece);
  }
  EXPECT_DOUBLE_EQ(batched.back().cost.cycles, batched.front().cost.cycles);
  EXPECT_DOUBLE_EQ(total_cycles(batched), [&] {
    double s = 0;
    for (const auto& l : batched) s += l.cost.cycles;
    return s;
  }());
  EXPECT_DOUBLE_EQ(coster.milliseconds(1.3e6), 1.0);
}

TEST(NetworkCoster, RefusesAModelOfAnotherDeviceAndNamesBadLayers) {
  const CostModel model(test::random_model(Device::VPU_4_0));
  EXPECT_THROW(NetworkCoster(model, Device::VPU_2_7, DType::UINT8), Error);
  const RooflineModel roofline;
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  Layer bad = conv_layer("broken", 14, 16, 16, 3, 1);
  bad.padding.top = 5;
  try {
    coster.cost(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 'broken'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vpucost
