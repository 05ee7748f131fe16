#include "vpucost/csv_import.hpp"

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
  detail::DescriptorIndex seen(columns, 1024);
  ImportCounts& counts = result.counts;
  Recording rec;
  const std::uint64_t interval = options.progress_interval > 0 ? options.progress_interval : 1;

  while (reader.next(line)) {
    ++counts.rows_read;
    std::optional<std::string> problem =
        line.problem ? line.problem : layout.parse(line.fields, rec);
    if (problem) {
      result.rejects.push_back({line.number, std::move(*problem), std::string(line.text)});
    } else {
      const std::size_t row = columns.size();
      columns.append(rec.workload, rec.cycles, rec.theoretical_cycles);
      if (seen.insert(row, rec.workload, detail::descriptor_hash(rec.workload)) !=
          detail::DescriptorIndex::kNone) {
        ++counts.duplicates;
      }
    }
    if (options.on_progress && counts.rows_read % interval == 0) {
      options.on_progress(counts.rows_read);
    }
  }
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
