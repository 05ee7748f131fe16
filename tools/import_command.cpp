// vpucost import: a recording CSV -> an HDF5 dataset file, every row either
// written or listed as rejected with its line and reason.
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "import_kind.hpp"
#include "interrupt_guard.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/csv_import.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"

namespace vpucost::cli {
namespace {

constexpr std::size_t kImportRejectsShown = 10;

// Checked between blocks of rows and columns: stopping by throwing removes
// the temporary output files, so nothing is left half-written.
void stop_if_interrupted() {
  if (InterruptGuard::interrupted()) throw Error("interrupted; no dataset written");
}

}  // namespace

int run_import(const std::vector<std::string>& args) {
  po::options_description options("import options");
  // clang-format off
  options.add_options()
      ("csv", po::value<std::string>()->required(), "recording CSV (one workload + cycles per row)")
      ("out", po::value<std::string>()->required(), "dataset file to write (.h5)")
      ("rejects", po::value<std::string>(),
       "also write every rejected row (line, reason, row) to this CSV")
      ("strict", "fail, writing no dataset, if any row is rejected")
      ("json", "print the summary as one JSON object");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("import",
                     "--csv recordings.csv --out recordings.h5 [--rejects rejects.csv] "
                     "[--strict] [--json]",
                     options, args, vm)) {
    return 0;
  }
  const std::filesystem::path csv = vm["csv"].as<std::string>();
  const std::filesystem::path out = vm["out"].as<std::string>();
  const std::optional<std::filesystem::path> rejects_path =
      vm.count("rejects") ? std::optional(std::filesystem::path(vm["rejects"].as<std::string>()))
                          : std::nullopt;
  std::vector<std::pair<std::string, std::filesystem::path>> files = {{"--csv", csv},
                                                                      {"--out", out}};
  if (rejects_path) files.emplace_back("--rejects", *rejects_path);
  require_distinct_files(files);

  // The kind is read from the header of a regular file only: reading it from
  // a pipe would consume it (the DPU import refuses other kinds by header itself).
  if (const WorkloadKind kind =
          std::filesystem::is_regular_file(csv) ? recording_kind(csv) : WorkloadKind::dpu;
      kind != WorkloadKind::dpu) {
    return run_import_kind(vm, csv, out, rejects_path, kind);
  }
  const InterruptGuard interrupts;
  const auto start = std::chrono::steady_clock::now();
  ImportOptions import_options;
  import_options.progress_interval = 16384;
  import_options.on_progress = [](std::uint64_t) { stop_if_interrupted(); };
  const ImportResult result = import_csv(csv, import_options);
  stop_if_interrupted();
  if (const std::string w = ignored_columns_warning(result); !w.empty()) {
    std::cerr << "vpucost import: warning: " << csv.string() << ": " << w << "\n";
  }
  // The rejects file is written first but renamed into place only after the
  // dataset, so a failure leaves neither.
  std::optional<AtomicFile> rejects_file;
  if (rejects_path) {
    rejects_file.emplace(*rejects_path);
    std::ofstream f(rejects_file->temp_path(), std::ios::binary);
    f << rejects_csv(result.rejects);
    f.flush();
    if (!f) throw Error("cannot write " + rejects_path->string());
  }
  const ImportCounts& n = result.counts;
  if (vm.count("strict") && n.rows_rejected > 0) {
    if (rejects_file) rejects_file->commit();
    throw Error(std::to_string(n.rows_rejected) + " of " + std::to_string(n.rows_read) +
                " rows of " + csv.string() + " rejected (--strict), first: line " +
                std::to_string(result.rejects.front().line) + ": " + result.rejects.front().reason +
                "; no dataset written");
  }
  DatasetWriteOptions write;
  write.source_file = csv.filename().string();
  write.import_counts = n;
  write.assume_valid = true;  // import_csv validated every row it kept
  write.on_column_written = [](std::size_t) { stop_if_interrupted(); };
  write_dataset_file(out, result.columns, write);
  if (rejects_file) rejects_file->commit();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  print_rejects("import", result.rejects, kImportRejectsShown, rejects_path.has_value());
  if (result.columns.empty()) {
    std::cerr << "vpucost import: warning: " << out.string() << " holds no rows\n";
  }
  if (vm.count("json")) {
    nlohmann::json j;
    j["rows_read"] = n.rows_read;
    j["rows_written"] = n.rows_written;
    j["rows_rejected"] = n.rows_rejected;
    j["duplicates"] = n.duplicates;
    j["blank_lines"] = n.blank_lines;
    j["output"] = out.string();
    j["rejects_file"] = rejects_path ? nlohmann::json(rejects_path->string()) : nlohmann::json();
    j["ignored_columns"] = result.ignored_columns;
    j["devices"] = device_names(read_dataset_info(out).devices);
    nlohmann::json first = nlohmann::json::array();
    for (std::size_t i = 0; i < result.rejects.size() && i < kImportRejectsShown; ++i) {
      first.push_back({{"line", result.rejects[i].line}, {"reason", result.rejects[i].reason}});
    }
    j["first_rejects"] = first;
    j["seconds"] = seconds;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "imported " << csv.string() << " -> " << out.string() << "\n"
            << "rows read:     " << n.rows_read << "\n"
            << "rows written:  " << n.rows_written << "\n"
            << "rows rejected: " << n.rows_rejected
            << (rejects_path ? "  (listed in " + rejects_path->string() + ")" : std::string())
            << "\n"
            << "duplicates:    " << n.duplicates
            << "  (rows repeating an earlier descriptor; kept)\n";
  if (n.blank_lines > 0) std::cout << "blank lines:   " << n.blank_lines << "  (skipped)\n";
  std::cout << "devices:       " << join(device_names(read_dataset_info(out).devices), ", ") << "\n"
            << "time:          " << seconds << " s\n";
  return 0;
}

}  // namespace vpucost::cli
