// DPU training rows from layer recordings (issue #16): a strategy's label
// becomes a workload's only through a clear slowest tile and a clear cut,
// shared over equal workloads, checked against the recording's modes and
// workload count; and a model that learnt one-sided pieces is asked for them.
#include "vpucost/layer_training_rows.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

WorkloadCost tile(const Workload& piece, int times, double each, double runner_up) {
  WorkloadCost t;
  t.whole = piece;
  for (int i = 0; i < times; ++i) t.workloads.push_back({piece, each});
  t.cycles = each * times;
  t.runner_up_cycles = runner_up;
  return t;
}

Workload rows_piece(std::int64_t rows) {
  Workload w = test::conv3x3(Device::VPU_4_0);
  w.output.height = rows;
  w.input.height = rows + 2;
  w.padding.top = w.padding.bottom = 0;
  return w;
}

LayerStrategies one_strategy(TilingStrategy s, std::vector<WorkloadCost> tiles) {
  StrategyCost c;
  c.strategy = s;
  c.tiles = std::move(tiles);
  for (const WorkloadCost& t : c.tiles) c.cycles = std::max(c.cycles, t.cycles);
  LayerStrategies out;
  out.valid.push_back(std::move(c));
  return out;
}

LayerLabels label(TilingStrategy s, double cycles) {
  LayerLabels l;
  l.cycles.fill(kNone);
  l.cycles[static_cast<std::size_t>(s)] = cycles;
  return l;
}

TEST(LayerTrainingRows, TheSlowestTilesWorkloadTakesTheLabel) {
  const Workload big = rows_piece(10), small = rows_piece(8);
  const auto ours =
      one_strategy(TilingStrategy::SOHO,
                   {tile(big, 1, 1000, 1300), tile(big, 1, 1000, 1300), tile(small, 1, 800, 1000)});
  const auto rows = layer_training_rows(ours, label(TilingStrategy::SOHO, 1100), 0.05);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].workload, big);
  EXPECT_DOUBLE_EQ(rows[0].cycles, 1100);
  EXPECT_EQ(rows[0].strategy, TilingStrategy::SOHO);
}

TEST(LayerTrainingRows, EqualWorkloadsShareTheLabelByRoundsOfTheTilesDpus) {
  // Four equal chunks on VPU_4_0's one DPU per tile: a quarter each.
  const Workload chunk = rows_piece(10);
  auto rows =
      layer_training_rows(one_strategy(TilingStrategy::CLUSTERING, {tile(chunk, 4, 250, 2000)}),
                          label(TilingStrategy::CLUSTERING, 1200), 0.05);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].cycles, 300);
  // Seven on VPU_2_0's five DPUs: two rounds.
  Workload w2 = test::conv3x3(Device::VPU_2_0);
  rows = layer_training_rows(one_strategy(TilingStrategy::CLUSTERING, {tile(w2, 7, 100, 900)}),
                             label(TilingStrategy::CLUSTERING, 240), 0.05);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].cycles, 120);
}

TEST(LayerTrainingRows, UnclearChoicesGiveNoRow) {
  const Workload big = rows_piece(10), small = rows_piece(9);
  const LayerLabels l = label(TilingStrategy::SOHO, 1000);
  // Another tile within the margin could be the slowest.
  EXPECT_TRUE(layer_training_rows(one_strategy(TilingStrategy::SOHO, {tile(big, 1, 1000, 2000),
                                                                      tile(small, 1, 970, 2000)}),
                                  l, 0.05)
                  .empty());
  // Another cut of the tile within the margin could be the one it used.
  EXPECT_TRUE(
      layer_training_rows(one_strategy(TilingStrategy::SOHO, {tile(big, 1, 1000, 1030)}), l, 0.05)
          .empty());
  // Both are clear at a margin of 2 %.
  EXPECT_EQ(layer_training_rows(one_strategy(TilingStrategy::SOHO,
                                             {tile(big, 1, 1000, 1030), tile(small, 1, 970, 2000)}),
                                l, 0.02)
                .size(),
            1u);
  // A tile of two different workloads says nothing about either.
  WorkloadCost mixed = tile(big, 1, 600, 2000);
  mixed.workloads.push_back({small, 400});
  mixed.cycles = 1000;
  EXPECT_TRUE(layer_training_rows(one_strategy(TilingStrategy::SOHO, {mixed}), l, 0.05).empty());
  // No label, no row.
  EXPECT_TRUE(layer_training_rows(one_strategy(TilingStrategy::SOHO, {tile(big, 1, 1000, 2000)}),
                                  label(TilingStrategy::SOK, 1000), 0.05)
                  .empty());
}

TEST(LayerTrainingRows, TheBestStrategyMustMatchTheRecordedModesAndWorkloadCount) {
  const Workload w = rows_piece(10);  // CUBOID_16x16
  const auto ours = one_strategy(TilingStrategy::SOK, {tile(w, 1, 1000, 2000)});
  LayerLabels l = label(TilingStrategy::SOK, 900);
  l.best = TilingStrategy::SOK;
  l.best_modes = {ExecutionMode::CUBOID_8x16};
  EXPECT_TRUE(layer_training_rows(ours, l, 0.05).empty()) << "the recording ran another mode";
  l.best_modes = {ExecutionMode::CUBOID_8x16, ExecutionMode::CUBOID_16x16};
  EXPECT_EQ(layer_training_rows(ours, l, 0.05).size(), 1u);
  l.best_workloads = 6;
  EXPECT_TRUE(layer_training_rows(ours, l, 0.05).empty()) << "it ran 6 workloads, we 1";
  l.best_workloads = 1;
  EXPECT_EQ(layer_training_rows(ours, l, 0.05).size(), 1u);
}

// What the whole-device costing asks a model for a halo piece: its two
// symmetric neighbours unless the model learnt one-sided pieces.
class AskedPredictor final : public CyclePredictor {
 public:
  explicit AskedPredictor(bool learnt) : learnt_(learnt) {}
  double predict_cycles(const Workload& w) const override {
    asked.insert(one_sided_padding(w));
    return roofline_.predict_cycles(w);
  }
  std::string_view source() const override { return "test"; }
  bool learnt_one_sided_padding() const override { return learnt_; }
  mutable std::set<bool> asked;

 private:
  bool learnt_;
  RooflineModel roofline_;
};

TEST(LayerTrainingRows, AModelThatLearntOneSidedPiecesIsAskedForThem) {
  const Workload layer = test::conv3x3(Device::VPU_4_0);
  for (const bool learnt : {false, true}) {
    const AskedPredictor p(learnt);
    const LayerStrategies all = cost_strategies(p, layer);
    ASSERT_FALSE(all.valid.empty());
    EXPECT_EQ(p.asked.count(true), learnt ? 1u : 0u) << "learnt " << learnt;
  }
}

}  // namespace
}  // namespace vpucost
