#include "vpucost/distillation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <set>

#include "../support/test_workloads.hpp"
#include "synthetic.hpp"
#include "vpucost/error.hpp"

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
  EXPECT_GT(new_ones, 1500u);
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
