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

/// At most this many rows per HDF5 chunk of a column; a column is cut into
/// equal chunks (see bench/README.md for the choice).
inline constexpr std::uint64_t kMaxChunkRows = 1 << 16;
/// Rows per chunk for a column of `rows` rows: the fewest chunks of at most
/// kMaxChunkRows, equally sized, so the last one wastes little padding.
std::uint64_t chunk_rows(std::uint64_t rows);

/// How a column is stored: HDF5 integer or float type, little-endian.
struct StoredType {
  bool is_float = false;
  bool is_signed = false;
  std::size_t size = 4;  ///< bytes per value: 1, 2, 4 or 8
};
/// The smallest of uint8/uint16/uint32 (int32 if negative) holding `values`.
StoredType narrowest_type(std::span<const std::int32_t> values);
inline constexpr StoredType kFloat64{true, true, 8};
H5::PredType file_type(StoredType type);
/// Appends the little-endian bytes of `values` stored as `type` (integers
/// are truncated to the type's width, as HDF5 would store them).
void encode(std::span<const std::int32_t> values, StoredType type, std::vector<unsigned char>& out);
void encode(std::span<const double> values, StoredType type, std::vector<unsigned char>& out);

/// CRC-32 (zlib's) of the stored bytes of the columns present, concatenated
/// in schema order (each column's values little-endian in its stored type).
/// Built column-wise, so rows can arrive in chunks.
class ContentChecksum {
 public:
  void add(Column c, std::span<const unsigned char> stored_bytes);
  /// The CRC-32 of column c so far, and setting it from one computed elsewhere
  /// (columns are prepared on several threads).
  unsigned long column_crc(Column c) const { return crc_[static_cast<std::size_t>(c)]; }
  void set_column_crc(Column c, unsigned long crc, std::uint64_t bytes) {
    crc_[static_cast<std::size_t>(c)] = crc;
    bytes_[static_cast<std::size_t>(c)] = bytes;
  }
  /// "crc32:xxxxxxxx" over the given columns (in the order given).
  std::string finish(std::span<const Column> columns) const;

 private:
  std::array<unsigned long, kColumnCount> crc_{};
  std::array<std::uint64_t, kColumnCount> bytes_{};
};

/// Why row `row` may not be stored (invalid workload, cycles not finite and
/// > 0, theoretical_cycles neither NaN nor finite and >= 0), or nullopt.
std::optional<std::string> row_problem(const DatasetColumns& columns, std::size_t row);

/// Columns a file holds, in schema order.
std::vector<Column> present_columns(bool has_theoretical_cycles, bool has_compiler_fields);

// String attributes of dataset files are fixed-length UTF-8 strings, never
// variable-length ones: reading a variable-length string makes libhdf5 1.10
// consult the file's global heap, and a damaged global heap can hang it
// (H5HG__protect loops forever; found by fuzzing, see datasets/README.md).
// Fixed-length strings live in the attribute message itself.

void write_text_attribute(H5::H5Object& obj, const std::string& name, const std::string& value);
void write_string_array_attribute(H5::H5Object& obj, const std::string& name,
                                  const std::vector<std::string>& values);
/// Throws vpucost::Error (naming obj and name) unless it is one fixed-length string.
std::string read_text_attribute(const H5::H5Object& obj, const std::string& name);
/// Throws vpucost::Error (naming obj and name) unless it is a 1-D array of
/// fixed-length strings.
std::vector<std::string> read_string_array_attribute(const H5::H5Object& obj,
                                                     const std::string& name);

/// Now as ISO 8601 UTC, e.g. "2026-11-21T10:22:03Z".
std::string utc_now();

}  // namespace vpucost::detail
