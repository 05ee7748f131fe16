// The best strategy alone (cost_best_strategy, what networks, tables and
// cost_on_device ask of a layer) against every strategy costed
// (cost_strategies, what `vpucost layer` lists): the same winner, cycles,
// tiles and workloads, and the same reasons for the strategies it finds
// invalid, with the roofline and the shipped models.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <span>
#include <string>

#include "../support/test_workloads.hpp"
#include "random_layers.hpp"
#include "vpucost/device.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

// cost_best_strategy (what a network asks of a layer) is cost_strategies'
// best(), with the same tiles and workloads, and the same reasons for the
// strategies that are not valid (those it met: it stops costing a strategy
// that cannot win). Returns how many layers had a valid strategy.
int expect_best_alone_is_best_of_all(const CyclePredictor& predictor, std::uint32_t seed,
                                     int rounds, std::span<const Device> devices) {
  std::mt19937 rng(seed);
  int compared = 0;
  for (int i = 0; i < rounds; ++i) {
    for (const Device device : devices) {
      const Workload layer = test::random_layer(rng, device);
      if (find_problem(layer)) continue;
      const LayerStrategies all = cost_strategies(predictor, layer);
      const LayerStrategies one = cost_best_strategy(predictor, layer);
      if (all.valid.empty()) {
        EXPECT_TRUE(one.valid.empty());
        EXPECT_EQ(one.not_valid, all.not_valid);
        continue;
      }
      for (const auto& refused : one.not_valid) {
        EXPECT_NE(std::find(all.not_valid.begin(), all.not_valid.end(), refused),
                  all.not_valid.end());
      }
      if (one.valid.size() != 1u) {
        ADD_FAILURE() << one.valid.size() << " strategies listed for " << describe(layer);
        continue;
      }
      const StrategyCost& a = all.best();
      const StrategyCost& b = one.valid.front();
      EXPECT_EQ(b.strategy, a.strategy) << describe(layer);
      EXPECT_EQ(b.cycles, a.cycles) << describe(layer);
      if (b.tiles.size() != a.tiles.size()) {
        ADD_FAILURE() << "tiles differ for " << describe(layer);
        continue;
      }
      for (std::size_t t = 0; t < a.tiles.size(); ++t) {
        EXPECT_EQ(b.tiles[t].whole, a.tiles[t].whole);
        EXPECT_EQ(b.tiles[t].split, a.tiles[t].split);
        EXPECT_EQ(b.tiles[t].cycles, a.tiles[t].cycles);
        EXPECT_EQ(b.tiles[t].workloads.size(), a.tiles[t].workloads.size());
        for (std::size_t w = 0;
             w < std::min(a.tiles[t].workloads.size(), b.tiles[t].workloads.size()); ++w) {
          EXPECT_EQ(b.tiles[t].workloads[w].workload, a.tiles[t].workloads[w].workload);
          EXPECT_EQ(b.tiles[t].workloads[w].cycles, a.tiles[t].workloads[w].cycles);
        }
      }
      ++compared;
    }
  }
  return compared;
}

TEST(LayerStrategy, TheBestStrategyAloneIsTheBestOfAll) {
  EXPECT_GT(expect_best_alone_is_best_of_all(RooflineModel(), 11, 150, all_devices()), 300);
}

// The same with the shipped DPU models: the best strategy alone asks the
// model in rounds of fewer workloads than the whole layer does, and must get
// the very same cycles (a batch's answer does not depend on its company).
TEST(LayerStrategy, TheBestStrategyAloneIsTheBestOfAllWithTheShippedModels) {
  for (const auto& [device, file] :
       {std::pair{Device::VPU_2_7, "vpu_2_7.h5"}, std::pair{Device::VPU_4_0, "vpu_4_0.h5"},
        std::pair{Device::NPU_5_0, "npu_5_0.h5"}}) {
    const CostModel model = load_model(std::string(VPUCOST_MODELS_DIR) + "/" + file);
    const Device one[] = {device};
    EXPECT_GT(expect_best_alone_is_best_of_all(model, 23, 150, one), 100) << to_string(device);
  }
}

// A strategy whose first tile part fits the tile's memory but a later one
// does not is found invalid only when it is completed (the first part
// bounds it): it must give tile_parts' reason. On VPU_4_0 a 56x56 3x3
// convolution of 256 channels is such a layer: SOHO_K_SWITCH's first row
// slice (one halo row) fits, the middle slices (two) do not, and its
// first-part bound is below the winner's, so it is completed.
TEST(LayerStrategy, AStrategyFoundInvalidOnCompletionGivesTilePartsReason) {
  const CostModel model = load_model(std::string(VPUCOST_MODELS_DIR) + "/vpu_4_0.h5");
  const Workload layer = test::conv3x3(Device::VPU_4_0, 256);
  const LayerStrategies one = cost_best_strategy(model, layer);
  const LayerStrategies all = cost_strategies(model, layer);
  ASSERT_EQ(one.valid.size(), 1u);
  EXPECT_EQ(one.valid.front().strategy, all.best().strategy);
  EXPECT_EQ(one.valid.front().cycles, all.best().cycles);
  const auto refused = std::find_if(one.not_valid.begin(), one.not_valid.end(), [](const auto& r) {
    return r.first == TilingStrategy::SOHO_K_SWITCH;
  });
  ASSERT_NE(refused, one.not_valid.end()) << "SOHO_K_SWITCH was not met";
  Workload unmoded = layer;
  unmoded.mode = ExecutionMode{};
  const TileParts parts = tile_parts(unmoded, TilingStrategy::SOHO_K_SWITCH);
  EXPECT_TRUE(parts.parts.empty());
  EXPECT_EQ(refused->second, parts.why_not);
  EXPECT_NE(refused->second.find("CMX"), std::string::npos) << refused->second;
  EXPECT_EQ(one.not_valid, all.not_valid);
}

}  // namespace
}  // namespace vpucost
