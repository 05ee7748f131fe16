// Inside a tile (issue #16, item 2): the candidate ways VPUNN's layer model
// cuts a tile's part into DPU workloads, the modes it tries, the schedule
// over a tile's DPUs, and how one-sided pieces are asked of the model.
#include "../../network/src/intra_tile_split.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"

namespace vpucost::detail {
namespace {

Workload depthwise(Device device, std::int64_t channels, std::int64_t size = 14) {
  Workload w;
  w.device = device;
  w.operation = Operation::DW_CONVOLUTION;
  w.input = {size, size, channels, DType::UINT8};
  w.output = {size, size, channels, DType::UINT8};
  w.kernel_w = w.kernel_h = 3;
  w.padding = {1, 1, 1, 1};
  return w;
}

std::vector<std::vector<std::int64_t>> channel_splits(const TileSplits& cs) {
  std::vector<std::vector<std::int64_t>> out;
  for (const TileSplitCandidate& c : cs.candidates) {
    std::vector<std::int64_t> k;
    for (const TileSplitCandidate::Run& r : cs.runs_of(c)) {
      k.insert(k.end(), r.times, cs.pieces[r.piece].output.channels);
    }
    out.push_back(k);
  }
  return out;
}

bool has(const std::vector<std::vector<std::int64_t>>& splits, std::vector<std::int64_t> s) {
  return std::find(splits.begin(), splits.end(), s) != splits.end();
}

TEST(IntraTileSplit, OneDpuKeepsAConvolutionWhole) {
  const auto cs = intra_tile_candidates(test::conv3x3(Device::VPU_4_0, 256));
  ASSERT_EQ(cs.candidates.size(), 3u) << "one workload in each CUBOID mode";
  EXPECT_EQ(cs.pieces.size(), 3u);
  for (const TileSplitCandidate& c : cs.candidates) {
    ASSERT_EQ(cs.workloads(c), 1u);
    EXPECT_EQ(c.label(), "none");
  }
}

TEST(IntraTileSplit, DepthwiseChunksAreVpunnsSplitsOf16To64Channels) {
  // VPU_2_7, 144 channels: n chunks of round_up(ceil(144/n), 16) with the
  // rest last, every chunk 16, 32 or 64: 32x4+16 (n = 5) and 16x9 (n = 9);
  // not 64+64+16 (no n gives it) nor the whole 144 (too many channels).
  const auto splits = channel_splits(intra_tile_candidates(depthwise(Device::VPU_2_7, 144)));
  EXPECT_TRUE(has(splits, {32, 32, 32, 32, 16}));
  EXPECT_TRUE(has(splits, std::vector<std::int64_t>(9, 16)));
  EXPECT_FALSE(has(splits, {64, 64, 16}));
  EXPECT_FALSE(has(splits, {144}));
  for (const auto& s : splits) {
    for (const std::int64_t k : s) EXPECT_TRUE(k == 16 || k == 32 || k == 64) << k;
  }
}

// NPU_5_0 cuts a depthwise part as the earlier generations do: n chunks of
// round_up(ceil(K/n), 16), the rest last, each 16, 32 or 64 channels. The
// teacher's layers (layers/npu_5_0_train.csv) run parts of 80, 96, 112, 144
// and 240 channels as 3, 3, 4, 5 and 8 chunks: the balanced 64+16, 64+32,
// 64+32+16, 64+64+16 and 64+64+64+32+16 are not candidates.
TEST(IntraTileSplit, Npu50CutsDepthwiseAsTheEarlierGenerations) {
  using Split = std::vector<std::int64_t>;
  const auto splits_of = [](std::int64_t k) {
    return channel_splits(intra_tile_candidates(depthwise(Device::NPU_5_0, k)));
  };
  EXPECT_EQ(splits_of(80), (std::vector<Split>{{32, 32, 16}, {16, 16, 16, 16, 16}}));
  EXPECT_EQ(splits_of(96), (std::vector<Split>{{32, 32, 32}, {16, 16, 16, 16, 16, 16}}));
  EXPECT_FALSE(has(splits_of(112), {64, 32, 16}));
  EXPECT_TRUE(has(splits_of(112), {32, 32, 32, 16}));
  EXPECT_FALSE(has(splits_of(144), {64, 64, 16}));
  EXPECT_TRUE(has(splits_of(144), {32, 32, 32, 32, 16}));
  EXPECT_TRUE(has(splits_of(208), {64, 64, 64, 16}));
  EXPECT_FALSE(has(splits_of(240), {64, 64, 64, 32, 16}));
  EXPECT_TRUE(has(splits_of(240), {32, 32, 32, 32, 32, 32, 32, 16}));
  // Every split of every channel count is VPUNN's rounded-up one.
  for (std::int64_t k = 16; k <= 2048; k += 16) {
    for (const Split& s : splits_of(k)) {
      const auto n = static_cast<std::int64_t>(s.size());
      const std::int64_t chunk = ((k + n - 1) / n + 15) / 16 * 16;
      for (std::size_t i = 0; i + 1 < s.size(); ++i) EXPECT_EQ(s[i], chunk) << k << " in " << n;
      EXPECT_EQ(s.back(), k - chunk * (n - 1)) << k << " in " << n;
    }
  }
}

TEST(IntraTileSplit, Vpu20HasOneModeAndSplitsOverItsFiveDpus) {
  Workload conv = test::conv3x3(Device::VPU_2_0, 64);
  EXPECT_EQ(layer_modes(conv).size(), 1u);
  conv.input.dtype = conv.output.dtype = DType::FLOAT16;
  EXPECT_EQ(layer_modes(conv), std::vector<ExecutionMode>{ExecutionMode::VECTOR_FP16});
  const auto cs = intra_tile_candidates(conv);
  bool hw = false, z = false;
  for (const TileSplitCandidate& c : cs.candidates) {
    hw |= c.label().starts_with("HW:");
    z |= c.label().starts_with("Z:");
  }
  // HW pieces keep the part's padding on every side, and read the input
  // that padding implies.
  for (const Workload& w : cs.pieces) EXPECT_FALSE(find_problem(w).has_value());
  EXPECT_TRUE(hw);
  EXPECT_TRUE(z);
}

TEST(IntraTileSplit, ListScheduleTakesTheDpuFreeFirst) {
  const std::vector<double> jobs{5, 3, 3, 3};
  EXPECT_DOUBLE_EQ(list_schedule(jobs, 1), 14);
  EXPECT_DOUBLE_EQ(list_schedule(jobs, 2), 8);  // 5 | 3 3 -> 5+3 | 6
  EXPECT_DOUBLE_EQ(list_schedule(jobs, 5), 5);
}

TEST(IntraTileSplit, OneSidedPiecesAreAskedAsTheirSymmetricNeighbours) {
  Workload top = test::conv3x3(Device::VPU_2_7);  // 56x56, pad 1 all round
  top.output.height = 10;
  top.padding.bottom = 0;
  top.input.height = 11;  // rows 0..10 of the input feed output rows 0..9
  ASSERT_FALSE(find_problem(top).has_value());
  const auto [larger, smaller] = symmetric_neighbours(top);
  EXPECT_EQ(larger.padding.top, 1);
  EXPECT_EQ(larger.padding.bottom, 1);
  EXPECT_EQ(larger.input.height, 10);
  EXPECT_EQ(smaller.padding.top, 0);
  EXPECT_EQ(smaller.input.height, 12);
  EXPECT_EQ(larger.output, top.output);
  const Workload sym = test::conv3x3(Device::VPU_2_7);
  EXPECT_EQ(symmetric_neighbours(sym).first, sym);
}

}  // namespace
}  // namespace vpucost::detail
