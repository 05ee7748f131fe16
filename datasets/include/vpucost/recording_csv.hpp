#pragma once
// Reading recording CSV files (one DPU workload per row) row by row:
// CsvReader splits lines into fields (fast-cpp-csv-parser underneath), and
// RecordingLayout maps a header onto the recording columns and turns a row's
// fields into a validated Workload, or into a precise reason why not.
// `vpucost import`, load_dataset and `vpucost predict --csv` share them, so
// every path accepts and rejects exactly the same rows.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/dataset_columns.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

/// One non-blank line of a CSV file.
struct CsvLine {
  std::uint64_t number = 0;  ///< 1-based physical line number (the header is usually line 1)
  std::string_view text;     ///< the line as written, without its line end
  /// Fields with surrounding spaces/tabs trimmed and quotes removed ("a""b" -> a"b).
  std::vector<std::string_view> fields;
  /// Set when the line cannot be split (e.g. an unterminated quote); fields is then empty.
  std::optional<std::string> problem;
};

/// Reads CSV text line by line. Accepts LF and CRLF line ends, a UTF-8 byte
/// order mark, RFC 4180 double-quoted fields (a quoted field cannot span
/// lines) and skips blank lines. Views in CsvLine stay valid until the next
/// call of next().
class CsvReader {
 public:
  /// Opens a file; throws vpucost::Error if it is missing, a directory or unreadable.
  explicit CsvReader(const std::filesystem::path& path);
  /// Reads `text` (not copied: it must outlive the reader); `name` is used in
  /// messages. Line numbers continue from `lines_before` (for a piece of a
  /// larger text).
  CsvReader(std::string name, std::string_view text, std::uint64_t lines_before = 0);
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  /// The next non-blank line; false at the end of the input. Throws
  /// vpucost::Error only when the input cannot be read on (an I/O error or a
  /// line longer than 16 MiB).
  bool next(CsvLine& line);

  const std::string& name() const;
  /// Blank (empty or whitespace-only) lines skipped so far.
  std::uint64_t blank_lines() const;
  /// Size of the input in bytes (0 if unknown, e.g. a pipe).
  std::uint64_t size_bytes() const;
  /// Number of the last line read (blank lines included).
  std::uint64_t line_number() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One parsed row.
struct Recording {
  Workload workload;
  double cycles = DatasetColumns::kNoValue;  ///< NaN when not parsed (see RecordingLayout)
  double theoretical_cycles = DatasetColumns::kNoValue;  ///< NaN when absent or empty
};

/// Which columns a reader needs.
enum class CyclesColumn : std::uint8_t {
  Required,  ///< recordings: cycles must be present, finite and > 0
  Ignored,   ///< workloads to predict: cycles (and theoretical_cycles) may be absent; not read
};

/// Where each recording column is in a file, from its header.
class RecordingLayout {
 public:
  /// Maps header fields to columns (any order; unknown names are kept in
  /// unknown_columns()). Throws vpucost::Error naming `source` and the column
  /// when a required column is missing or a column appears twice.
  RecordingLayout(std::span<const std::string_view> header, CyclesColumn cycles,
                  const std::string& source);

  std::size_t field_count() const { return field_count_; }
  bool has(Column c) const { return position_[static_cast<std::size_t>(c)] >= 0; }
  /// Header names that are not recording columns, as "name (column N)".
  const std::vector<std::string>& unknown_columns() const { return unknown_; }

  /// Parses and validates one row. Returns std::nullopt on success, else the
  /// reason, e.g. "column input_width: 'abc' is not an integer" or
  /// "output width 57 does not follow from input width 56, ...".
  std::optional<std::string> parse(std::span<const std::string_view> fields, Recording& out) const;

 private:
  std::optional<std::string> parse_compiler_fields(std::span<const std::string_view> fields,
                                                   Workload& w) const;

  std::array<int, kColumnCount> position_{};
  std::size_t field_count_ = 0;
  CyclesColumn cycles_ = CyclesColumn::Required;
  std::vector<std::string> unknown_;
};

/// One rejected row: where it is, why, and its text as written.
struct RejectedRow {
  std::uint64_t line = 0;
  std::string reason;
  std::string text;
};

/// The rejects file: CSV with columns line,reason,row (reason and row quoted
/// as needed), one line per rejected row.
std::string rejects_csv(std::span<const RejectedRow> rejects);
/// Writes rejects_csv() atomically.
void write_rejects_file(const std::filesystem::path& path, std::span<const RejectedRow> rejects);

/// `text` as one CSV field: quoted (with inner quotes doubled) when it holds
/// a comma, quote, line break or leading/trailing space.
std::string csv_field(std::string_view text);

}  // namespace vpucost
