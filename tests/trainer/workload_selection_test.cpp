// `vpucost select`'s library part (issue #18 item 1): the budget, target
// workloads first, determinism for a seed, the models' disagreement, and
// every strategy picking distinct pool workloads.
#include "vpucost/workload_selection.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "vpucost/csv_import.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kSelectionModels = std::filesystem::path(VPUCOST_SOURCE_DIR) / "models";

std::vector<Workload> npu_5_0_pool() {
  const ImportResult r =
      import_csv(std::filesystem::path(VPUCOST_SAMPLES) / "v2" / "npu_5_0_train.csv");
  std::vector<Workload> out;
  for (std::size_t i = 0; i < r.columns.size(); ++i) out.push_back(r.columns.workload(i));
  return out;
}

class Selection : public ::testing::Test {
 protected:
  const std::vector<Workload> pool_ = npu_5_0_pool();
  const CostModel m40_ = load_model(kSelectionModels / "vpu_4_0.h5");
  const CostModel m27_ = load_model(kSelectionModels / "vpu_2_7.h5");
  const std::vector<const CostModel*> models_{&m40_, &m27_};
};

std::set<std::size_t> picked(const std::vector<SelectedWorkload>& s) {
  std::set<std::size_t> out;
  for (const SelectedWorkload& w : s) out.insert(w.pool_index);
  return out;
}

TEST_F(Selection, EveryStrategyRespectsTheBudgetWithDistinctRowsAndRepeatsForASeed) {
  ASSERT_EQ(pool_.size(), 2000u);
  for (const auto strategy :
       {SelectionStrategy::Weighted, SelectionStrategy::Random, SelectionStrategy::Coverage}) {
    SelectionOptions o;
    o.budget = 150;
    o.strategy = strategy;
    o.seed = 7;
    const auto a = select_workloads(pool_, models_, {}, o);
    ASSERT_EQ(a.size(), 150u) << to_string(strategy);
    EXPECT_EQ(picked(a).size(), 150u) << to_string(strategy);
    const auto b = select_workloads(pool_, models_, {}, o);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].pool_index, b[i].pool_index);
    if (strategy != SelectionStrategy::Coverage) {
      o.seed = 8;
      EXPECT_NE(picked(select_workloads(pool_, models_, {}, o)), picked(a)) << "seed ignored";
    }
  }
  SelectionOptions all;
  all.budget = 5000;  // more than the pool: the whole pool, once
  EXPECT_EQ(picked(select_workloads(pool_, models_, {}, all)).size(), pool_.size());
  all.budget = 0;
  EXPECT_THROW(select_workloads(pool_, models_, {}, all), Error);
}

TEST_F(Selection, TargetWorkloadsComeFirstExactOrNearest) {
  std::vector<Workload> target{pool_[17], pool_[1234]};
  Workload absent = pool_[5];
  absent.input.channels = absent.output.channels = 0;  // not a valid workload: refused
  SelectionOptions o;
  o.budget = 10;
  EXPECT_THROW(select_workloads(pool_, models_, std::vector<Workload>{absent}, o), Error);
  // A workload not in the pool: a near copy of row 42 (one more output row).
  Workload near = pool_[42];
  const auto s0 = select_workloads(pool_, models_, target, o);
  EXPECT_EQ(s0[0].pool_index, 17u);
  EXPECT_EQ(s0[0].reason, SelectionReason::TargetExact);
  EXPECT_EQ(s0[1].pool_index, 1234u);
  for (std::size_t i = 2; i < s0.size(); ++i) EXPECT_EQ(s0[i].reason, SelectionReason::Informative);

  near.padding.top = near.padding.top == 0 ? 1 : 0;  // same shapes, other padding
  if (!find_problem(near) && std::find(pool_.begin(), pool_.end(), near) == pool_.end()) {
    const auto s1 = select_workloads(pool_, models_, std::vector<Workload>{near}, o);
    EXPECT_EQ(s1[0].reason, SelectionReason::TargetNearest);
    EXPECT_EQ(s1[0].pool_index, 42u);
  }
  // A budget smaller than the target list stops inside it.
  o.budget = 1;
  EXPECT_EQ(select_workloads(pool_, models_, target, o).size(), 1u);
}

TEST_F(Selection, DisagreementOfTwoGenerationsVariesAndOneModelGivesNone) {
  const auto u = model_uncertainty(pool_, models_);
  ASSERT_EQ(u.size(), pool_.size());
  double lo = 1e9, hi = 0;
  for (const double v : u) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_GE(lo, 1.0);
  EXPECT_GT(hi, lo + 0.1);  // the models disagree more on some workloads
  const std::vector<const CostModel*> one{&m40_};
  for (const double v : model_uncertainty(pool_, one)) EXPECT_EQ(v, 1.0);
  // Weighted selection leans to the workloads the models disagree on.
  SelectionOptions o;
  o.budget = 300;
  double weighted = 0, random = 0;
  for (const auto& s : select_workloads(pool_, models_, {}, o)) weighted += u[s.pool_index];
  o.strategy = SelectionStrategy::Random;
  for (const auto& s : select_workloads(pool_, models_, {}, o)) random += u[s.pool_index];
  EXPECT_GT(weighted, random);
}

}  // namespace
}  // namespace vpucost
