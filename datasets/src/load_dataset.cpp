// load_dataset / load_dataset_columns: one entry point for .h5 and .csv.
#include <algorithm>
#include <cctype>

#include "vpucost/csv_import.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_warnings.hpp"

namespace vpucost {
namespace {

// How many reasons a rejects warning quotes; the count is always given.
constexpr std::size_t kReasonsShown = 3;

void report_csv_problems(const ImportResult& result) {
  if (const std::string ignored = ignored_columns_warning(result); !ignored.empty()) {
    warn(result.source + ": " + ignored);
  }
  if (result.rejects.empty()) return;
  std::string message = result.source + ": " + std::to_string(result.counts.rows_rejected) +
                        " of " + std::to_string(result.counts.rows_read) +
                        " rows rejected and left out (";
  for (std::size_t i = 0; i < result.rejects.size() && i < kReasonsShown; ++i) {
    if (i > 0) message += "; ";
    message += "line " + std::to_string(result.rejects[i].line) + ": " + result.rejects[i].reason;
  }
  if (result.rejects.size() > kReasonsShown) message += "; ...";
  message += "); vpucost import --rejects FILE lists them all";
  warn(message);
}

}  // namespace

bool is_csv_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".csv";
}

DatasetColumns load_dataset_columns(const std::filesystem::path& path) {
  if (!is_csv_path(path)) return read_dataset_file(path);
  ImportResult result = import_csv(path);
  report_csv_problems(result);
  return std::move(result.columns);
}

Dataset load_dataset(const std::filesystem::path& path) {
  return to_dataset(load_dataset_columns(path), path.string());
}

Dataset load_datasets(std::span<const std::filesystem::path> paths) {
  Dataset all;
  for (const auto& path : paths) {
    Dataset d = load_dataset(path);
    all.source += (all.source.empty() ? "" : ",") + d.source;
    all.workloads.insert(all.workloads.end(), d.workloads.begin(), d.workloads.end());
    all.cycles.insert(all.cycles.end(), d.cycles.begin(), d.cycles.end());
  }
  return all;
}

}  // namespace vpucost
