// Tiling strategies (issue #16, item 2, first part): every strategy's tile
// parts cover the layer exactly, SOK chunks are 16-aligned and broadcast, a
// one-tile CLUSTERING layer costs what its DPU workloads cost, the layer's
// cycles are its slowest tile's, and a layer no strategy takes is one line.
#include "vpucost/layer_strategy.hpp"

#include <gtest/gtest.h>

#include <random>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model.hpp"
#include "vpucost/error.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

Workload random_layer(std::mt19937& rng, Device device) {
  const Operation ops[] = {Operation::CONVOLUTION, Operation::DW_CONVOLUTION, Operation::MAXPOOL,
                           Operation::ELTWISE};
  Workload w;
  w.device = device;
  w.operation = ops[rng() % 4];
  const std::int64_t size = 1 + static_cast<std::int64_t>(rng() % 60);
  const std::int64_t k =
      w.operation == Operation::ELTWISE ? 1 : 1 + 2 * static_cast<std::int64_t>(rng() % 3);
  const std::int64_t channels = 16 * (1 + static_cast<std::int64_t>(rng() % 24));
  w.kernel_w = w.kernel_h = k;
  w.padding = {k / 2, k / 2, k / 2, k / 2};
  w.input = {size + static_cast<std::int64_t>(rng() % 9), size, channels, DType::UINT8};
  w.output = {
      w.input.width, w.input.height,
      is_channelwise(w.operation) ? channels : 16 * (1 + static_cast<std::int64_t>(rng() % 24)),
      DType::UINT8};
  w.mode = operation_modes(device, w.operation).front();
  return w;
}

