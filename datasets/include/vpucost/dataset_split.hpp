#pragma once
// Train/test split that never puts one descriptor on both sides: rows with
// identical workloads (cycles aside) form a group, and each group goes to one
// side. Reproducible: the same rows and seed give the same split, whatever
// the order of the rows in the file.
#include <cstdint>

#include "vpucost/dataset_columns.hpp"

namespace vpucost {

struct SplitResult {
  DatasetColumns train;  ///< rows in their original order
  DatasetColumns test;
  std::uint64_t groups = 0;       ///< distinct descriptors
  std::uint64_t test_groups = 0;  ///< of which on the test side
};

/// Puts about `test_fraction` (0 < f < 1) of the rows on the test side.
/// Groups are ranked by a hash of (descriptor, seed) and taken into the test
/// side in that order while they fit under round(f * rows), so the test side
/// has exactly that many rows when no descriptor repeats, and never more.
/// Throws vpucost::Error for a fraction outside (0, 1).
SplitResult split_dataset(const DatasetColumns& data, double test_fraction, std::uint64_t seed);

}  // namespace vpucost
