// vpucost eval for a DMA model (or --model roofline): MAPE, median APE and
// the shares within 10% and 25%, overall, per direction and per size band,
// on a DMA recording CSV, and the worst transfers.
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dataset_cli.hpp"
#include "eval_table.hpp"
#include "predict_dma.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_dataset.hpp"
#include "vpucost/plot.hpp"

namespace vpucost::cli {
namespace {

// Size bands where VPUNN's DMA network behaves differently (v2 README): flat
// and non-monotonic below 4 KiB, latency-bound to 64 KiB, bandwidth-bound
// above, out of its training range beyond 2 MiB.
constexpr const char* kSizeBands[] = {"< 4 KiB", "4-64 KiB", "64 KiB-2 MiB", "> 2 MiB"};
std::size_t size_band(std::int64_t bytes) {
  if (bytes < 4096) return 0;
  if (bytes < 65536) return 1;
  if (bytes <= 2097152) return 2;
  return 3;
}

}  // namespace

int run_eval_dma(const po::variables_map& vm) {
  const std::string model_path = vm["model"].as<std::string>();
  const DmaRecordings data = read_dma_recordings(vm["data"].as<std::string>());
  warn_rejected_rows("eval", data.source, data.rejects, data.rows_read);
  if (data.size() == 0) throw Error("test data " + data.source + " has no valid rows");
  const DmaModel model = load_dma_model_option(model_path, data.items.front().device);
  for (const DmaTransfer& t : data.items) {
    if (t.device != model.device()) {
      throw Error("model " + model_path + " is for " + std::string(to_string(model.device())) +
                  " but the test data " + data.source + " has " + std::string(to_string(t.device)) +
                  " rows");
    }
    if (auto why = model.find_unanswerable(t)) throw Error("model " + model_path + ": " + *why);
  }
  std::vector<double> predicted(data.size());
  const auto start = std::chrono::steady_clock::now();
  model.predict_cycles(data.items, predicted);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> ape(data.size());
  // Groups in a fixed order: each direction, then each size band; empty ones skipped.
  std::vector<std::pair<std::string, std::vector<double>>> per_group;
  for (const auto name : EnumInfo<DmaDirection>::names)
    per_group.emplace_back(name, std::vector<double>{});
  for (const char* band : kSizeBands)
    per_group.emplace_back(std::string("bytes ") + band, std::vector<double>{});
  for (std::size_t i = 0; i < data.size(); ++i) {
    ape[i] = std::abs(predicted[i] / data.cycles[i] - 1.0);
    per_group[static_cast<std::size_t>(data.items[i].direction)].second.push_back(ape[i]);
    per_group[enum_count<DmaDirection>() + size_band(transfer_bytes(data.items[i]))]
        .second.push_back(ape[i]);
  }
  std::erase_if(per_group, [](const auto& g) { return g.second.empty(); });
  const ErrorSummary overall = summarise_errors(ape);
  if (vm.count("plot")) {  // one colour per direction
    std::vector<PlotSeries> series(enum_count<DmaDirection>());
    for (std::size_t d = 0; d < series.size(); ++d) {
      series[d].label = std::string(to_string(static_cast<DmaDirection>(d)));
    }
    for (std::size_t i = 0; i < data.size(); ++i) {
      PlotSeries& s = series[static_cast<std::size_t>(data.items[i].direction)];
      s.true_cycles.push_back(data.cycles[i]);
      s.predicted_cycles.push_back(predicted[i]);
    }
    std::erase_if(series, [](const PlotSeries& s) { return s.true_cycles.empty(); });
    char title[256];
    std::snprintf(title, sizeof title, "DMA model on %s: MAPE %.2f%%, %.1f%% within 10%%",
                  data.source.c_str(), 100.0 * overall.mape, 100.0 * overall.within_10);
    plot_predicted_vs_true(series, title, vm["plot"].as<std::string>());
  }
  const auto worst = worst_first(ape, static_cast<std::size_t>(std::max(0, vm["worst"].as<int>())));
  const auto name = [&](std::size_t i) { return describe(data.items[i]); };

  if (vm.count("json")) {
    nlohmann::json j = to_json(overall);
    j["kind"] = "dma";
    j["model"] = model_path;
    j["data"] = data.source;
    j["predict_seconds"] = seconds;
    j["per_group"] = nlohmann::json::object();
    for (const auto& [name, v] : per_group) j["per_group"][name] = to_json(summarise_errors(v));
    j["worst"] = worst_json(worst, ape, data.cycles, predicted, name, "transfer");
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "predictor: "
            << (model_path == "roofline" ? "roofline DMA (DDR bandwidth)"
                                         : "DMA model " + model_path)
            << "\n"
            << "data:      " << data.source << " (" << data.size() << " rows)\n\n";
  print_table_header("group");
  print_row("all", overall);
  for (const auto& [name, v] : per_group) print_row(name, summarise_errors(v));
  print_worst(worst, ape, data.cycles, predicted, name, "transfer");
  std::cout << "\nprediction time: " << std::fixed << std::setprecision(2) << seconds * 1e3
            << " ms (" << std::setprecision(3) << seconds * 1e6 / double(data.size())
            << " us per transfer)\n";
  return 0;
}

}  // namespace vpucost::cli
