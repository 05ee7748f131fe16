// vpucost eval for a SHAVE model: MAPE, median APE and the shares within 10%
// and 25% overall and per operation on a SHAVE recording CSV, and the worst
// operations. Operations the model was not fitted on are counted and named,
// not costed.
#include "eval_shave.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "dataset_cli.hpp"
#include "eval_table.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_dataset.hpp"
#include "vpucost/plot.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {
int run_eval_shave(const po::variables_map& vm) {
  const std::string model_path = vm["model"].as<std::string>();
  const ShaveModel model = load_shave_model(model_path);
  const ShaveRecordings data = read_shave_recordings(vm["data"].as<std::string>());
  warn_rejected_rows("eval", data.source, data.rejects, data.rows_read);
  if (data.size() == 0) throw Error("test data " + data.source + " has no valid rows");
  std::vector<ShaveOperation> costed;
  std::vector<double> truth;
  std::size_t refused = 0;
  std::string first_refusal;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.items[i].device != model.device()) {
      throw Error("model " + model_path + " is for " + std::string(to_string(model.device())) +
                  " but the test data " + data.source + " has " +
                  std::string(to_string(data.items[i].device)) + " rows");
    }
    if (auto why = model.find_unanswerable(data.items[i])) {
      if (refused++ == 0) first_refusal = *why;
      continue;
    }
    costed.push_back(data.items[i]);
    truth.push_back(data.cycles[i]);
  }
  if (costed.empty()) throw Error("the model answers for none of the rows: " + first_refusal);
  std::vector<double> predicted(costed.size());
  const auto start = std::chrono::steady_clock::now();
  model.predict_cycles(costed, predicted);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> ape(costed.size());
  std::map<ShaveOp, std::vector<double>> per_op;
  for (std::size_t i = 0; i < costed.size(); ++i) {
    ape[i] = std::abs(predicted[i] / truth[i] - 1.0);
    per_op[costed[i].operation].push_back(ape[i]);
  }
  const ErrorSummary overall = summarise_errors(ape);
  if (vm.count("plot")) {  // one colour per operation
    std::map<ShaveOp, PlotSeries> series;
    for (std::size_t i = 0; i < costed.size(); ++i) {
      PlotSeries& s = series[costed[i].operation];
      s.label = std::string(to_string(costed[i].operation));
      s.true_cycles.push_back(truth[i]);
      s.predicted_cycles.push_back(predicted[i]);
    }
    std::vector<PlotSeries> all;
    for (auto& [op, s] : series) all.push_back(std::move(s));
    char title[256];
    std::snprintf(title, sizeof title, "SHAVE model on %s: MAPE %.2f%%, %.1f%% within 10%%",
                  data.source.c_str(), 100.0 * overall.mape, 100.0 * overall.within_10);
    plot_predicted_vs_true(all, title, vm["plot"].as<std::string>());
  }
  const auto worst = worst_first(ape, static_cast<std::size_t>(std::max(0, vm["worst"].as<int>())));
  const auto name = [&](std::size_t i) { return describe(costed[i]); };

  if (vm.count("json")) {
    nlohmann::json j = to_json(overall);
    j["kind"] = "shave";
    j["model"] = model_path;
    j["data"] = data.source;
    j["refused"] = refused;
    j["predict_seconds"] = seconds;
    j["per_operation"] = nlohmann::json::object();
    for (const auto& [op, v] : per_op)
      j["per_operation"][std::string(to_string(op))] = to_json(summarise_errors(v));
    j["worst"] = worst_json(worst, ape, truth, predicted, name, "operation");
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "predictor: SHAVE model " << model_path << "\n"
            << "data:      " << data.source << " (" << data.size() << " rows";
  if (refused) std::cout << "; " << refused << " not costed: " << first_refusal;
  std::cout << ")\n\n";
  print_table_header("operation");
  print_row("all", overall);
  for (const auto& [op, v] : per_op) print_row(std::string(to_string(op)), summarise_errors(v));
  print_worst(worst, ape, truth, predicted, name, "operation");
  std::cout << "\nprediction time: " << std::fixed << std::setprecision(2) << seconds * 1e3
            << " ms (" << std::setprecision(3) << seconds * 1e6 / double(costed.size())
            << " us per operation)\n";
  return 0;
}

}  // namespace vpucost::cli
