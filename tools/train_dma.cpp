// vpucost train for DMA recordings: one piecewise-linear curve of bytes per
// direction (dma_model.hpp) fitted by least squares (trainer/, fit_dma_model)
// in milliseconds, so there are no epochs, checkpoints or network options.
// --roofline DEVICE writes the roofline model instead (no data): the shipped
// VPU_2_0 model, whose teacher is VPUNN's theoretical DMA.
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dataset_cli.hpp"
#include "kind_training.hpp"
#include "train_options.hpp"
#include "vpucost/dma_fit.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_dataset.hpp"
#include "vpucost/kind_recordings.hpp"

namespace vpucost::cli {
namespace {

std::size_t knot_count(const DmaModelParts& p) {
  std::size_t n = 0;
  for (const DmaCurve& c : p.curves) n += c.knot_bytes.size();
  return n;
}

int print_dma_summary(const po::variables_map& vm, const DmaModelParts& parts,
                      const std::filesystem::path& out, std::size_t rows, double seconds) {
  const auto& t = parts.training;
  if (vm.count("json")) {
    nlohmann::json j;
    j["model"] = out.string();
    j["kind"] = "dma";
    j["device"] = std::string(to_string(parts.device));
    j["method"] = std::string(to_string(parts.method));
    j["knots"] = knot_count(parts);
    j["train_rows"] = rows;
    j["train_seconds"] = seconds;
    j["metrics"] = t.metrics;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "model:      " << out.string() << " (" << to_string(parts.device) << " DMA, "
            << to_string(parts.method) << ", " << knot_count(parts) << " knots)\n";
  if (parts.method == DmaMethod::roofline) {
    std::cout << "curve:      " << t.notes.at("model") << "\n";
    return 0;
  }
  char line[160];
  std::snprintf(line, sizeof line, "train:      MAPE %.2f%%, within 10%% %.1f%%\n",
                100 * t.metrics.at("train_mape"), 100 * t.metrics.at("train_within_10"));
  std::cout << "rows:       " << rows << " train\n"
            << line << "time:       " << std::fixed << std::setprecision(1) << seconds * 1e3
            << " ms\n";
  return 0;
}

}  // namespace

int run_train_dma(const po::variables_map& vm, const std::vector<std::string>& args) {
  refuse_network_only_options(vm, "DMA models (curves fitted by least squares)");
  const std::filesystem::path out = vm["out"].as<std::string>();
  if (vm.count("roofline")) {
    if (vm.count("data"))
      throw Error("--roofline takes no --data (the curve is the device's DDR bandwidth)");
    DmaModelParts parts = roofline_dma_parts(parse<Device>(vm["roofline"].as<std::string>()));
    parts.training.command = train_command_line(args);
    parts.training.created = utc_now();
    save_dma_model(parts, out);
    return print_dma_summary(vm, parts, out, 0, 0.0);
  }
  const auto data_paths = kind_data_paths(vm, out);
  const auto data = read_all_recordings<DmaRecordings>(
      data_paths, [](const auto& p) { return read_dma_recordings(p); }, "DMA transfer");
  const auto start = std::chrono::steady_clock::now();
  DmaModelParts parts = fit_dma_model(data, data.source);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

  record_fit(parts.training, DmaModel(parts), data, args, took.count());
  auto& t = parts.training;
  t.notes["model"] = "piecewise-linear curve of bytes per direction, " +
                     std::to_string(kDmaKnotsPerOctave) + " knots per octave (dma curve v" +
                     std::to_string(kDmaCurveVersion) + ")";
  save_dma_model(parts, out);
  return print_dma_summary(vm, parts, out, data.size(), took.count());
}

}  // namespace vpucost::cli
