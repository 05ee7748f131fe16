#pragma once
// Pieces shared by the dataset file writer and reader: the content checksum
// and string-array attributes. Callers hold h5::lock().
#include <H5Cpp.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/dataset_columns.hpp"

namespace vpucost::detail {

/// Rows per HDF5 chunk of every column (see bench/README.md for the choice).
inline constexpr std::uint64_t kChunkRows = 1 << 16;
/// Deflate level (1 = fastest; higher levels gain little on these columns).
inline constexpr unsigned kDeflateLevel = 1;

/// CRC-32 (zlib's) of the columns present, concatenated in schema order, each
/// as little-endian values: int32 for descriptor columns, float64 for cycles
/// and theoretical_cycles. Built column-wise, so rows can arrive in chunks.
class ContentChecksum {
 public:
  void add(Column c, std::span<const std::int32_t> values);
  void add(Column c, std::span<const double> values);
  /// "crc32:xxxxxxxx" over the given columns (in the order given).
  std::string finish(std::span<const Column> columns) const;

 private:
  void add_bytes(Column c, const unsigned char* data, std::size_t size);
  std::array<unsigned long, kColumnCount> crc_{};
  std::array<std::uint64_t, kColumnCount> bytes_{};
};

/// Why row `row` may not be stored (invalid workload, cycles not finite and
/// > 0, theoretical_cycles neither NaN nor finite and >= 0), or nullopt.
std::optional<std::string> row_problem(const DatasetColumns& columns, std::size_t row);

/// Columns a file holds, in schema order.
std::vector<Column> present_columns(bool has_theoretical_cycles);

void write_string_array_attribute(H5::H5Object& obj, const std::string& name,
                                  const std::vector<std::string>& values);
/// Throws vpucost::Error (naming obj and name) unless it is a 1-D string array.
std::vector<std::string> read_string_array_attribute(const H5::H5Object& obj,
                                                     const std::string& name);

/// Now as ISO 8601 UTC, e.g. "2026-11-21T10:22:03Z".
std::string utc_now();

}  // namespace vpucost::detail
