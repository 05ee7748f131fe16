// The whole-device layer model (issue #16, item 2) with the shipped DPU and
// DMA models against the v2 teacher's layers: the bundled samples always,
// the full test files when they are here. Targets: best-strategy compute
// cycles MAPE <= 5 %, every DMA term <= 5 %, the strategies VPUNN accepts
// exactly those we accept, the rejected layers refused; the share of layers
// where we pick the teacher's strategy is held at the level reached (the
// >= 90 % target is met on VPU_2_0 and VPU_2_7 only: models/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/layer_recordings.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;

struct LayerMape {
  double sum = 0;
  std::size_t n = 0;
  void add(double ours, double truth) {
    if (!(truth > 0)) return;
    sum += std::abs(ours / truth - 1);
    ++n;
  }
  double value() const { return n ? sum / double(n) : 0.0; }
};

// Same strategy as the teacher: levels reached on the full files (100, 94.8,
// 90.6, 88.3 %; issue #16's target is 90 %) less room for rounding, and on the
// bundled 300-layer samples (94.7, 89.7, 89.7 % on the multi-tile devices)
// less room for a sample.
double strategy_level(Device d, bool full_file) {
  switch (d) {
    case Device::VPU_2_0:
      return 0.99;
    case Device::VPU_2_7:
      return full_file ? 0.94 : 0.93;
    case Device::VPU_4_0:
      return full_file ? 0.90 : 0.89;
    default:
      return full_file ? 0.875 : 0.88;
  }
}

// Best-strategy MAPE: issue #16's 5 %, and on NPU_5_0 the 3.2-3.3 % its
// depthwise cut reaches (network/NETWORK.md section 11: 3.15 % on the full
// file, 3.28 % on the sample; 3.84 % with the balanced cut).
double best_mape_level(Device d) {
  return d == Device::NPU_5_0 ? 0.036 : 0.05;
}

class ShippedLayerModel : public ::testing::TestWithParam<Device> {};

TEST_P(ShippedLayerModel, MatchesTheTeachersLayers) {
  const Device d = GetParam();
  const CostModel dpu = load_model(fs::path(VPUCOST_MODELS_DIR) / (test::device_stem(d) + ".h5"));
  const DmaModel dma =
      load_dma_model(fs::path(VPUCOST_MODELS_DIR) / ("dma_" + test::device_stem(d) + ".h5"));
  std::vector<fs::path> files{fs::path(VPUCOST_SAMPLES) / "v2" / "layers" /
                              (test::device_stem(d) + "_test.csv")};
  const fs::path full =
      fs::path(VPUCOST_TEACHER_V2_ROOT) / "layers" / (test::device_stem(d) + "_test.csv");
  if (fs::exists(full)) files.push_back(full);
  for (const fs::path& file : files) {
    const LayerRecordings rec = read_layer_csv(file);
    ASSERT_TRUE(rec.rejects.empty()) << file << ": " << rec.rejects.front().reason;
    ASSERT_GE(rec.items.size(), 300u);
    LayerMape best, weights, input, output;
    std::size_t same = 0, validity_differs = 0;
    for (const LayerRecord& r : rec.items) {
      const LayerStrategies s = cost_strategies(dpu, r.layer);
      std::array<bool, enum_count<TilingStrategy>()> ours{};
      for (const StrategyCost& c : s.valid) ours[static_cast<std::size_t>(c.strategy)] = true;
      for (std::size_t i = 0; i < ours.size(); ++i) {
        validity_differs += ours[i] != std::isfinite(r.cycles[i]);
      }
      const StrategyCost& b = s.best();
      best.add(b.cycles, r.cycles_best);
      same += b.strategy == *r.best_strategy;
      for (const StrategyCost& c : s.valid) {
        if (c.strategy != *r.best_strategy) continue;
        const LayerDmaTerms t = dma_terms(dma, r.layer, c);
        weights.add(t.weights, r.dma_weights_cycles);
        input.add(t.input, r.dma_input_cycles);
        output.add(t.output, r.dma_output_cycles);
      }
    }
    EXPECT_EQ(validity_differs, 0u) << file;
    EXPECT_LE(best.value(), best_mape_level(d)) << file;
    EXPECT_LE(weights.value(), 0.05) << file;
    EXPECT_LE(input.value(), 0.05) << file;
    EXPECT_LE(output.value(), 0.05) << file;
    EXPECT_GE(double(same) / double(rec.items.size()), strategy_level(d, file == full)) << file;
  }
  // The teacher's rejected layers: no strategy fits, and we say why.
  const LayerRecordings rejected = read_layer_csv(fs::path(VPUCOST_SAMPLES) / "v2" / "layers" /
                                                  (test::device_stem(d) + "_rejected.csv"));
  ASSERT_EQ(rejected.items.size(), 40u);
  for (const LayerRecord& r : rejected.items) {
    const LayerStrategies s = cost_strategies(dpu, r.layer);
    EXPECT_TRUE(s.valid.empty()) << "line " << r.line;
    for (const auto& [strategy, why] : s.not_valid) EXPECT_FALSE(why.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Devices, ShippedLayerModel,
                         ::testing::Values(Device::VPU_2_0, Device::VPU_2_7, Device::VPU_4_0,
                                           Device::NPU_5_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace vpucost