// Every strategy of every device: the parts add up to the layer (rows for
// SOH, columns for SOW, channels for SOK), each part a valid workload with
// the strategy's ISI and output write tiles.
TEST(LayerStrategy, PartsCoverTheLayerExactly) {
  std::mt19937 rng(5);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    for (const Device device : all_devices()) {
      const Workload layer = random_layer(rng, device);
      if (find_problem(layer)) continue;
      const int tiles = device_spec(device).tiles;
      for (const TilingStrategy s : device_strategies(device)) {
        const TileParts t = tile_parts(layer, s);
        if (t.parts.empty()) {
          EXPECT_FALSE(t.why_not.empty());
          continue;
        }
        ++checked;
        std::int64_t rows = 0, cols = 0, channels = 0;
        for (const Workload& p : t.parts) {
          Workload probe = p;
          probe.mode = operation_modes(device, p.operation).front();
          EXPECT_FALSE(find_problem(probe).has_value()) << *find_problem(probe);
          rows += p.output.height;
          cols += p.output.width;
          channels += p.output.channels;
        }
        const auto n = static_cast<std::int64_t>(t.parts.size());
        switch (s) {
          case TilingStrategy::CLUSTERING:
            ASSERT_EQ(n, 1);
            EXPECT_EQ(t.parts[0], [&] {
              Workload w = layer;
              w.isi_strategy = IsiStrategy::CLUSTERING;
              w.output_write_tiles = 1;
              return w;
            }());
            break;
          case TilingStrategy::SOHO:
          case TilingStrategy::SOHO_K_SWITCH:
            EXPECT_EQ(n, tiles);
            EXPECT_EQ(rows, layer.output.height);
            EXPECT_EQ(cols, n * layer.output.width);
            EXPECT_EQ(t.parts[0].output_write_tiles, s == TilingStrategy::SOHO ? 1 : tiles);
            break;
          case TilingStrategy::SOW:
            EXPECT_EQ(n, tiles);
            EXPECT_EQ(cols, layer.output.width);
            break;
          case TilingStrategy::SOK:
            EXPECT_EQ(n, tiles);
            EXPECT_EQ(channels, layer.output.channels);
            for (const Workload& p : t.parts) {
              EXPECT_EQ(p.output.channels % 16, 0) << "16-aligned";
              EXPECT_EQ(p.output_write_tiles, tiles) << "broadcast to every tile";
              EXPECT_EQ(p.isi_strategy, IsiStrategy::SPLIT_OVER_K);
              if (is_channelwise(p.operation)) {
                EXPECT_EQ(p.input.channels, p.output.channels);
              }
            }
            break;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(LayerStrategy, OneTileClusteringIsTheDpuCost) {
  const RooflineModel roofline;
  const Workload layer = test::conv3x3(Device::VPU_2_7);
  const LayerStrategies s = cost_strategies(roofline, layer);
  ASSERT_FALSE(s.valid.empty());
  EXPECT_EQ(s.valid[0].strategy, TilingStrategy::CLUSTERING);
  EXPECT_DOUBLE_EQ(s.valid[0].cycles, cost_workload(roofline, layer).cycles);
  // The layer's cycles under a strategy are its slowest tile's, and the best
  // is the cheapest valid strategy.
  for (const StrategyCost& c : s.valid) {
    double slowest = 0;
    for (const WorkloadCost& t : c.tiles) slowest = std::max(slowest, t.cycles);
    EXPECT_DOUBLE_EQ(c.cycles, slowest);
    EXPECT_LE(s.best().cycles, c.cycles);
  }
}

TEST(LayerStrategy, Npu50RunsSplitOverHeightAsClusteringWorkloads) {
  Workload layer = test::conv3x3(Device::NPU_5_0);
  const TileParts t = tile_parts(layer, TilingStrategy::SOHO);
  ASSERT_EQ(t.parts.size(), 3u);
  for (const Workload& p : t.parts) EXPECT_EQ(p.isi_strategy, IsiStrategy::CLUSTERING);
}

TEST(LayerStrategy, ALayerNoStrategyTakesIsOneLine) {
  const RooflineModel roofline;
  // 16 output channels, 1x1 map on VPU_4_0 (6 tiles): no split has a part per tile,
  // and the whole layer's weights exceed the tile memory.
  Workload layer;
  layer.device = Device::VPU_4_0;
  layer.operation = Operation::CONVOLUTION;
  layer.input = {1, 1, 8192, DType::FLOAT16};
  layer.output = {1, 1, 16 * 5, DType::FLOAT16};
  layer.kernel_w = layer.kernel_h = 1;
  layer.mode = ExecutionMode::CUBOID_16x16;
  ASSERT_FALSE(find_problem(layer).has_value());
  const LayerStrategies s = cost_strategies(roofline, layer);
  if (s.valid.empty()) {
    try {
      s.best();
      FAIL() << "no strategy, but a best one";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("no tiling strategy is valid for this layer"), std::string::npos) << m;
      EXPECT_NE(m.find("SOK: 80 output channels are fewer than 16 per tile over 6 tiles"),
                std::string::npos)
          << m;
      EXPECT_EQ(m.find('\n'), std::string::npos);
    }
  } else {
    // The weights (8192 x 80 x 2 bytes = 1.3 MB) fit 1.5 MB after all: then
    // CLUSTERING (or a split of it) is the one valid way, and SOK is refused.
    bool sok_refused = false;
    for (const auto& [strategy, why] : s.not_valid) sok_refused |= strategy == TilingStrategy::SOK;
    EXPECT_TRUE(sok_refused);
  }
}

}  // namespace
}  // namespace vpucost

namespace vpucost {
namespace {

// A DMA model of 1 cycle per byte plus nothing, both ways: terms read as bytes.
DmaModel bytes_as_cycles(Device device) {
  DmaModelParts p;
  p.device = device;
  for (DmaCurve& c : p.curves) {
    c.knot_bytes = {1.0, 1e9};
    c.knot_cycles = {1.0, 1e9};
  }
  return DmaModel(std::move(p));
}

TEST(LayerDmaTerms, InputOutputAndWeightsPerStrategy) {
  const RooflineModel roofline;
  const Workload layer = test::conv3x3(Device::VPU_4_0, 96);  // 56x56x96 -> 56x56x96 UINT8, 3x3
  const DmaModel dma = bytes_as_cycles(Device::VPU_4_0);
  const LayerStrategies s = cost_strategies(roofline, layer);
  const auto of = [&](TilingStrategy t) -> const StrategyCost& {
    for (const StrategyCost& c : s.valid) {
      if (c.strategy == t) return c;
    }
    throw Error("strategy not valid");
  };
  // Weights: per output channel 96 x 3 x 3 bytes (864, a multiple of 16) + 16; 6 tiles over
  // 2 DMA ports: 3 rounds.
  const LayerDmaTerms clustering = dma_terms(dma, layer, of(TilingStrategy::CLUSTERING));
  EXPECT_DOUBLE_EQ(clustering.input, 56.0 * 56 * 96);
  EXPECT_DOUBLE_EQ(clustering.output, 56.0 * 56 * 96);
  EXPECT_DOUBLE_EQ(clustering.weights, 3 * 96.0 * (864 + 16));
  // SOK: 96 channels over 6 tiles in 16s -> every part has 16 channels.
  const LayerDmaTerms sok = dma_terms(dma, layer, of(TilingStrategy::SOK));
  EXPECT_DOUBLE_EQ(sok.weights, 3 * 16.0 * (864 + 16));
  EXPECT_DOUBLE_EQ(sok.input, clustering.input);
  // ELTWISE: the second operand of the largest part is the "weights".
  Workload add = layer;
  add.operation = Operation::ELTWISE;
  add.kernel_w = add.kernel_h = 1;
  add.padding = {};
  const LayerStrategies e = cost_strategies(roofline, add);
  bool soho = false;
  for (const StrategyCost& c : e.valid) {
    if (c.strategy != TilingStrategy::SOHO) continue;
    soho = true;
    const LayerDmaTerms t = dma_terms(dma, add, c);
    EXPECT_DOUBLE_EQ(t.weights, 3 * 10.0 * 56 * 96);  // 56 rows over 6 tiles: 10 in the first
    EXPECT_DOUBLE_EQ(t.input, 56.0 * 56 * 96);
  }
  EXPECT_TRUE(soho) << "SOHO is valid for the ELTWISE";
}

}  // namespace
}  // namespace vpucost
