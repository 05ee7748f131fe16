#pragma once
// Opening recording CSV files, shared by the streaming reader and the
// parallel importer so both refuse a missing file or a directory with the
// same message.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost::detail {

/// Opens `path` for reading; sets `size` (0 if unknown). Throws
/// vpucost::Error when it is missing, a directory or cannot be opened.
std::FILE* open_csv_file(const std::filesystem::path& path, std::uint64_t& size);

/// The whole file as text (same errors, plus read errors).
std::string read_csv_file(const std::filesystem::path& path);

/// Reads the header (the first non-blank line) into `line`; throws
/// vpucost::Error naming the file when there is none or it cannot be split.
/// Every recording reader starts here, so all refuse such files alike.
inline void read_header_line(CsvReader& reader, CsvLine& line) {
  if (!reader.next(line)) {
    throw Error(reader.name() + " is empty: expected a header line naming the columns");
  }
  if (line.problem) {
    throw Error(reader.name() + " line " + std::to_string(line.number) +
                " (header): " + *line.problem);
  }
}

}  // namespace vpucost::detail
