#include "vpucost/distillation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <set>
#include <tuple>

#include "../support/test_workloads.hpp"
#include "synthetic.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/workload_limits.hpp"

namespace vpucost {
namespace {

std::vector<std::size_t> all_rows(const Dataset& d) {
  std::vector<std::size_t> rows(d.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

TEST(Distillation, SyntheticWorkloadsAreValidNewMixesOfTheGivenRows) {
  const Dataset d = test::synthetic_dataset(300, 3);
  const auto rows = all_rows(d);
  const auto made = synthesize_workloads(d, rows, 2000, 5);
  ASSERT_EQ(made.size(), 2000u);
  std::set<Operation> recorded_ops;
  std::set<std::int64_t> recorded_channels;
  for (const auto& w : d.workloads) {
    recorded_ops.insert(w.operation);
    recorded_channels.insert(w.input.channels);
    recorded_channels.insert(w.output.channels);
  }
  std::size_t new_ones = 0;
  for (const Workload& w : made) {
    EXPECT_FALSE(find_problem(w).has_value()) << *find_problem(w);
    EXPECT_EQ(w.device, Device::VPU_2_7);
    EXPECT_TRUE(recorded_ops.count(w.operation));
    // Factors are taken from rows, not invented.
    EXPECT_TRUE(recorded_channels.count(w.input.channels));
    EXPECT_TRUE(recorded_channels.count(w.output.channels));
    if (is_channelwise(w.operation)) {
      EXPECT_EQ(w.input.channels, w.output.channels);
    }
    bool recorded = false;
    for (const auto& r : d.workloads) recorded = recorded || r == w;
    new_ones += recorded ? 0 : 1;
  }
  // One factor in seven (the compiler's fields) changes nothing on rows that all keep them at
  // their defaults.
  EXPECT_GT(new_ones, 1300u);
}

TEST(Distillation, CompilerFieldsTravelTogetherFromARow) {
  const Dataset d = test::sparse_synthetic_dataset(400, 6);
  const auto made = synthesize_workloads(d, all_rows(d), 3000, 7);
  using Fields = std::tuple<ActivationFunction, double, double, std::int64_t, IsiStrategy>;
  const auto fields = [](const Workload& w) {
    return Fields{w.activation, w.input_sparsity, w.weight_sparsity, w.output_write_tiles,
                  w.isi_strategy};
  };
  std::set<Fields> recorded;
  for (const auto& w : d.workloads) recorded.insert(fields(w));
  std::size_t moved = 0;  // sparse mixes whose shape comes from another row
  for (const Workload& w : made) {
    EXPECT_FALSE(find_problem(w).has_value());
    EXPECT_TRUE(recorded.count(fields(w)));
    if (w.input_sparsity > 0 || w.weight_sparsity > 0) {
      bool same_shape = false;
      for (const auto& r : d.workloads) {
        same_shape = same_shape || (fields(r) == fields(w) && r.input == w.input);
      }
      moved += same_shape ? 0 : 1;
    }
  }
  EXPECT_GT(moved, 200u);
}

TEST(Distillation, SyntheticWorkloadsAreFixedBySeedAndUseOnlyTheGivenRows) {
  const Dataset d = test::synthetic_dataset(300, 4);
  const auto rows = all_rows(d);
  EXPECT_EQ(synthesize_workloads(d, rows, 100, 1), synthesize_workloads(d, rows, 100, 1));
  EXPECT_NE(synthesize_workloads(d, rows, 100, 1), synthesize_workloads(d, rows, 100, 2));
  // From one row only, every mix is that row again (with its own factors).
  const std::vector<std::size_t> one{17};
  for (const Workload& w : synthesize_workloads(d, one, 20, 3)) EXPECT_EQ(w, d.workloads[17]);
  EXPECT_THROW(synthesize_workloads(d, std::vector<std::size_t>{}, 10, 1), Error);
}

TEST(Distillation, SyntheticWorkloadsFitInTheTileMemoryAsRecordedOnesDo) {
  // Two recorded 3x3 convolutions that fit in VPU_4_0's 1.5 MB: a large map
  // with few channels and a small map with many. Their spatial size and
  // channels mixed (112x112 with 256 in, 256 out) would need far more.
  Dataset d;
  d.source = "two rows";
  Workload big_map = test::conv3x3(Device::VPU_4_0, 16);
  big_map.input.width = big_map.input.height = big_map.output.width = big_map.output.height = 112;
  Workload many_channels = test::conv3x3(Device::VPU_4_0, 256);
  many_channels.input.width = many_channels.input.height = 7;
  many_channels.output.width = many_channels.output.height = 7;
  const std::int64_t cmx = device_spec(Device::VPU_4_0).cmx_bytes;
  for (const Workload& w : {big_map, many_channels}) {
    ASSERT_FALSE(find_problem(w).has_value()) << *find_problem(w);
    ASSERT_LE(cmx_footprint(w).total_bytes, cmx);
    d.workloads.push_back(w);
    d.cycles.push_back(1000.0);
  }
  Workload too_big = many_channels;
  too_big.input.width = too_big.input.height = too_big.output.width = too_big.output.height = 112;
  ASSERT_GT(cmx_footprint(too_big).total_bytes, cmx);

  const auto made = synthesize_workloads(d, all_rows(d), 500, 1);
  ASSERT_EQ(made.size(), 500u);
  std::size_t new_mixes = 0;
  for (const Workload& w : made) {
    EXPECT_LE(cmx_footprint(w).total_bytes, cmx) << describe(w);
    new_mixes += (w == big_map || w == many_channels) ? 0 : 1;
  }
  EXPECT_GT(new_mixes, 50u);  // mixes that fit (e.g. 7x7 with 16 channels) are still made
}

TEST(Distillation, RowsWhoseMixesNeverFitAreRefusedWithTheReason) {
  // A valid descriptor that no DPU could hold: every mix of it is itself.
  Workload too_big = test::conv3x3(Device::VPU_4_0, 256);
  too_big.input.width = too_big.input.height = too_big.output.width = too_big.output.height = 112;
  ASSERT_FALSE(find_problem(too_big).has_value());
  ASSERT_GT(cmx_footprint(too_big).total_bytes, device_spec(Device::VPU_4_0).cmx_bytes);
  Dataset d;
  d.source = "big.csv";
  d.workloads = {too_big};
  d.cycles = {1000.0};
  try {
    synthesize_workloads(d, all_rows(d), 10, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("only 0 of 10 synthetic workloads made in 2000 draws "
                                         "from big.csv"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("tile memory"), std::string::npos) << e.what();
  }
}

TEST(Distillation, LabelsAreTheTeachersGeometricMean) {
  const Dataset d = test::synthetic_dataset(50, 5);
  const std::vector<CostModel> teachers{CostModel(test::random_model(Device::VPU_2_7, {8}, 1)),
                                        CostModel(test::random_model(Device::VPU_2_7, {8}, 2))};
  const Dataset labelled = label_with_teachers(d.workloads, teachers, "synthetic");
  ASSERT_EQ(labelled.size(), d.size());
  EXPECT_EQ(labelled.source, "synthetic");
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double a = teachers[0].predict_cycles(d.workloads[i]);
    const double b = teachers[1].predict_cycles(d.workloads[i]);
    // Labels come from batched predictions, which may differ from single
    // ones in the last float bits.
    EXPECT_NEAR(labelled.cycles[i], std::sqrt(a * b), 1e-5 * std::sqrt(a * b));
    EXPECT_EQ(labelled.workloads[i], d.workloads[i]);
  }
}

TEST(Distillation, ATeacherOfAnotherDeviceIsNamed) {
  const Dataset d = test::synthetic_dataset(10, 6);
  const std::vector<CostModel> teachers{CostModel(test::random_model(Device::VPU_2_7)),
                                        CostModel(test::random_model(Device::VPU_4_0))};
  try {
    label_with_teachers(d.workloads, teachers, "synthetic");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "teacher 2 is a VPU_4_0 model, the data is for VPU_2_7");
  }
  EXPECT_THROW(label_with_teachers(d.workloads, {}, "synthetic"), Error);
}

}  // namespace
}  // namespace vpucost
