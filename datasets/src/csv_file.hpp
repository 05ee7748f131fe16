#pragma once
// Opening recording CSV files, shared by the streaming reader and the
// parallel importer so both refuse a missing file or a directory with the
// same message.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace vpucost::detail {

/// Opens `path` for reading; sets `size` (0 if unknown). Throws
/// vpucost::Error when it is missing, a directory or cannot be opened.
std::FILE* open_csv_file(const std::filesystem::path& path, std::uint64_t& size);

/// The whole file as text (same errors, plus read errors).
std::string read_csv_file(const std::filesystem::path& path);

}  // namespace vpucost::detail
