#pragma once
// What a dataset holds: rows per device / operation / mode / dtype, value
// ranges of every integer column, cycle quantiles (overall and per device)
// and repeated descriptors. Accumulated chunk by chunk, so files larger than
// memory can be summarised (memory: 16 bytes per row for quantiles and
// duplicate detection, plus one chunk).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "vpucost/dataset_columns.hpp"

namespace vpucost {

/// Quantiles with linear interpolation between order statistics (numpy's
/// default method), so they can be checked against numpy.quantile.
struct Quantiles {
  double min = 0, p01 = 0, p05 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, p99 = 0, max = 0;
  double mean = 0;
};

struct ValueRange {
  Column column;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

struct DatasetStats {
  std::uint64_t rows = 0;
  std::uint64_t distinct_descriptors = 0;
  /// rows - distinct_descriptors: rows repeating an earlier descriptor.
  /// Counted by 64-bit descriptor hash (a false match is ~1e-9 likely for 10^5 rows).
  std::uint64_t duplicates = 0;
  std::array<std::uint64_t, enum_count<Device>()> per_device{};
  std::array<std::uint64_t, enum_count<Operation>()> per_operation{};
  std::array<std::uint64_t, enum_count<ExecutionMode>()> per_mode{};
  std::array<std::uint64_t, enum_count<DType>()> per_input_dtype{};
  std::array<std::uint64_t, enum_count<DType>()> per_output_dtype{};
  std::array<std::array<std::uint64_t, enum_count<Operation>()>, enum_count<Device>()>
      per_device_operation{};
  std::array<std::uint64_t, enum_count<ActivationFunction>()> per_activation{};
  std::array<std::uint64_t, enum_count<IsiStrategy>()> per_isi_strategy{};
  std::uint64_t output_broadcast = 0;  ///< rows with output_write_tiles > 1
  /// Rows with input / weight sparsity (rate > 0), and with both.
  std::uint64_t input_sparse = 0;
  std::uint64_t weight_sparse = 0;
  std::uint64_t both_sparse = 0;
  /// Quantiles of the non-zero rates (empty when no row is sparse).
  std::optional<Quantiles> input_sparsity;
  std::optional<Quantiles> weight_sparsity;
  /// One entry per Integer column (empty when rows == 0).
  std::vector<ValueRange> ranges;
  std::optional<Quantiles> cycles;  ///< empty when rows == 0
  std::array<std::optional<Quantiles>, enum_count<Device>()> cycles_per_device{};
  bool has_theoretical_cycles = false;
  std::uint64_t theoretical_missing = 0;  ///< rows with no theoretical_cycles value
};

class StatsAccumulator {
 public:
  void add(const DatasetColumns& chunk);
  DatasetStats finish();

 private:
  DatasetStats stats_;
  std::vector<std::uint64_t> hashes_;
  std::array<std::vector<double>, enum_count<Device>()> cycles_;
  std::vector<double> input_rates_;   // the non-zero ones
  std::vector<double> weight_rates_;  // the non-zero ones
  bool theoretical_seen_ = false;
};

DatasetStats compute_stats(const DatasetColumns& columns);
/// Streams an .h5 file in chunks; a .csv is imported in memory (rejects warned).
DatasetStats compute_stats(const std::filesystem::path& path);

/// Quantiles of `values` (sorted in place); values must not be empty.
Quantiles compute_quantiles(std::vector<double>& values);

}  // namespace vpucost
