// vpucost eval: how well a model (or the roofline) predicts recorded cycles:
// MAPE, median APE, shares within 10% and 25%, per operation, the worst
// workloads, and optionally a predicted-vs-true plot.
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "eval_shave.hpp"
#include "eval_table.hpp"
#include "predict_dma.hpp"
#include "predictor_option.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_dataset.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/plot.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost::cli {

int run_eval(const std::vector<std::string>& args) {
  po::options_description options("eval options");
  options.add_options()("model", po::value<std::string>()->required(),
                        "model file (.h5), or 'roofline' for the analytic estimate")(
      "data", po::value<std::string>()->required(), "test data: dataset (.h5) or recording CSV")(
      "json", "print one JSON object (errors and shares as fractions)")(
      "plot", po::value<std::string>(),
      "also draw predicted vs true cycles (log-log) to this PNG "
      "(needs gnuplot)")("worst", po::value<int>()->default_value(10),
                         "how many of the worst workloads to list");
  po::variables_map vm;
  if (!parse_options("eval", "--model M.h5|roofline --data test.(h5|csv) [--json] [--plot out.png]",
                     options, args, vm)) {
    return 0;
  }
  const std::string model_option = vm["model"].as<std::string>();
  if (vm.count("plot")) {
    // The picture must not replace the model or the data it is drawn from.
    std::vector<std::pair<std::string, std::filesystem::path>> files{
        {"--data", vm["data"].as<std::string>()}, {"--plot", vm["plot"].as<std::string>()}};
    if (model_option != "roofline") files.emplace_back("--model", model_option);
    require_distinct_files(files);
    require_writable("--plot", vm["plot"].as<std::string>());
  }
  const int worst_count = vm["worst"].as<int>();
  if (worst_count < 0) throw Error("--worst must be >= 0");
  if (model_option != "roofline") {
    const WorkloadKind kind = model_kind(model_option);
    if (kind == WorkloadKind::shave) return run_eval_shave(vm);
    if (kind == WorkloadKind::dma) return run_eval_dma(vm);
  } else if (const std::filesystem::path data = vm["data"].as<std::string>();
             std::filesystem::is_regular_file(data) &&
             (data.extension() == ".csv" ? recording_kind(data) : dataset_kind(data)) ==
                 WorkloadKind::dma) {
    return run_eval_dma(vm);  // the roofline DMA curve of the data's device
  }
  const LoadedPredictor loaded = load_predictor(model_option);
  const Dataset data = load_dataset(vm["data"].as<std::string>());
  if (data.size() == 0) throw Error("test data " + data.source + " has no rows");
  if (const auto* model = dynamic_cast<const CostModel*>(loaded.predictor.get())) {
    // A model answers for its own device only; say so before costing anything.
    const Device device = single_device(data, "test data");
    if (device != model->device()) {
      throw Error("model " + model_option + " is for " + std::string(to_string(model->device())) +
                  " but the test data " + data.source + " is for " +
                  std::string(to_string(device)));
    }
  }
  std::vector<double> predicted(data.size());
  const auto start = std::chrono::steady_clock::now();
  loaded.predictor->predict_cycles(data.workloads, predicted);
  const double predict_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Evaluation ev =
      evaluate_predictions(data, predicted, static_cast<std::size_t>(worst_count));

  if (vm.count("plot")) {
    std::vector<PlotSeries> series;
    for (const auto& [op, unused] : ev.per_operation) {
      PlotSeries s;
      s.label = std::string(to_string(op));
      for (std::size_t i = 0; i < data.size(); ++i) {
        if (data.workloads[i].operation != op) continue;
        s.true_cycles.push_back(data.cycles[i]);
        s.predicted_cycles.push_back(predicted[i]);
      }
      series.push_back(std::move(s));
    }
    char title[256];
    std::snprintf(title, sizeof title, "%s on %s: MAPE %.2f%%, %.1f%% within 10%%",
                  loaded.description.c_str(), data.source.c_str(), 100.0 * ev.overall.mape,
                  100.0 * ev.overall.within_10);
    plot_predicted_vs_true(series, title, vm["plot"].as<std::string>());
  }

  if (vm.count("json")) {
    nlohmann::json j = to_json(ev.overall);
    j["model"] = model_option;
    j["source"] = std::string(loaded.predictor->source());
    j["data"] = data.source;
    j["predict_seconds"] = predict_seconds;
    j["per_operation"] = nlohmann::json::object();
    for (const auto& [op, s] : ev.per_operation)
      j["per_operation"][std::string(to_string(op))] = to_json(s);
    j["per_sparsity"] = nlohmann::json::object();
    for (const auto& [g, s] : ev.per_sparsity)
      j["per_sparsity"][std::string(to_string(g))] = to_json(s);
    j["worst"] = nlohmann::json::array();
    for (const auto& w : ev.worst) {
      j["worst"].push_back({{"row", w.row},
                            {"workload", describe(data.workloads[w.row])},
                            {"true_cycles", w.true_cycles},
                            {"predicted_cycles", w.predicted_cycles},
                            {"ape", w.ape}});
    }
    if (vm.count("plot")) j["plot"] = vm["plot"].as<std::string>();
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "predictor: " << loaded.description << "\n"
            << "data:      " << data.source << " (" << data.size() << " rows)\n\n"
            << std::left << std::setw(16) << "operation" << std::right << std::setw(8) << "rows"
            << std::setw(10) << "MAPE" << std::setw(12) << "median APE" << std::setw(13)
            << "within 10%" << std::setw(13) << "within 25%"
            << "\n";
  print_row("all", ev.overall);
  for (const auto& [op, s] : ev.per_operation) print_row(std::string(to_string(op)), s);
  // Recordings with sparse workloads: the error per sparsity too.
  if (ev.per_sparsity.size() > 1 || !ev.per_sparsity.contains(SparsityGroup::Dense)) {
    std::cout << "\n"
              << std::left << std::setw(16) << "sparsity"
              << "\n";
    for (const auto& [g, s] : ev.per_sparsity) print_row(std::string(to_string(g)), s);
  }
  if (!ev.worst.empty()) {
    std::cout << "\n"
              << ev.worst.size() << " worst predictions:\n"
              << std::right << std::setw(9) << "APE" << std::setw(12) << "true" << std::setw(12)
              << "predicted"
              << "  workload\n";
    for (const auto& w : ev.worst) {
      std::cout << std::setw(9) << pct(w.ape) << std::setw(12) << std::llround(w.true_cycles)
                << std::setw(12) << std::llround(w.predicted_cycles) << "  "
                << describe(data.workloads[w.row]) << "\n";
    }
  }
  std::cout << "\nprediction time: " << std::fixed << std::setprecision(1) << predict_seconds * 1e3
            << " ms (" << std::setprecision(2) << predict_seconds * 1e6 / double(data.size())
            << " us per workload)\n";
  if (vm.count("plot")) std::cout << "plot:            " << vm["plot"].as<std::string>() << "\n";
  return 0;
}

}  // namespace vpucost::cli
