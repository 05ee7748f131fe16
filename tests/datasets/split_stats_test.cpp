// split: reproducible, descriptor groups on one side, exact size when no
// descriptor repeats, independent of row order. stats: counts, ranges,
// quantiles as numpy computes them, duplicates.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "dataset_test_support.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_split.hpp"
#include "vpucost/dataset_stats.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

std::string key(const Workload& w) {
  return describe(w);
}

std::multiset<std::pair<std::string, double>> rows_of(const DatasetColumns& c) {
  std::multiset<std::pair<std::string, double>> s;
  for (std::size_t i = 0; i < c.size(); ++i) s.insert({key(c.workload(i)), c.cycles(i)});
  return s;
}

// 1000 distinct descriptors, then 200 rows repeating some of them.
DatasetColumns with_repeats() {
  DatasetColumns c = test::varied_columns(1000);
  for (std::size_t i = 0; i < 200; ++i) {
    c.append(c.workload(i * 5 % 1000), 9000.0 + static_cast<double>(i), 1.0);
  }
  return c;
}

TEST(Split, SameSeedSameSplitAndDescriptorsNeverOnBothSides) {
  const DatasetColumns data = with_repeats();
  const SplitResult a = split_dataset(data, 0.2, 1);
  const SplitResult b = split_dataset(data, 0.2, 1);
  EXPECT_EQ(rows_of(a.test), rows_of(b.test));
  EXPECT_EQ(a.train.size() + a.test.size(), data.size());
  EXPECT_EQ(a.groups, 1000u);
  std::set<std::string> train_keys;
  for (std::size_t i = 0; i < a.train.size(); ++i) train_keys.insert(key(a.train.workload(i)));
  for (std::size_t i = 0; i < a.test.size(); ++i) {
    EXPECT_EQ(train_keys.count(key(a.test.workload(i))), 0u) << key(a.test.workload(i));
  }
  // Never more than the target; close to it.
  EXPECT_LE(a.test.size(), 240u);
  EXPECT_GE(a.test.size(), 230u);
  auto all = rows_of(a.train);
  const auto test_rows = rows_of(a.test);
  all.insert(test_rows.begin(), test_rows.end());
  EXPECT_EQ(all, rows_of(data));

  const SplitResult other_seed = split_dataset(data, 0.2, 2);
  EXPECT_NE(rows_of(other_seed.test), rows_of(a.test));
}

