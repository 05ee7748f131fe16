#pragma once
// Importing a recording CSV: every row is parsed and validated (the workload
// rules of validate() plus: numbers parse, enum names known, cycles present,
// finite and > 0). Valid rows become column arrays; each invalid row becomes
// a RejectedRow with its line number and reason. Nothing is dropped silently:
// rows_read == rows_written + rows_rejected, always.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/dataset_columns.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost {

struct ImportCounts {
  std::uint64_t rows_read = 0;      ///< non-blank lines after the header
  std::uint64_t rows_written = 0;   ///< valid rows, kept in the dataset
  std::uint64_t rows_rejected = 0;  ///< invalid rows, each in ImportResult::rejects
  std::uint64_t duplicates = 0;     ///< kept rows whose descriptor an earlier kept row has
  std::uint64_t blank_lines = 0;    ///< empty or whitespace-only lines, skipped (not rows)
};

struct ImportResult {
  DatasetColumns columns;
  ImportCounts counts;
  std::vector<RejectedRow> rejects;          ///< in file order
  std::vector<std::string> ignored_columns;  ///< header names that are not recording columns
  std::string source;                        ///< the CSV's name
};

struct ImportOptions {
  /// Called after every `progress_interval` rows with the number of rows read
  /// so far. May throw to abandon the import (tests use it to simulate an
  /// interruption).
  std::function<void(std::uint64_t rows_read)> on_progress;
  std::uint64_t progress_interval = 65536;
  /// Threads that parse a file of 1 MiB to 1 GiB (read whole, cut at line
  /// ends, merged in order: the result does not depend on it); 0 = one per
  /// hardware thread. Smaller and larger files are parsed on one thread.
  /// With several, on_progress is called from the calling thread only, with
  /// the rows read by all threads so far.
  unsigned threads = 0;
};

/// Imports a CSV file. Throws vpucost::Error (naming file and what is wrong)
/// only for problems of the whole file: missing or unreadable, no header,
/// a missing required or a duplicated column. Row problems become rejects.
ImportResult import_csv(const std::filesystem::path& csv, const ImportOptions& options = {});

/// Same, on CSV text in memory; `name` stands for the file in messages.
ImportResult import_csv_text(std::string_view text, const std::string& name,
                             const ImportOptions& options = {});

/// Imports rows from an open reader (positioned before the header).
ImportResult import_csv(CsvReader& reader, const ImportOptions& options = {});

/// "ignoring 2 unknown columns: 'block_id' (column 1), 'stage' (column 2)",
/// or empty when there are none.
std::string ignored_columns_warning(const ImportResult& result);

}  // namespace vpucost
