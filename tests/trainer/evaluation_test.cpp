// Error metrics on a hand-checked case.
#include "vpucost/evaluation.hpp"

#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

TEST(Evaluation, SummaryOfAHandCheckedList) {
  // APEs 0.05, 0.10, 0.20, 0.40: mean 0.1875, median (0.10 + 0.20) / 2,
  // within 10%: 2 of 4 (0.10 counts), within 25%: 3 of 4.
  const std::vector<double> ape{0.40, 0.05, 0.20, 0.10};
  const ErrorSummary s = summarise_errors(ape);
  EXPECT_EQ(s.n, 4u);
  EXPECT_DOUBLE_EQ(s.mape, 0.1875);
  EXPECT_DOUBLE_EQ(s.median_ape, 0.15);
  EXPECT_DOUBLE_EQ(s.within_10, 0.5);
  EXPECT_DOUBLE_EQ(s.within_25, 0.75);
  EXPECT_DOUBLE_EQ(summarise_errors(std::vector<double>{0.3, 0.1, 0.2}).median_ape, 0.2);
  EXPECT_EQ(summarise_errors({}).n, 0u);
}

TEST(Evaluation, PerOperationAndWorstRows) {
  Dataset d;
  auto conv = test::conv3x3();
  auto eltwise = conv;
  eltwise.operation = Operation::ELTWISE;
  eltwise.kernel_w = eltwise.kernel_h = 1;
  eltwise.padding = {};
  d.workloads = {conv, conv, eltwise, conv};
  d.cycles = {1000, 2000, 500, 100};
  const std::vector<double> predicted{1100, 1800, 500, 150};  // APE .1 .1 0 .5
  const Evaluation ev = evaluate_predictions(d, predicted, 2);
  EXPECT_EQ(ev.overall.n, 4u);
  EXPECT_NEAR(ev.overall.mape, 0.7 / 4, 1e-12);
  ASSERT_EQ(ev.per_operation.size(), 2u);
  EXPECT_NEAR(ev.per_operation.at(Operation::CONVOLUTION).mape, 0.7 / 3, 1e-12);
  EXPECT_EQ(ev.per_operation.at(Operation::ELTWISE).mape, 0.0);
  EXPECT_DOUBLE_EQ(ev.per_operation.at(Operation::CONVOLUTION).within_10, 2.0 / 3.0);
  ASSERT_EQ(ev.worst.size(), 2u);
  EXPECT_EQ(ev.worst[0].row, 3u);
  EXPECT_DOUBLE_EQ(ev.worst[0].ape, 0.5);
  EXPECT_EQ(ev.worst[0].predicted_cycles, 150);
  EXPECT_EQ(ev.worst[1].row, 0u);  // ties (rows 0 and 1, both ~0.1) go to the lower row
  EXPECT_THROW(evaluate_predictions(d, std::vector<double>{1.0}), Error);
}

TEST(Evaluation, PerSparsityGroup) {
  Dataset d;
  auto dense = test::conv3x3(Device::VPU_4_0);
  auto in = dense;
  in.input_sparsity = 0.5;
  auto weight = dense;
  weight.weight_sparsity = 0.25;
  auto both = in;
  both.weight_sparsity = 0.25;
  d.workloads = {dense, in, in, weight, both};
  d.cycles = {100, 100, 100, 100, 100};
  const std::vector<double> predicted{101, 120, 140, 110, 95};  // APE .01 .2 .4 .1 .05
  const Evaluation ev = evaluate_predictions(d, predicted);
  ASSERT_EQ(ev.per_sparsity.size(), 4u);
  EXPECT_NEAR(ev.per_sparsity.at(SparsityGroup::Dense).mape, 0.01, 1e-12);
  EXPECT_NEAR(ev.per_sparsity.at(SparsityGroup::InputOnly).mape, 0.3, 1e-12);
  EXPECT_EQ(ev.per_sparsity.at(SparsityGroup::InputOnly).n, 2u);
  EXPECT_NEAR(ev.per_sparsity.at(SparsityGroup::WeightOnly).mape, 0.1, 1e-12);
  EXPECT_NEAR(ev.per_sparsity.at(SparsityGroup::Both).mape, 0.05, 1e-12);
  EXPECT_EQ(to_string(SparsityGroup::Both), "both");
  d.workloads = {dense};
  d.cycles = {100};
  EXPECT_EQ(evaluate_predictions(d, std::vector<double>{100}).per_sparsity.size(), 1u);
}

}  // namespace
}  // namespace vpucost
