#pragma once
// The row loop of a CSV import, shared by the one-thread path (a streamed
// file) and the parallel one (pieces of a file in memory, one per thread).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "descriptor_index.hpp"
#include "vpucost/csv_import.hpp"

namespace vpucost::detail {

/// The rows of one stretch of a CSV, parsed and validated.
struct ParsedRows {
  DatasetColumns columns;
  std::vector<std::uint64_t> hashes;  ///< descriptor_hash of each kept row
  std::vector<RejectedRow> rejects;
  std::uint64_t rows_read = 0;
  std::uint64_t blank_lines = 0;
};

/// Parses every remaining line of `reader` into `rows`. `tick(rows_read)`
/// runs after every `interval` rows; it may throw to stop.
template <class Tick>
void parse_rows(CsvReader& reader, const RecordingLayout& layout, ParsedRows& rows,
                std::uint64_t interval, Tick&& tick) {
  CsvLine line;
  Recording rec;
  while (reader.next(line)) {
    ++rows.rows_read;
    std::optional<std::string> problem =
        line.problem ? line.problem : layout.parse(line.fields, rec);
    if (problem) {
      rows.rejects.push_back({line.number, std::move(*problem), std::string(line.text)});
    } else {
      rows.hashes.push_back(descriptor_hash(rec.workload));
      rows.columns.append(rec.workload, rec.cycles, rec.theoretical_cycles);
    }
    if (rows.rows_read % interval == 0) tick(rows.rows_read);
  }
  rows.blank_lines = reader.blank_lines();
}

/// Header of a recording CSV: the first non-blank line. Throws vpucost::Error
/// when the input is empty or the header is unusable.
RecordingLayout read_header(CsvReader& reader);

/// Rows whose descriptor an earlier row has.
std::uint64_t count_duplicates(const DatasetColumns& columns,
                               const std::vector<std::uint64_t>& hashes);

/// Row reservation for a stretch of `bytes` bytes: recording rows are rarely
/// shorter than 64 bytes, so the columns seldom regrow.
std::size_t expected_rows(std::uint64_t bytes);

/// The import's result from all rows (duplicates are counted here).
ImportResult finish_import(std::string source, const RecordingLayout& layout, ParsedRows rows);

/// Imports `text` on up to `threads` threads (pieces of at least
/// `min_piece_bytes`, cut at line ends, merged in order: the result equals
/// the one-thread import's). The fuzz target uses tiny pieces to check that.
inline constexpr std::size_t kMinPieceBytes = 512u << 10;
ImportResult import_text_parallel(std::string_view text, const std::string& name,
                                  const ImportOptions& options, unsigned threads,
                                  std::size_t min_piece_bytes = kMinPieceBytes);

}  // namespace vpucost::detail