TEST(Split, ExactFractionWithoutRepeatsAndIndependentOfRowOrder) {
  const DatasetColumns data = test::varied_columns(1000);
  const SplitResult a = split_dataset(data, 0.25, 7);
  EXPECT_EQ(a.test.size(), 250u);
  EXPECT_EQ(a.test_groups, 250u);
  // The same rows in another order go to the same sides.
  std::vector<std::size_t> order(data.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  DatasetColumns shuffled;
  shuffled.set_has_theoretical_cycles(true);
  for (const std::size_t i : order) shuffled.append_rows(data, i, 1);
  EXPECT_EQ(rows_of(split_dataset(shuffled, 0.25, 7).test), rows_of(a.test));
  // Sides keep the original row order.
  for (std::size_t i = 1; i < a.train.size(); ++i)
    EXPECT_LT(a.train.cycles(i - 1), a.train.cycles(i));
}

TEST(Split, FractionMustBeBetweenZeroAndOne) {
  const DatasetColumns data = test::varied_columns(10);
  EXPECT_THROW(split_dataset(data, 0.0, 1), Error);
  EXPECT_THROW(split_dataset(data, 1.0, 1), Error);
  EXPECT_THROW(split_dataset(data, -0.5, 1), Error);
  const SplitResult empty = split_dataset(DatasetColumns{}, 0.5, 1);
  EXPECT_TRUE(empty.train.empty());
  EXPECT_TRUE(empty.test.empty());
}

TEST(Stats, CountsRangesAndQuantiles) {
  const ImportResult r = import_csv(test::test_data("bad_rows.csv"));
  const DatasetStats s = compute_stats(r.columns);
  EXPECT_EQ(s.rows, 5u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.distinct_descriptors, 4u);
  EXPECT_EQ(s.per_device[static_cast<std::size_t>(Device::VPU_2_7)], 3u);
  EXPECT_EQ(s.per_device[static_cast<std::size_t>(Device::VPU_2_0)], 1u);
  EXPECT_EQ(s.per_device[static_cast<std::size_t>(Device::VPU_4_0)], 1u);
  EXPECT_EQ(s.per_operation[static_cast<std::size_t>(Operation::CONVOLUTION)], 3u);
  EXPECT_EQ(s.per_device_operation[static_cast<std::size_t>(Device::VPU_2_0)]
                                  [static_cast<std::size_t>(Operation::MAXPOOL)],
            1u);
  EXPECT_EQ(s.per_output_dtype[static_cast<std::size_t>(DType::FLOAT16)], 2u);
  EXPECT_EQ(s.per_mode[static_cast<std::size_t>(ExecutionMode::CUBOID_16x16)], 2u);
  const auto range = [&](Column c) {
    for (const auto& v : s.ranges) {
      if (v.column == c) return std::make_pair(v.min, v.max);
    }
    return std::make_pair(std::int64_t{-1}, std::int64_t{-1});
  };
  EXPECT_EQ(range(Column::input_width), std::make_pair(std::int64_t{7}, std::int64_t{56}));
  EXPECT_EQ(range(Column::output_channels), std::make_pair(std::int64_t{32}, std::int64_t{320}));
  // cycles 96, 812, 1234.5, 30746, 31000: numpy.quantile (linear) values.
  ASSERT_TRUE(s.cycles.has_value());
  EXPECT_DOUBLE_EQ(s.cycles->min, 96.0);
  EXPECT_DOUBLE_EQ(s.cycles->p50, 1234.5);
  EXPECT_DOUBLE_EQ(s.cycles->p25, 812.0);
  EXPECT_DOUBLE_EQ(s.cycles->p75, 30746.0);
  EXPECT_DOUBLE_EQ(s.cycles->p95, 30746.0 + 0.8 * 254.0);
  EXPECT_DOUBLE_EQ(s.cycles->p01, 96.0 + 0.04 * 716.0);
  EXPECT_DOUBLE_EQ(s.cycles->max, 31000.0);
  EXPECT_DOUBLE_EQ(s.cycles->mean, (96.0 + 812.0 + 1234.5 + 30746.0 + 31000.0) / 5.0);
  ASSERT_TRUE(s.cycles_per_device[static_cast<std::size_t>(Device::VPU_4_0)].has_value());
  EXPECT_EQ(s.cycles_per_device[static_cast<std::size_t>(Device::VPU_4_0)]->p50, 96.0);
  EXPECT_TRUE(s.has_theoretical_cycles);
  EXPECT_EQ(s.theoretical_missing, 2u);
}

TEST(Stats, StreamingAFileGivesTheSameAsInMemory) {
  test::TempDir dir;
  const DatasetColumns c = test::varied_columns(70000);
  write_dataset_file(dir / "s.h5", c);
  const DatasetStats a = compute_stats(c);
  const DatasetStats b = compute_stats(dir / "s.h5");
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.duplicates, b.duplicates);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < c.size(); ++i) distinct.insert(key(c.workload(i)));
  EXPECT_EQ(a.duplicates, c.size() - distinct.size());
  EXPECT_EQ(a.per_mode, b.per_mode);
  EXPECT_EQ(a.cycles->p99, b.cycles->p99);
  EXPECT_EQ(a.theoretical_missing, b.theoretical_missing);
  const DatasetStats empty = compute_stats(DatasetColumns{});
  EXPECT_EQ(empty.rows, 0u);
  EXPECT_FALSE(empty.cycles.has_value());
}

}  // namespace
}  // namespace vpucost
