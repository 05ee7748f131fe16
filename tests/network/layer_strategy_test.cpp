// Tiling strategies (issue #16, item 2, first part): every strategy's tile
// parts cover the layer exactly, SOK chunks are 16-aligned and broadcast, a
// one-tile CLUSTERING layer costs what its DPU workloads cost, the layer's
// cycles are its slowest tile's, and a layer no strategy takes is one line.
#include "vpucost/layer_strategy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "../../network/src/intra_tile_split.hpp"
#include "../support/test_workloads.hpp"
#include "random_layers.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

// Every strategy of every device: the parts add up to the layer (rows for
// SOH, columns for SOW, channels for SOK), each part a valid workload with
// the strategy's ISI and output write tiles.
TEST(LayerStrategy, PartsCoverTheLayerExactly) {
  std::mt19937 rng(5);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    for (const Device device : all_devices()) {
      const Workload layer = test::random_layer(rng, device);
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
        // VPUNN's split: pieces of round_up(ceil(extent / tiles), unit), the
        // rest last, no empty tile.
        const auto expect_ceil_first = [&](std::int64_t extent, std::int64_t unit, auto size_of) {
          const std::int64_t piece = ((extent + tiles - 1) / tiles + unit - 1) / unit * unit;
          EXPECT_EQ(n, (extent + piece - 1) / piece);
          for (std::int64_t i = 0; i + 1 < n; ++i) EXPECT_EQ(size_of(t.parts[i]), piece);
          EXPECT_GT(size_of(t.parts.back()), 0);
        };
        switch (s) {
          case TilingStrategy::CLUSTERING:
            // Every tile runs the whole layer.
            ASSERT_EQ(n, tiles);
            for (const Workload& p : t.parts) {
              EXPECT_EQ(p, [&] {
                Workload w = layer;
                w.isi_strategy = IsiStrategy::CLUSTERING;
                w.output_write_tiles = 1;
                return w;
              }());
            }
            break;
          case TilingStrategy::SOHO:
          case TilingStrategy::SOHO_K_SWITCH:
            if (tiles == 1) {
              ASSERT_EQ(n, 1);  // the layer as it is
              EXPECT_EQ(t.parts[0].output, layer.output);
              break;
            }
            expect_ceil_first(layer.output.height, 1,
                              [](const Workload& p) { return p.output.height; });
            EXPECT_EQ(rows, layer.output.height);
            EXPECT_EQ(cols, n * layer.output.width);
            for (const Workload& p : t.parts) {
              EXPECT_EQ(p.output_write_tiles, s == TilingStrategy::SOHO ? 1 : n);
              EXPECT_EQ(p.isi_strategy, IsiStrategy::CLUSTERING);
            }
            break;
          case TilingStrategy::SOW:
            expect_ceil_first(layer.output.width, 1,
                              [](const Workload& p) { return p.output.width; });
            EXPECT_EQ(cols, layer.output.width);
            break;
          case TilingStrategy::SOK:
            expect_ceil_first(layer.output.channels, 16,
                              [](const Workload& p) { return p.output.channels; });
            EXPECT_GE(n, 2);
            EXPECT_EQ(channels, layer.output.channels);
            for (const Workload& p : t.parts) {
              EXPECT_EQ(p.output.channels % 16, 0) << "16-aligned";
              EXPECT_EQ(p.output_write_tiles, n) << "broadcast to every tile that has a part";
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

// Each tile runs its cheapest candidate split, its cycles the workloads'
// cycles added one by one, and reports the next-cheapest candidate's as the
// runner-up -- checked against every candidate summed here, on NPU_5_0
// depthwise layers (up to ~90 candidates of up to 120 workloads a tile, most
// of which the costing leaves unsummed) and convolutions.
TEST(LayerStrategy, EachTileRunsItsCheapestCandidate) {
  const RooflineModel roofline;
  int tiles_checked = 0;
  for (const std::int64_t channels : {96, 480, 960, 1152, 1920}) {
    for (const Operation op : {Operation::DW_CONVOLUTION, Operation::CONVOLUTION}) {
      Workload layer = test::conv3x3(Device::NPU_5_0, channels);
      layer.operation = op;
      layer.input.width = layer.input.height = layer.output.width = layer.output.height = 14;
      ASSERT_FALSE(find_problem(layer).has_value()) << channels;
      for (const StrategyCost& s : cost_strategies(roofline, layer).valid) {
        if (s.strategy != TilingStrategy::CLUSTERING && s.strategy != TilingStrategy::SOK) {
          continue;  // pieces padded on one side are asked as two neighbours
        }
        for (const WorkloadCost& tile : s.tiles) {
          const detail::TileSplits splits = detail::intra_tile_candidates(tile.whole);
          std::vector<double> sums;
          for (const detail::TileSplitCandidate& c : splits.candidates) {
            double sum = 0.0;
            for (const auto& r : splits.runs_of(c)) {
              const double cycles = roofline.predict_cycles(splits.pieces[r.piece]);
              for (std::uint32_t t = 0; t < r.times; ++t) sum += cycles;
            }
            sums.push_back(sum);
          }
          ASSERT_GE(sums.size(), 1u);
          std::sort(sums.begin(), sums.end());
          EXPECT_EQ(tile.cycles, sums[0]);
          EXPECT_EQ(tile.runner_up_cycles,
                    sums.size() > 1 ? sums[1] : std::numeric_limits<double>::infinity());
          double reported = 0.0;
          for (const CostedWorkload& w : tile.workloads) reported += w.cycles;
          EXPECT_EQ(reported, tile.cycles);
          ++tiles_checked;
        }
      }
    }
  }
  EXPECT_GE(tiles_checked, 35);
}

TEST(LayerStrategy, ClusteringIsTheLayerAsOneWorkloadInItsCheapestMode) {
  const RooflineModel roofline;
  const Workload layer = test::conv3x3(Device::VPU_2_7);
  const LayerStrategies s = cost_strategies(roofline, layer);
  ASSERT_FALSE(s.valid.empty());
  EXPECT_EQ(s.valid[0].strategy, TilingStrategy::CLUSTERING);
  // One DPU per tile: a CONVOLUTION stays one workload, in the cheapest of
  // the CUBOID modes.
  double cheapest = 1e300;
  for (const ExecutionMode m :
       {ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16, ExecutionMode::CUBOID_4x16}) {
    Workload w = layer;
    w.mode = m;
    cheapest = std::min(cheapest, roofline.predict_cycles(w));
  }
  EXPECT_DOUBLE_EQ(s.valid[0].cycles, cheapest);
  EXPECT_EQ(s.valid[0].workloads(), 2u) << "one workload on each of the 2 tiles";
  // The layer's cycles under a strategy are its slowest tile's, and the best
  // is the cheapest valid strategy.
  for (const StrategyCost& c : s.valid) {
    double slowest = 0;
    for (const WorkloadCost& t : c.tiles) slowest = std::max(slowest, t.cycles);
    EXPECT_DOUBLE_EQ(c.cycles, slowest);
    EXPECT_LE(s.best().cycles, c.cycles);
  }
}

TEST(LayerStrategy, SplitsFollowVpunnsRounding) {
  Workload layer = test::conv3x3(Device::VPU_4_0, 112);  // 6 tiles
  layer.input.height = layer.output.height = 9;
  // 9 rows over 6 tiles: ceil(9/6) = 2 rows a tile, 5 tiles.
  const TileParts rows = tile_parts(layer, TilingStrategy::SOHO);
  ASSERT_EQ(rows.parts.size(), 5u);
  EXPECT_EQ(rows.parts.back().output.height, 1);
  // 112 channels over 6 tiles: 32, 32, 32, 16, broadcast to the 4 tiles.
  const TileParts k = tile_parts(layer, TilingStrategy::SOK);
  ASSERT_EQ(k.parts.size(), 4u);
  EXPECT_EQ(k.parts[0].output.channels, 32);
  EXPECT_EQ(k.parts[3].output.channels, 16);
  EXPECT_EQ(k.parts[0].output_write_tiles, 4);
  // An SOK part reads only the input its output needs: a 3x3 stride-2
  // layer on an even map skips the last input column and row.
  Workload strided = layer;
  strided.stride_w = strided.stride_h = 2;
  strided.padding = {0, 0, 0, 0};
  strided.input.width = strided.input.height = 16;
  strided.output.width = strided.output.height = 7;
  ASSERT_FALSE(find_problem(strided).has_value());
  const TileParts ks = tile_parts(strided, TilingStrategy::SOK);
  ASSERT_FALSE(ks.parts.empty()) << ks.why_not;
  EXPECT_EQ(ks.parts[0].input.width, 15);
  EXPECT_EQ(ks.parts[0].input.height, 15);
  // SOK needs 32 output channels, a split over rows two output rows.
  Workload narrow = test::conv3x3(Device::VPU_4_0, 16);
  EXPECT_NE(tile_parts(narrow, TilingStrategy::SOK).why_not.find("needs at least 32"),
            std::string::npos);
  narrow.input.height = narrow.output.height = 1;
  narrow.padding = {0, 0, 1, 1};
  narrow.kernel_h = 1;
  ASSERT_FALSE(find_problem(narrow).has_value());
  EXPECT_NE(tile_parts(narrow, TilingStrategy::SOHO).why_not.find("needs at least 2"),
            std::string::npos);
}

TEST(LayerStrategy, SplitsOverRowsRunAsClusteringWorkloads) {
  for (const Device d : {Device::VPU_2_7, Device::VPU_4_0, Device::NPU_5_0}) {
    const TileParts t = tile_parts(test::conv3x3(d), TilingStrategy::SOHO);
    ASSERT_EQ(t.parts.size(), std::size_t(device_spec(d).tiles));
    for (const Workload& p : t.parts) EXPECT_EQ(p.isi_strategy, IsiStrategy::CLUSTERING);
  }
}

TEST(LayerStrategy, ALayerNoStrategyTakesIsOneLine) {
  const RooflineModel roofline;
  // A layer of the teacher's rejected file (layers/vpu_4_0_rejected.csv):
  // 280x280x384 -> 352, 3x3, UINT8 needs 58.9 MB as one layer.
  Workload layer;
  layer.device = Device::VPU_4_0;
  layer.operation = Operation::CONVOLUTION;
  layer.input = {280, 280, 384, DType::UINT8};
  layer.output = {280, 280, 352, DType::UINT8};
  layer.kernel_w = layer.kernel_h = 3;
  layer.padding = {1, 1, 1, 1};
  layer.mode = ExecutionMode::CUBOID_16x16;
  ASSERT_FALSE(find_problem(layer).has_value());
  const LayerStrategies s = cost_strategies(roofline, layer);
  EXPECT_TRUE(s.valid.empty());
  EXPECT_EQ(s.not_valid.size(), device_strategies(Device::VPU_4_0).size());
  try {
    s.best();
    FAIL() << "no strategy, but a best one";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no tiling strategy is valid for this layer"), std::string::npos) << m;
    EXPECT_NE(m.find("SOK: a tile's part needs"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace vpucost

namespace vpucost {
namespace {

TEST(LayerDmaTerms, InputOutputAndWeightsPerStrategy) {
  const RooflineModel roofline;
  const Workload layer = test::conv3x3(Device::VPU_4_0, 96);  // 56x56x96 -> 56x56x96 UINT8, 3x3
  const DmaModel dma = test::bytes_as_cycles_dma(Device::VPU_4_0);
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
