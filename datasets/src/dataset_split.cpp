#include "vpucost/dataset_split.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "descriptor_index.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

SplitResult split_dataset(const DatasetColumns& data, double test_fraction, std::uint64_t seed) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw Error("test fraction must be between 0 and 1 (exclusive), got " +
                std::to_string(test_fraction));
  }
  const std::size_t n = data.size();

  // Group rows by descriptor: group_of[row] = index into groups.
  struct Group {
    std::uint64_t rank;  // hash of (descriptor, seed): the order groups are considered in
    std::size_t first_row;
    std::size_t rows = 0;
    bool test = false;
  };
  std::vector<Group> groups;
  std::vector<std::size_t> group_of(n);
  std::vector<std::size_t> group_of_first_row(n, detail::DescriptorIndex::kNone);
  detail::DescriptorIndex index(data, n);
  for (std::size_t row = 0; row < n; ++row) {
    const Workload w = data.workload(row);
    const std::uint64_t hash = detail::descriptor_hash(w);
    const std::size_t earlier = index.insert(row, hash);
    if (earlier == detail::DescriptorIndex::kNone) {
      group_of_first_row[row] = groups.size();
      groups.push_back({detail::mix64(hash ^ detail::mix64(seed)), row});
    }
    group_of[row] = group_of_first_row[earlier == detail::DescriptorIndex::kNone ? row : earlier];
    ++groups[group_of[row]].rows;
  }

  // Rank order (ties, i.e. 64-bit collisions, broken by the descriptor's first row).
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a].rank != groups[b].rank ? groups[a].rank < groups[b].rank
                                            : groups[a].first_row < groups[b].first_row;
  });
  const auto target =
      static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(n)));
  std::size_t test_rows = 0;
  SplitResult result;
  for (const std::size_t g : order) {
    if (test_rows + groups[g].rows <= target) {
      groups[g].test = true;
      test_rows += groups[g].rows;
      ++result.test_groups;
    }
  }
  result.groups = groups.size();

  result.train.set_has_theoretical_cycles(data.has_theoretical_cycles());
  result.test.set_has_theoretical_cycles(data.has_theoretical_cycles());
  result.train.reserve(n - test_rows);
  result.test.reserve(test_rows);
  // Copy maximal runs of consecutive rows going to the same side.
  std::size_t run_start = 0;
  for (std::size_t row = 1; row <= n; ++row) {
    const bool side = n > 0 && groups[group_of[run_start]].test;
    if (row == n || groups[group_of[row]].test != side) {
      (side ? result.test : result.train).append_rows(data, run_start, row - run_start);
      run_start = row;
    }
  }
  return result;
}

}  // namespace vpucost
