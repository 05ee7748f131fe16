#include "vpucost/csv_import.hpp"

#include <algorithm>
#include <thread>

#include "csv_file.hpp"
#include "csv_rows.hpp"
#include "descriptor_index.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

// Below this a file is parsed on one thread: cutting it up would cost more
// than it saves. Above kWholeFileMaxBytes it is streamed on one thread, so
// that memory holds the columns but never the whole text as well.
constexpr std::uint64_t kParallelMinBytes = 1u << 20;
constexpr std::uint64_t kWholeFileMaxBytes = 1ull << 30;

unsigned thread_count(const ImportOptions& options) {
  if (options.threads != 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

namespace detail {

RecordingLayout read_header(CsvReader& reader) {
  CsvLine line;
  read_header_line(reader, line);
  return RecordingLayout(line.fields, CyclesColumn::Required, reader.name());
}

std::uint64_t count_duplicates(const DatasetColumns& columns,
                               const std::vector<std::uint64_t>& hashes) {
  DescriptorIndex seen(columns, std::max<std::size_t>(hashes.size(), 1024));
  // The table outgrows the caches: start loading a slot a few rows ahead.
  constexpr std::size_t kAhead = 8;
  std::uint64_t duplicates = 0;
  for (std::size_t row = 0; row < hashes.size(); ++row) {
    if (row + kAhead < hashes.size()) seen.prefetch(hashes[row + kAhead]);
    if (seen.insert(row, hashes[row]) != DescriptorIndex::kNone) ++duplicates;
  }
  return duplicates;
}

std::size_t expected_rows(std::uint64_t bytes) {
  return static_cast<std::size_t>(std::min<std::uint64_t>(bytes / 64, 1u << 26));
}

ImportResult finish_import(std::string source, const RecordingLayout& layout, ParsedRows rows) {
  ImportResult result;
  result.source = std::move(source);
  result.ignored_columns = layout.unknown_columns();
  result.counts.duplicates = count_duplicates(rows.columns, rows.hashes);
  result.columns = std::move(rows.columns);
  result.rejects = std::move(rows.rejects);
  result.counts.rows_read = rows.rows_read;
  result.counts.blank_lines = rows.blank_lines;
  result.counts.rows_written = result.columns.size();
  result.counts.rows_rejected = result.rejects.size();
  return result;
}

}  // namespace detail

ImportResult import_csv(CsvReader& reader, const ImportOptions& options) {
  const RecordingLayout layout = detail::read_header(reader);
  detail::ParsedRows rows;
  rows.columns.set_has_theoretical_cycles(layout.has(Column::theoretical_cycles));
  const std::size_t expected = detail::expected_rows(reader.size_bytes());
  rows.columns.reserve(expected);
  rows.hashes.reserve(expected);
  const std::uint64_t interval = std::max<std::uint64_t>(options.progress_interval, 1);
  detail::parse_rows(reader, layout, rows, interval, [&](std::uint64_t rows_read) {
    if (options.on_progress) options.on_progress(rows_read);
  });
  return detail::finish_import(reader.name(), layout, std::move(rows));
}

ImportResult import_csv(const std::filesystem::path& csv, const ImportOptions& options) {
  const unsigned threads = thread_count(options);
  std::error_code ec;
  const std::uint64_t size = std::filesystem::is_regular_file(csv, ec)
                                 ? std::filesystem::file_size(csv, ec)
                                 : std::uint64_t{0};
  if (threads > 1 && !ec && size >= kParallelMinBytes && size <= kWholeFileMaxBytes) {
    const std::string text = detail::read_csv_file(csv);
    return detail::import_text_parallel(text, csv.string(), options, threads);
  }
  CsvReader reader(csv);
  return import_csv(reader, options);
}

ImportResult import_csv_text(std::string_view text, const std::string& name,
                             const ImportOptions& options) {
  const unsigned threads = thread_count(options);
  if (threads > 1 && text.size() >= kParallelMinBytes) {
    return detail::import_text_parallel(text, name, options, threads);
  }
  CsvReader reader(name, text);
  return import_csv(reader, options);
}

std::string ignored_columns_warning(const ImportResult& result) {
  if (result.ignored_columns.empty()) return {};
  std::string s = "ignoring " + std::to_string(result.ignored_columns.size()) + " unknown column" +
                  (result.ignored_columns.size() == 1 ? "" : "s") + ": ";
  for (std::size_t i = 0; i < result.ignored_columns.size(); ++i) {
    if (i > 0) s += ", ";
    s += result.ignored_columns[i];
  }
  return s;
}

}  // namespace vpucost
