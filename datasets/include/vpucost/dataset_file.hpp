#pragma once
// Dataset files: HDF5 in the schema documented in datasets/README.md
// ("HDF5 schema"): group /dataset with one 1-D dataset per column, chunked,
// shuffled and deflated, with attributes describing the content and a
// CRC-32 checksum of it. Readable with h5py alone.
//
// Reading validates everything: format tag and schema version, column
// presence, shapes and types, every row (validate(), cycles finite and > 0)
// and the checksum; errors name the file, column and row.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/csv_import.hpp"
#include "vpucost/dataset_columns.hpp"

namespace vpucost {

inline constexpr const char* kDatasetFormat = "vpucost-dataset";
/// Schema 2 adds the compiler's five columns (activation_function ..
/// weight_sparsity). A dataset whose rows all have them at their defaults is
/// written in schema 1, exactly as before they existed; both are read.
inline constexpr int kDatasetSchemaVersion = 2;
inline constexpr int kOldestDatasetSchemaVersion = 1;
inline constexpr const char* kDatasetGroup = "dataset";

/// What a dataset file says about itself (its attributes).
struct DatasetInfo {
  std::int64_t schema_version = kDatasetSchemaVersion;
  std::uint64_t rows = 0;
  std::vector<Device> devices;  ///< devices present, in enum order
  std::string source_file;      ///< the CSV (or dataset) it was made from
  std::string created;          ///< ISO 8601 UTC
  std::string checksum;         ///< "crc32:xxxxxxxx", see datasets/README.md
  std::string vpucost_version;
  bool has_theoretical_cycles = false;
  /// Whether the file has the compiler's columns (schema 2).
  bool has_compiler_fields = false;
  /// How the rows were obtained, when the file was made by an import.
  std::optional<ImportCounts> import_counts;
};

struct DatasetWriteOptions {
  std::string source_file;
  std::optional<ImportCounts> import_counts;
  /// Skip checking every row before writing: only for columns that were
  /// just validated (e.g. fresh from import_csv). Readers validate anyway.
  bool assume_valid = false;
  /// Called after each column has been written with its index (0-based).
  /// May throw to abandon the write (tests simulate a failure with it).
  std::function<void(std::size_t column)> on_column_written;
  /// Threads that encode and compress columns (the file content does not
  /// depend on it); 0 = one per hardware thread.
  unsigned threads = 0;
};

/// Writes `columns` to `path` atomically: a temporary file in the same
/// directory, renamed over `path` only once complete. On any error (or an
/// exception from on_column_written) `path` is left as it was and the
/// temporary file is removed. Every row must be valid; throws
/// vpucost::Error naming the first invalid row otherwise.
void write_dataset_file(const std::filesystem::path& path, const DatasetColumns& columns,
                        const DatasetWriteOptions& options = {});

/// One file of write_dataset_files.
struct DatasetOutput {
  std::filesystem::path path;
  const DatasetColumns* columns = nullptr;
  DatasetWriteOptions options;
};

/// Writes several files so that a failure leaves none of them changed: all
/// are written to temporary files first and renamed only when all succeeded.
void write_dataset_files(std::span<const DatasetOutput> outputs);

/// The attributes only (cheap: no column is read).
DatasetInfo read_dataset_info(const std::filesystem::path& path);

/// Loads every column in one pass, validating rows and checksum.
DatasetColumns read_dataset_file(const std::filesystem::path& path, DatasetInfo* info = nullptr);

/// Reads a dataset file in chunks of rows, for files larger than memory.
/// Memory use is proportional to the chunk size, not the file. Rows are
/// validated as they are read; the checksum is verified when the last chunk
/// has been read (read_next then throws if it does not match, which means
/// the rows delivered before were damaged too).
class DatasetFileReader {
 public:
  explicit DatasetFileReader(const std::filesystem::path& path);
  DatasetFileReader(DatasetFileReader&&) noexcept;
  DatasetFileReader& operator=(DatasetFileReader&&) noexcept;
  ~DatasetFileReader();

  const DatasetInfo& info() const;
  /// Rows delivered so far (the index of the next chunk's first row).
  std::uint64_t position() const;

  /// Replaces `chunk` with the next up to `max_rows` rows (max_rows > 0);
  /// returns false, leaving `chunk` empty, when every row has been read.
  bool read_next(DatasetColumns& chunk, std::size_t max_rows);

 private:
  friend DatasetColumns read_dataset_file(const std::filesystem::path&, DatasetInfo*);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Calls `fn(chunk, first_row)` for consecutive chunks of up to `chunk_rows` rows.
void for_each_chunk(
    const std::filesystem::path& path, std::size_t chunk_rows,
    const std::function<void(const DatasetColumns& chunk, std::uint64_t first_row)>& fn);

/// Whether `path` names a CSV file (by its extension, case-insensitively).
bool is_csv_path(const std::filesystem::path& path);

/// Loads a dataset file (.h5) or a recording CSV (.csv, imported in memory;
/// rejected rows are left out and reported through warn()).
DatasetColumns load_dataset_columns(const std::filesystem::path& path);

}  // namespace vpucost
