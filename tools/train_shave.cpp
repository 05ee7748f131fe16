// vpucost train for SHAVE recordings: the closed forms of shave_basis.hpp
// fitted by least squares (trainer/, fit_shave_model) in well under a second,
// so there are no epochs, checkpoints or network options; the model file is
// written atomically at the end like every model.
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dataset_cli.hpp"
#include "kind_training.hpp"
#include "train_options.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_dataset.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/shave_fit.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {

WorkloadKind training_kind(const po::variables_map& vm) {
  if (vm.count("roofline")) {
    if (vm.count("kind") && vm["kind"].as<std::string>() != "dma") {
      throw Error("--roofline writes a DMA model; it does not go with --kind " +
                  vm["kind"].as<std::string>());
    }
    return WorkloadKind::dma;
  }
  if (!vm.count("data")) throw po::required_option("--data");  // a command-line error: exit 2
  if (vm.count("kind")) return parse<WorkloadKind>(vm["kind"].as<std::string>());
  const std::filesystem::path first = split_list(vm["data"].as<std::string>(), "--data").front();
  return first.extension() == ".csv" ? recording_kind(first) : dataset_kind(first);
}

int run_train_shave(const po::variables_map& vm, const std::vector<std::string>& args) {
  refuse_network_only_options(vm, "SHAVE models (closed forms fitted by least squares)");
  const std::filesystem::path out = vm["out"].as<std::string>();
  const auto data_paths = kind_data_paths(vm, out);

  const auto data = read_all_recordings<ShaveRecordings>(
      data_paths, [](const auto& p) { return read_shave_recordings(p); }, "SHAVE operation");
  const auto start = std::chrono::steady_clock::now();
  ShaveModelParts parts = fit_shave_model(data, data.source);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

  record_fit(parts.training, ShaveModel(parts), data, args, took.count());
  auto& t = parts.training;
  t.notes["model"] = "closed forms per operation, data type and parameter (shave_basis v" +
                     std::to_string(kShaveBasisVersion) + ")";
  save_shave_model(parts, out);

  std::size_t numbers = 0;
  for (const auto& g : parts.groups) numbers += g.coefficients.size();
  if (vm.count("json")) {
    nlohmann::json j;
    j["model"] = out.string();
    j["kind"] = "shave";
    j["device"] = std::string(to_string(parts.device));
    j["formulas"] = parts.groups.size();
    j["coefficients"] = numbers;
    j["train_rows"] = data.size();
    j["train_seconds"] = t.train_seconds;
    j["metrics"] = t.metrics;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  char line[160];
  std::snprintf(line, sizeof line, "train:      MAPE %.2f%%, within 10%% %.1f%%\n",
                100 * t.metrics["train_mape"], 100 * t.metrics["train_within_10"]);
  std::cout << "model:      " << out.string() << " (" << to_string(parts.device) << " SHAVE, "
            << parts.groups.size() << " formulas, " << numbers << " coefficients)\n"
            << "rows:       " << data.size() << " train\n"
            << line << "time:       " << std::fixed << std::setprecision(1) << took.count() * 1e3
            << " ms\n";
  return 0;
}

}  // namespace vpucost::cli
