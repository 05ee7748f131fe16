// vpucost select: which workloads of a candidate pool to profile on a new
// chip, within a budget (trainer/include/vpucost/workload_selection.hpp says
// how). The pool is read with its cycles column ignored; the chosen rows are
// written exactly as the pool has them, so that a pool of recordings gives
// the "profiled" rows of a simulated study and nothing else.
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/recording_csv.hpp"
#include "vpucost/workload_selection.hpp"

namespace vpucost::cli {
namespace {

// Workloads of a CSV read with its cycles ignored, and each one's line text.
struct WorkloadFile {
  std::string header;
  std::vector<Workload> workloads;
  std::vector<std::string> lines;
  std::vector<std::uint64_t> line_numbers;
  std::uint64_t skipped = 0;
  std::string first_skip;  ///< "line 7: <reason>"
};

WorkloadFile read_workloads(const std::string& path) {
  CsvReader reader{std::filesystem::path(path)};
  CsvLine line;
  if (!reader.next(line)) throw Error(path + " is empty: expected a header line");
  if (line.problem)
    throw Error(path + " line " + std::to_string(line.number) + ": " + *line.problem);
  WorkloadFile f;
  f.header = std::string(line.text);
  const RecordingLayout layout(line.fields, CyclesColumn::Ignored, path);
  Recording rec;
  while (reader.next(line)) {
    std::optional<std::string> problem = line.problem;
    if (!problem) problem = layout.parse(line.fields, rec);
    if (problem) {
      if (f.skipped++ == 0) f.first_skip = "line " + std::to_string(line.number) + ": " + *problem;
      continue;
    }
    f.workloads.push_back(rec.workload);
    f.lines.emplace_back(line.text);
    f.line_numbers.push_back(line.number);
  }
  return f;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int run_select(const std::vector<std::string>& args) {
  po::options_description options("select options");
  // clang-format off
  options.add_options()
      ("models", po::value<std::string>(),
       "comma-separated DPU models whose disagreement marks informative workloads: models of "
       "earlier generations, or an ensemble (one model: coverage only)")
      ("pool", po::value<std::string>(), "candidate workloads (recording CSV; cycles not read)")
      ("budget", po::value<std::int64_t>(), "how many workloads to select")
      ("target", po::value<std::string>(),
       "workloads needed first, e.g. from `vpucost lut --emit-workloads` (recording CSV)")
      ("strategy", po::value<std::string>()->default_value("weighted"),
       "after the target workloads: weighted (random, leaning to model disagreement), random, "
       "or coverage (greedy disagreement x feature-space distance)")
      ("seed", po::value<std::uint64_t>()->default_value(0), "seed of weighted and random")
      ("out", po::value<std::string>(), "the selected pool rows, as the pool has them")
      ("report", po::value<std::string>(),
       "also write pool_line,reason,uncertainty,distance per selected row (CSV)")
      ("quiet", "no progress messages");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("select",
                     "--models a.h5[,b.h5...] --pool candidates.csv --budget N --out "
                     "to_profile.csv [--target lut-workloads.csv] [--report r.csv]",
                     options, args, vm)) {
    return 0;
  }
  for (const char* required : {"pool", "budget", "out"}) {
    if (!vm.count(required)) throw Error(std::string("--") + required + " is required");
  }
  const std::int64_t budget = vm["budget"].as<std::int64_t>();
  if (budget < 1) throw Error("--budget must be at least 1, got " + std::to_string(budget));
  const bool quiet = vm.count("quiet") > 0;
  // Outputs are checked first: a bad --report must not leave --out written,
  // and neither may overwrite a file read.
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  for (const char* read : {"pool", "target"}) {
    if (vm.count(read)) files.emplace_back(std::string("--") + read, vm[read].as<std::string>());
  }
  if (vm.count("models")) {
    for (const std::string& path : split_list(vm["models"].as<std::string>())) {
      files.emplace_back("--models", path);
    }
  }
  for (const char* written : {"out", "report"}) {
    if (!vm.count(written)) continue;
    require_writable(std::string("--") + written, vm[written].as<std::string>());
    files.emplace_back(std::string("--") + written, vm[written].as<std::string>());
  }
  require_distinct_files(files);

  std::vector<CostModel> models;
  if (vm.count("models")) {
    for (const std::string& path : split_list(vm["models"].as<std::string>())) {
      models.push_back(load_model(path));
    }
  }
  std::vector<const CostModel*> model_ptrs;
  for (const CostModel& m : models) model_ptrs.push_back(&m);

  const std::string pool_path = vm["pool"].as<std::string>();
  const WorkloadFile pool = read_workloads(pool_path);
  if (pool.skipped > 0) {
    std::cerr << "select: skipped " << pool.skipped << " invalid row(s) of " << pool_path
              << " (first: " << pool.first_skip << ")\n";
  }
  if (pool.workloads.empty()) throw Error(pool_path + " has no valid workloads");
  WorkloadFile target;
  if (vm.count("target")) {
    target = read_workloads(vm["target"].as<std::string>());
    if (target.skipped > 0) {
      throw Error(vm["target"].as<std::string>() + ": " + target.first_skip);
    }
  }

  SelectionOptions o;
  o.budget = static_cast<std::size_t>(budget);
  o.strategy = parse_selection_strategy(vm["strategy"].as<std::string>());
  o.seed = vm["seed"].as<std::uint64_t>();
  if (!quiet) {
    o.progress = [](std::size_t done, std::size_t total) {
      if (done % 1024 == 0 || done == total) {
        std::cerr << "select: " << done << " of " << total << " selected\n";
      }
    };
  }
  const std::vector<SelectedWorkload> chosen =
      select_workloads(pool.workloads, model_ptrs, target.workloads, o);

  std::string out = pool.header + "\n";
  std::string report = "pool_line,reason,uncertainty,distance\n";
  std::size_t by_reason[3] = {0, 0, 0};
  for (const SelectedWorkload& s : chosen) {
    out += pool.lines[s.pool_index] + "\n";
    report += std::to_string(pool.line_numbers[s.pool_index]) + "," +
              std::string(to_string(s.reason)) + "," + std::to_string(s.uncertainty) + "," +
              std::to_string(s.distance) + "\n";
    ++by_reason[static_cast<int>(s.reason)];
  }
  write_file_atomically(vm["out"].as<std::string>(), out);
  if (vm.count("report")) write_file_atomically(vm["report"].as<std::string>(), report);
  if (!quiet) {
    std::cerr << "select: wrote " << chosen.size() << " of " << pool.workloads.size()
              << " pool workloads to " << vm["out"].as<std::string>() << " (" << by_reason[0]
              << " target, " << by_reason[1] << " nearest to a target, " << by_reason[2]
              << " by strategy " << to_string(o.strategy) << "; " << models.size()
              << " model(s))\n";
  }
  return 0;
}

}  // namespace vpucost::cli
