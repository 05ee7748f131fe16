// vpucost import for SHAVE and DMA recording CSVs: the same contract as the
// DPU import (every row written or rejected with its line and reason,
// --rejects, --strict, --json, nothing half-written), into a dataset file
// that records its kind (kind_dataset.hpp).
#include "import_kind.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dataset_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/kind_dataset.hpp"

namespace vpucost::cli {
namespace {

constexpr std::size_t kKindRejectsShown = 10;

template <class Recordings>
int import_rows(const po::variables_map& vm, const Recordings& data,
                const std::filesystem::path& out,
                const std::optional<std::filesystem::path>& rejects_path, WorkloadKind kind,
                std::chrono::steady_clock::time_point start) {
  if (!data.ignored_columns.empty()) {
    std::string list;
    for (const auto& c : data.ignored_columns) list += (list.empty() ? "" : ", ") + c;
    std::cerr << "vpucost import: warning: " << data.source << ": ignored columns " << list << "\n";
  }
  const std::uint64_t rejected = data.rejects.size();
  if (vm.count("strict") && rejected > 0) {
    if (rejects_path) write_rejects_file(*rejects_path, data.rejects);
    throw Error(std::to_string(rejected) + " of " + std::to_string(data.rows_read) + " rows of " +
                data.source + " rejected (--strict), first: line " +
                std::to_string(data.rejects.front().line) + ": " + data.rejects.front().reason +
                "; no dataset written");
  }
  save_kind_dataset(data, out);  // atomically; throws when no row is valid
  if (rejects_path) write_rejects_file(*rejects_path, data.rejects);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_rejects("import", data.rejects, kKindRejectsShown, rejects_path.has_value());
  const std::string device(to_string(data.items.front().device));
  if (vm.count("json")) {
    nlohmann::json j;
    j["kind"] = std::string(to_string(kind));
    j["rows_read"] = data.rows_read;
    j["rows_written"] = data.size();
    j["rows_rejected"] = rejected;
    j["output"] = out.string();
    j["rejects_file"] = rejects_path ? nlohmann::json(rejects_path->string()) : nlohmann::json();
    j["ignored_columns"] = data.ignored_columns;
    j["devices"] = {device};
    nlohmann::json first = nlohmann::json::array();
    for (std::size_t i = 0; i < data.rejects.size() && i < kKindRejectsShown; ++i) {
      first.push_back({{"line", data.rejects[i].line}, {"reason", data.rejects[i].reason}});
    }
    j["first_rejects"] = first;
    j["seconds"] = seconds;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "imported " << data.source << " -> " << out.string() << " ("
            << (kind == WorkloadKind::shave ? "SHAVE operations" : "DMA transfers") << ")\n"
            << "rows read:     " << data.rows_read << "\n"
            << "rows written:  " << data.size() << "\n"
            << "rows rejected: " << rejected
            << (rejects_path ? "  (listed in " + rejects_path->string() + ")" : std::string())
            << "\n"
            << "devices:       " << device << "\n"
            << "time:          " << seconds << " s\n";
  return 0;
}

}  // namespace

int run_import_kind(const po::variables_map& vm, const std::filesystem::path& csv,
                    const std::filesystem::path& out,
                    const std::optional<std::filesystem::path>& rejects_path, WorkloadKind kind) {
  const auto start = std::chrono::steady_clock::now();
  if (kind == WorkloadKind::shave) {
    const ShaveRecordings data = read_shave_csv(csv);
    for (const auto& s : data.items) {
      if (s.device != data.items.front().device) {
        throw Error(csv.string() + " mixes devices (" +
                    std::string(to_string(data.items.front().device)) + " and " +
                    std::string(to_string(s.device)) + "); import one device per file");
      }
    }
    return import_rows(vm, data, out, rejects_path, kind, start);
  }
  const DmaRecordings data = read_dma_csv(csv);
  for (const auto& t : data.items) {
    if (t.device != data.items.front().device) {
      throw Error(csv.string() + " mixes devices (" +
                  std::string(to_string(data.items.front().device)) + " and " +
                  std::string(to_string(t.device)) + "); import one device per file");
    }
  }
  return import_rows(vm, data, out, rejects_path, kind, start);
}

}  // namespace vpucost::cli
