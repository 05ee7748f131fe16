#pragma once
// Recordings as column arrays: one vector per column of the recording
// schema (datasets/README.md), the form in which datasets are imported,
// stored in HDF5, streamed and summarised. A row is one DPU workload with
// its measured cycles.
#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vpucost/dataset.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

/// The columns of a recording, in schema order. Their names (column_name)
/// are the CSV header names and the HDF5 dataset names. The descriptor's
/// integer-valued columns come first, then its two rates, then the labels.
enum class Column : std::uint8_t {
  device,
  operation,
  input_width,
  input_height,
  input_channels,
  output_width,
  output_height,
  output_channels,
  kernel_width,
  kernel_height,
  stride_width,
  stride_height,
  pad_top,
  pad_bottom,
  pad_left,
  pad_right,
  input_dtype,
  output_dtype,
  execution_mode,
  // The compiler's fields (schema version 2; optional in a CSV, where an
  // absent column means the default: NONE, 1, CLUSTERING, 0, 0).
  activation_function,
  output_write_tiles,
  isi_strategy,
  input_sparsity,
  weight_sparsity,
  cycles,              ///< the label: measured DPU cycles, finite and > 0
  theoretical_cycles,  ///< optional: an analytical estimate, NaN where a row has none
};

inline constexpr std::size_t kColumnCount = 26;
/// device .. isi_strategy: descriptor columns stored as integers (an enum's
/// value or a size).
inline constexpr std::size_t kIntegerColumnCount = 22;
/// device .. weight_sparsity: the whole workload descriptor.
inline constexpr std::size_t kDescriptorColumnCount = 24;
/// The five columns schema version 2 added (activation_function ..
/// weight_sparsity); dataset files of schema 1 and CSVs may lack them.
inline constexpr std::size_t kFirstCompilerColumn = 19;

enum class ColumnKind : std::uint8_t {
  Enum,     ///< a name in the CSV; its enum value (enums.hpp) in memory and in HDF5
  Integer,  ///< a size, kernel, stride, padding or tile count
  Rate,     ///< a sparsity rate in [0, 1)
  Real,     ///< cycles
};

/// Whether `c` is one of the compiler's fields (optional, with a default).
constexpr bool is_compiler_column(Column c) {
  const auto i = static_cast<std::size_t>(c);
  return i >= kFirstCompilerColumn && i < kDescriptorColumnCount;
}

std::string_view column_name(Column c);
ColumnKind column_kind(Column c);
/// Exact (case-sensitive) header name -> column.
std::optional<Column> find_column(std::string_view name);
/// Name table of an enum column (names[value]); empty for other columns.
std::span<const std::string_view> enum_names(Column c);
/// All columns in schema order.
std::span<const Column, kColumnCount> all_columns();

/// Column arrays of a set of recordings. Integer columns hold int32 values
/// (enum columns the enum's value), the rates doubles; appended rows are not
/// validated here (import and the loaders validate before appending).
class DatasetColumns {
 public:
  static constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

  std::size_t size() const { return cycles_.size(); }
  bool empty() const { return cycles_.empty(); }
  void reserve(std::size_t rows);
  void clear();

  /// Whether the theoretical_cycles column is present (it is optional).
  bool has_theoretical_cycles() const { return has_theoretical_; }
  void set_has_theoretical_cycles(bool present);

  /// Appends one row. `theoretical` is ignored unless has_theoretical_cycles().
  void append(const Workload& w, double cycles, double theoretical = kNoValue);
  /// Appends rows [first, first + count) of `other`.
  void append_rows(const DatasetColumns& other, std::size_t first, std::size_t count);

  Workload workload(std::size_t row) const;
  double cycles(std::size_t row) const { return cycles_[row]; }

  /// An integer column (Column::device .. Column::isi_strategy).
  std::span<const std::int32_t> descriptor(Column c) const;
  std::vector<std::int32_t>& descriptor_mut(Column c);
  /// A rate column (Column::input_sparsity or Column::weight_sparsity).
  std::span<const double> rates(Column c) const;
  std::vector<double>& rates_mut(Column c);
  /// Whether any row has a compiler field away from its default: only then
  /// is the file written in schema version 2 (with those five columns).
  bool has_compiler_fields() const;
  std::span<const double> cycles() const { return cycles_; }
  std::vector<double>& cycles_mut() { return cycles_; }
  /// Empty unless has_theoretical_cycles().
  std::span<const double> theoretical_cycles() const { return theoretical_; }
  std::vector<double>& theoretical_cycles_mut() { return theoretical_; }

  /// Throws vpucost::Error unless every column has size() entries.
  void check_lengths() const;

 private:
  std::array<std::vector<std::int32_t>, kIntegerColumnCount> descriptor_;
  std::array<std::vector<double>, kDescriptorColumnCount - kIntegerColumnCount> rates_;
  std::vector<double> cycles_;
  std::vector<double> theoretical_;
  bool has_theoretical_ = false;
};

/// The rows as Workloads (for the Dataset API).
Dataset to_dataset(const DatasetColumns& columns, std::string source);
DatasetColumns to_columns(const Dataset& dataset);

/// rows x kDescriptorColumnCount matrix of the descriptor columns in schema
/// order (enum columns as their value, rates as they are).
Eigen::MatrixXd descriptor_matrix(const DatasetColumns& columns);
/// kFeatureCount x rows matrix of the costmodel feature encoding (column j
/// encodes row j), what the trainer feeds to the MLP. Rows must be valid.
Eigen::MatrixXf feature_matrix(const DatasetColumns& columns);
/// The cycles column as an Eigen vector (a copy).
Eigen::VectorXd cycles_vector(const DatasetColumns& columns);

}  // namespace vpucost
