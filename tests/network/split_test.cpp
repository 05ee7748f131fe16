// The limits of one DPU workload (CMX footprint, depthwise channels) and the
// split rule (workload_split.hpp).
#include <gtest/gtest.h>

#include <random>

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/network.hpp"
#include "vpucost/workload_split.hpp"

namespace vpucost {
namespace {

Workload dw(Device device, std::int64_t size, std::int64_t channels, std::int64_t kernel,
            std::int64_t stride, DType dtype = DType::UINT8) {
  return layer_workload(depthwise_layer("dw", size, channels, kernel, stride), device, dtype);
}

Workload conv1x1(Device device, std::int64_t size, std::int64_t in, std::int64_t out,
                 DType dtype = DType::UINT8) {
  return layer_workload(conv_layer("conv", size, in, out, 1, 1), device, dtype);
}

TEST(CmxFootprint, PagesOfInputWeightsAndOutput) {
  // 112x112x16 -> 96 FLOAT16 1x1: input 401,408 B (25 pages of 16 KB), output
  // 2,408,448 B (147 pages), weights 96 x 16 x 2 + 96 x 16 table = 4,608 B (1 page).
  const CmxFootprint f = cmx_footprint(conv1x1(Device::VPU_4_0, 112, 16, 96, DType::FLOAT16));
  EXPECT_EQ(f.input_bytes, 25 * 16384);
  EXPECT_EQ(f.output_bytes, 147 * 16384);
  EXPECT_EQ(f.weight_bytes, 16384);
  EXPECT_EQ(f.total_bytes, (25 + 147 + 1) * 16384);
}

TEST(CmxFootprint, WeightAlignmentDependsOnTheGeneration) {
  // UINT8 weight rows: 16 elements on 2.7, 32 on 4.0. 1x1 conv 15x15x1264 ->
  // 1184 (a row of the teacher data, accepted on 2.7 at exactly 2 MB).
  Workload w = conv1x1(Device::VPU_2_7, 15, 1264, 1184);
  EXPECT_EQ(cmx_footprint(w).total_bytes, 2 * 1024 * 1024);
  EXPECT_EQ(split_reason(w), SplitReason::None);
  w.device = Device::VPU_4_0;
  EXPECT_GT(cmx_footprint(w).weight_bytes,
            cmx_footprint(conv1x1(Device::VPU_2_7, 15, 1264, 1184)).weight_bytes);
}

TEST(CmxFootprint, PoolsAndEltwiseHaveNoWeights) {
  const Workload pool = layer_workload(pool_layer("p", LayerKind::MaxPool, 28, 64, 3, 1),
                                       Device::VPU_2_7, DType::UINT8);
  EXPECT_EQ(cmx_footprint(pool).weight_bytes, 0);
  const Workload add =
      layer_workload(eltwise_add_layer("a", 28, 64), Device::VPU_2_7, DType::UINT8);
  EXPECT_EQ(cmx_footprint(add).weight_bytes, 0);
  // AVEPOOL runs as a depthwise convolution and is counted as one.
  const Workload avg =
      layer_workload(global_avg_pool_layer("g", 7, 64), Device::VPU_2_7, DType::UINT8);
  EXPECT_EQ(cmx_footprint(avg).weight_bytes, 16384);
}

TEST(SplitRule, DepthwiseChannelsOn27And40AreChunksOf64ThenTheRest) {
  for (const Device d : {Device::VPU_2_7, Device::VPU_4_0}) {
    const struct {
      std::int64_t channels;
      std::vector<std::int64_t> chunks;
    } cases[] = {{48, {32, 16}},
                 {80, {64, 16}},
                 {96, {64, 32}},
                 {144, {64, 64, 16}},
                 {240, {64, 64, 64, 32, 16}},
                 {64, {64}},
                 {16, {16}}};
    for (const auto& c : cases) {
      const Workload w = dw(d, 14, c.channels, 3, 1);
      EXPECT_EQ(split_reason(w),
                c.chunks.size() > 1 ? SplitReason::DepthwiseChannels : SplitReason::None);
      const auto options = minimal_split_options(w);
      ASSERT_EQ(options.size(), 1u);
      ASSERT_EQ(options[0].workloads.size(), c.chunks.size()) << c.channels;
      for (std::size_t i = 0; i < c.chunks.size(); ++i) {
        EXPECT_EQ(options[0].workloads[i].input.channels, c.chunks[i]);
        EXPECT_EQ(options[0].workloads[i].output.channels, c.chunks[i]);
      }
    }
  }
  // VPU_2_0 takes any multiple of 16 in one workload.
  EXPECT_EQ(split_reason(dw(Device::VPU_2_0, 14, 144, 3, 1)), SplitReason::None);
  EXPECT_EQ(minimal_split_options(dw(Device::VPU_2_0, 14, 144, 3, 1))[0].label(), "none");
}

TEST(SplitRule, GlobalPoolOf1280ChannelsIs20Workloads) {
  const Workload w =
      layer_workload(global_avg_pool_layer("g", 7, 1280), Device::VPU_2_7, DType::UINT8);
  const auto options = minimal_split_options(w);
  EXPECT_EQ(options[0].label(), "20xK");
  EXPECT_EQ(options[0].workloads.front().operation, Operation::AVEPOOL);
}

TEST(SplitRule, RowChunksReadTheirHaloAndKeepBorderPadding) {
  // 4.0, FLOAT16, 112x112x96 depthwise 3x3 stride 2: 64 + 32 channels, and the
  // 64-channel chunk does not fit in 1.5 MB: 2 x 2 workloads.
  const Workload w = dw(Device::VPU_4_0, 112, 96, 3, 2, DType::FLOAT16);
  EXPECT_EQ(split_reason(w), SplitReason::CmxCapacity);
  const auto options = minimal_split_options(w);
  ASSERT_EQ(options.size(), 1u);
  EXPECT_EQ(options[0].label(), "2xK+2xH");
  ASSERT_EQ(options[0].workloads.size(), 4u);
  const Workload& top = options[0].workloads[0];
  const Workload& bottom = options[0].workloads[1];
  // Output rows 0-27 read input rows 0-55 (pad 1 on top); rows 28-55 read 55-111.
  EXPECT_EQ(top.output.height, 28);
  EXPECT_EQ(top.input.height, 56);
  EXPECT_EQ(top.padding, (Padding{1, 0, 1, 1}));
  EXPECT_EQ(bottom.output.height, 28);
  EXPECT_EQ(bottom.input.height, 57);
  EXPECT_EQ(bottom.padding, (Padding{0, 0, 1, 1}));
}

TEST(SplitRule, EqualSizedAlternativesAreAllOffered) {
  // 2.7 FLOAT16 1x1 conv 112x112x16 -> 96: two channel chunks or two row
  // chunks both fit; fewer row cuts first.
  const auto options = minimal_split_options(conv1x1(Device::VPU_2_7, 112, 16, 96, DType::FLOAT16));
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(options[0].label(), "2xK");
  EXPECT_EQ(options[1].label(), "2xH");
  EXPECT_EQ(options[0].workloads[0].output.channels, 48);
  EXPECT_EQ(options[1].workloads[0].output.height, 56);
}

TEST(SplitRule, NearEqualChannelChunksAreMultiplesOf16) {
  // 1x1 conv 1x1x1280 -> 1008 FLOAT16 on 2.0 needs 3 chunks of 21 x 16 = 336.
  const Workload w =
      layer_workload(fully_connected_layer("fc", 1280, 1000), Device::VPU_2_0, DType::FLOAT16);
  const auto options = minimal_split_options(w);
  EXPECT_EQ(options[0].label(), "3xK");
  for (const Workload& piece : options[0].workloads) EXPECT_EQ(piece.output.channels, 336);
}

TEST(SplitRule, WideMapsAreCutIntoColumnsAsALastResort) {
  // One output row of this convolution reads 3.2 MB and writes 3.2 MB: rows
  // and channels cannot help, four column chunks can.
  Workload w = conv1x1(Device::VPU_2_7, 1, 16, 16);
  w.input.width = w.output.width = 200000;
  const auto options = minimal_split_options(w);
  EXPECT_EQ(options[0].column_chunks, 4);
  EXPECT_EQ(options[0].label(), "4xW");
  std::int64_t columns = 0;
  for (const Workload& piece : options[0].workloads) {
    EXPECT_FALSE(find_problem(piece).has_value());
    columns += piece.output.width;
  }
  EXPECT_EQ(columns, 200000);
}

TEST(SplitRule, ALayerThatCannotBeSplitSmallEnoughIsAnError) {
  // The weights of 16 output channels of a 7x7 convolution over 1152 FLOAT16
  // channels (1.8 MB) exceed the 1 MB of VPU_2_0 on their own.
  const Workload w =
      layer_workload(conv_layer("big", 14, 1152, 64, 7, 1), Device::VPU_2_0, DType::FLOAT16);
  try {
    minimal_split_options(w);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit in the 1024 KB CMX of VPU_2_0"),
              std::string::npos)
        << e.what();
  }
  Workload invalid = conv1x1(Device::VPU_2_7, 4, 16, 16);
  invalid.output.width = 5;
  EXPECT_THROW(minimal_split_options(invalid), Error);
}

// Property: for random layers on every device, each piece of every minimal
// split is valid, within the limits, and the pieces cover the output exactly.
TEST(SplitRule, PiecesAreValidFitAndCoverTheOutput) {
  std::mt19937 rng(11);
  const auto pick = [&](std::initializer_list<std::int64_t> v) {
    return *(v.begin() + static_cast<std::ptrdiff_t>(rng() % v.size()));
  };
  int split_layers = 0;
  int unsplittable = 0;
  for (int i = 0; i < 400; ++i) {
    const Device device = all_devices()[rng() % 3];
    const DType dtype = rng() % 2 ? DType::FLOAT16 : DType::UINT8;
    const std::int64_t size = pick({7, 14, 28, 56, 112, 150, 224});
    const std::int64_t c1 = pick({16, 24, 48, 96, 144, 240, 576, 1152});
    const std::int64_t c2 = pick({16, 32, 80, 160, 320, 1280});
    const std::int64_t k = pick({1, 3, 5, 7});
    const std::int64_t s = pick({1, 2});
    Layer layer;
    switch (rng() % 4) {
      case 0:
        layer = conv_layer("conv", size, c1, c2, k, s);
        break;
      case 1:
        layer = depthwise_layer("dw", size, c1, k, s);
        break;
      case 2:
        layer = pool_layer("pool", LayerKind::MaxPool, size, c1, k, s);
        break;
      default:
        layer = eltwise_add_layer("add", size, c1);
        break;
    }
    const Workload w = layer_workload(layer, device, dtype);
    // A few random layers (e.g. 7x7 over 576 FLOAT16 channels at 224 on 2.0)
    // need more than kMaxSplitWorkloads pieces: an error naming the limit.
    std::vector<SplitOption> options;
    try {
      options = minimal_split_options(w);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("does not fit in the"), std::string::npos);
      ++unsplittable;
      continue;
    }
    split_layers += options[0].workloads.size() > 1;
    for (const SplitOption& option : options) {
      ASSERT_EQ(option.workloads.size(), options[0].workloads.size());
      double covered = 0.0;
      for (const Workload& piece : option.workloads) {
        ASSERT_FALSE(find_problem(piece).has_value())
            << describe(piece) << ": " << *find_problem(piece);
        EXPECT_EQ(split_reason(piece), SplitReason::None) << describe(piece);
        EXPECT_LE(piece.output.width, w.output.width);
        covered += double(piece.output.width) * double(piece.output.height) *
                   double(piece.output.channels);
      }
      EXPECT_EQ(covered,
                double(w.output.width) * double(w.output.height) * double(w.output.channels))
          << describe(w) << " " << option.label();
    }
  }
  EXPECT_GT(split_layers, 50);  // the sample does exercise splitting
  EXPECT_LT(unsplittable, 20);
}

}  // namespace
}  // namespace vpucost
