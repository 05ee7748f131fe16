#include "vpucost/csv_import.hpp"

#include <algorithm>

#include "descriptor_index.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

ImportResult import_csv(CsvReader& reader, const ImportOptions& options) {
  ImportResult result;
  result.source = reader.name();
  CsvLine line;
  if (!reader.next(line)) {
    throw Error(reader.name() + " is empty: expected a header line naming the columns");
  }
  if (line.problem) {
    throw Error(reader.name() + " line " + std::to_string(line.number) +
                " (header): " + *line.problem);
  }
  const RecordingLayout layout(line.fields, CyclesColumn::Required, reader.name());
  result.ignored_columns = layout.unknown_columns();

  DatasetColumns& columns = result.columns;
  columns.set_has_theoretical_cycles(layout.has(Column::theoretical_cycles));
  // Recording rows are rarely shorter than 64 bytes: sizing for that avoids
  // regrowing the columns and the duplicate index as rows arrive.
  const std::size_t expected_rows =
      static_cast<std::size_t>(std::min<std::uint64_t>(reader.size_bytes() / 64, 1u << 26));
  columns.reserve(expected_rows);
  detail::DescriptorIndex seen(columns, std::max<std::size_t>(expected_rows, 1024));
  ImportCounts& counts = result.counts;
  Recording rec;
  const std::uint64_t interval = options.progress_interval > 0 ? options.progress_interval : 1;

  // Each kept row is registered in the duplicate index one row late: its
  // slot is prefetched first and the next row parsed meanwhile.
  std::size_t pending = detail::DescriptorIndex::kNone;
  std::uint64_t pending_hash = 0;
  const auto register_pending = [&] {
    if (pending != detail::DescriptorIndex::kNone &&
        seen.insert(pending, pending_hash) != detail::DescriptorIndex::kNone) {
      ++counts.duplicates;
    }
    pending = detail::DescriptorIndex::kNone;
  };
  while (reader.next(line)) {
    ++counts.rows_read;
    std::optional<std::string> problem =
        line.problem ? line.problem : layout.parse(line.fields, rec);
    if (problem) {
      result.rejects.push_back({line.number, std::move(*problem), std::string(line.text)});
    } else {
      register_pending();
      pending = columns.size();
      pending_hash = detail::descriptor_hash(rec.workload);
      seen.prefetch(pending_hash);
      columns.append(rec.workload, rec.cycles, rec.theoretical_cycles);
    }
    if (options.on_progress && counts.rows_read % interval == 0) {
      options.on_progress(counts.rows_read);
    }
  }
  register_pending();
  counts.blank_lines = reader.blank_lines();
  counts.rows_written = columns.size();
  counts.rows_rejected = result.rejects.size();
  return result;
}

ImportResult import_csv(const std::filesystem::path& csv, const ImportOptions& options) {
  CsvReader reader(csv);
  return import_csv(reader, options);
}

ImportResult import_csv_text(std::string_view text, const std::string& name,
                             const ImportOptions& options) {
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
