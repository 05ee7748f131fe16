#pragma once
// Recorded workloads with their measured cycles, in memory: what the trainer
// and `vpucost eval` consume. Files are read by load_dataset.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost {

struct Dataset {
  std::vector<Workload> workloads;  ///< every one valid (validate() passes)
  std::vector<double> cycles;       ///< same length; each finite and > 0
  std::string source;               ///< file(s) it came from, for messages and model metadata

  std::size_t size() const { return workloads.size(); }
};

/// Loads a dataset from an HDF5 file in the datasets/README.md schema (.h5)
/// or a recording CSV (.csv, imported in memory through the same validation
/// as `vpucost import`; rejected rows are left out and reported through a
/// warning naming their count and the first reasons). Throws vpucost::Error.
Dataset load_dataset(const std::filesystem::path& path);

/// Several datasets, loaded as load_dataset does, one after another (rows
/// in the order given; e.g. v1 recordings next to v2 ones, whose missing
/// columns take their defaults). `source` names them all, joined by ",".
Dataset load_datasets(std::span<const std::filesystem::path> paths);

}  // namespace vpucost
