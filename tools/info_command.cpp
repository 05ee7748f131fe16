// vpucost info: what a model file is, how it was trained, how well it did.
#include <charconv>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {
namespace {

std::string network_shape(const Mlp& mlp) {
  std::string s = std::to_string(mlp.input_size());
  for (const auto& layer : mlp.layers()) s += " -> " + std::to_string(layer.weights.rows());
  return s;
}

// "100000 rows", or for a distilled model "100000 rows and 290000
// teacher-labelled workloads" (TrainingMetadata::rows counts both).
std::string rows_trained_on(const TrainingMetadata& t) {
  const auto synthetic = t.notes.find("synthetic_rows");
  std::uint64_t made = 0;
  if (synthetic != t.notes.end()) {
    const std::string& v = synthetic->second;
    std::from_chars(v.data(), v.data() + v.size(), made);
  }
  if (made == 0 || made > t.rows) return std::to_string(t.rows) + " rows";
  return std::to_string(t.rows - made) + " rows and " + std::to_string(made) +
         " teacher-labelled workloads";
}

// A SHAVE model: its formulas, one line each (operation, loop shape, rows,
// training MAPE), and the training record.
int print_shave_info(const std::string& path, bool json) {
  const ShaveModel model = load_shave_model(path);
  const ShaveModelParts& p = model.parts();
  const TrainingMetadata& t = p.training;
  if (json) {
    nlohmann::json j;
    j["file"] = path;
    j["kind"] = "shave";
    j["device"] = std::string(to_string(p.device));
    j["shave_basis_version"] = p.basis_version;
    j["formulas"] = nlohmann::json::array();
    for (const ShaveGroupFit& g : p.groups) {
      j["formulas"].push_back({{"operation", std::string(to_string(g.key.operation))},
                               {"dtype", std::string(to_string(g.key.dtype))},
                               {"param", g.key.param},
                               {"vector", g.shape.vector},
                               {"unroll", g.shape.unroll},
                               {"coefficients", g.coefficients},
                               {"rows", g.rows},
                               {"train_mape", g.train_mape}});
    }
    j["training"] = {{"dataset", t.dataset}, {"rows", t.rows},       {"command", t.command},
                     {"created", t.created}, {"metrics", t.metrics}, {"notes", t.notes}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "model:            " << path << "\n"
            << "kind:             SHAVE operations (cycles at the DPU clock, one SHAVE core)\n"
            << "device:           " << to_string(p.device) << "\n"
            << "formulas:         " << p.groups.size() << " closed forms (shave_basis version "
            << p.basis_version << "), per operation, data type and parameter:\n";
  for (const ShaveGroupFit& g : p.groups) {
    std::cout << "  " << std::left << std::setw(15) << to_string(g.key.operation) << std::setw(8)
              << to_string(g.key.dtype) << " param " << g.key.param << "  vector " << std::setw(3)
              << g.shape.vector << " unroll " << std::setw(3) << g.shape.unroll << std::right
              << std::setw(6) << g.rows << " rows, train MAPE " << std::fixed
              << std::setprecision(2) << 100 * g.train_mape << "%\n";
  }
  std::cout << "trained on:       " << (t.dataset.empty() ? "(not recorded)" : t.dataset) << " ("
            << t.rows << " rows)\n"
            << "created:          " << t.created << "\n"
            << "command:          " << t.command << "\n";
  return 0;
}

// A DMA model: per direction, its knots' range, a few points of the curve
// (cycles and bytes per cycle at 4 KiB, 64 KiB, 1 MiB) and the training record.
int print_dma_info(const std::string& path, bool json) {
  const DmaModel model = load_dma_model(path);
  const DmaModelParts& p = model.parts();
  const TrainingMetadata& t = p.training;
  constexpr double kProbes[] = {4096.0, 65536.0, 1048576.0};
  if (json) {
    nlohmann::json j;
    j["file"] = path;
    j["kind"] = "dma";
    j["device"] = std::string(to_string(p.device));
    j["method"] = std::string(to_string(p.method));
    j["dma_curve_version"] = p.curve_version;
    j["curves"] = nlohmann::json::object();
    for (std::size_t d = 0; d < p.curves.size(); ++d) {
      const DmaCurve& c = p.curves[d];
      if (c.empty()) continue;
      j["curves"][std::string(to_string(static_cast<DmaDirection>(d)))] = {
          {"knot_bytes", c.knot_bytes},
          {"knot_cycles", c.knot_cycles},
          {"rows", c.rows},
          {"train_mape", c.train_mape}};
    }
    j["training"] = {{"dataset", t.dataset}, {"rows", t.rows},       {"command", t.command},
                     {"created", t.created}, {"metrics", t.metrics}, {"notes", t.notes}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "model:            " << path << "\n"
            << "kind:             DMA transfers (DPU cycles)\n"
            << "device:           " << to_string(p.device) << "\n"
            << "method:           " << to_string(p.method) << " (curve version " << p.curve_version
            << ")" << (t.notes.count("model") ? ": " + t.notes.at("model") : "") << "\n";
  for (std::size_t d = 0; d < p.curves.size(); ++d) {
    const DmaCurve& c = p.curves[d];
    const DmaDirection direction = static_cast<DmaDirection>(d);
    if (c.empty()) {
      std::cout << "  " << std::left << std::setw(11) << to_string(direction) << std::right
                << "no curve\n";
      continue;
    }
    std::cout << "  " << std::left << std::setw(11) << to_string(direction) << std::right
              << c.knot_bytes.size() << " knots, " << std::llround(c.knot_bytes.front()) << ".."
              << std::llround(c.knot_bytes.back()) << " bytes, " << c.rows << " rows, train MAPE "
              << std::fixed << std::setprecision(2) << 100 * c.train_mape << "%\n"
              << "             ";
    for (double b : kProbes) {
      const double cycles = model.predict_bytes(direction, b);
      std::cout << "  " << std::llround(b / 1024) << " KiB: " << std::llround(cycles) << " cycles ("
                << std::setprecision(1) << b / cycles << " B/cycle)";
    }
    std::cout << "\n";
  }
  std::cout << "trained on:       "
            << (t.dataset.empty() ? "(none: " + std::string(to_string(p.method)) + ")" : t.dataset)
            << " (" << t.rows << " rows)\n"
            << "created:          " << t.created << "\n"
            << "command:          " << t.command << "\n";
  return 0;
}

}  // namespace

int run_info(const std::vector<std::string>& args) {
  po::options_description options("info options");
  options.add_options()("model", po::value<std::string>()->required(), "model file (.h5)")(
      "json", "print one JSON object");
  po::positional_options_description positional;
  positional.add("model", 1);
  po::variables_map vm;
  if (!parse_options("info", "M.h5 [--json]", options, args, vm, &positional)) return 0;
  const std::string path = vm["model"].as<std::string>();
  const WorkloadKind kind = model_kind(path);
  if (kind == WorkloadKind::shave) return print_shave_info(path, vm.count("json") > 0);
  if (kind == WorkloadKind::dma) return print_dma_info(path, vm.count("json") > 0);
  const CostModel model = load_model(path);
  const ModelParts& p = model.parts();
  const TrainingMetadata& t = p.training;

  if (vm.count("json")) {
    nlohmann::json j;
    j["file"] = path;
    j["device"] = std::string(to_string(p.device));
    j["dpu_clock_mhz"] = device_spec(p.device).dpu_clock_mhz;
    j["feature_encoding_version"] = p.feature_version;
    j["network"] = network_shape(p.mlp);
    j["activation"] = std::string(to_string(p.mlp.activation()));
    j["parameters"] = p.mlp.parameter_count();
    j["training"] = {{"dataset", t.dataset},
                     {"rows", t.rows},
                     {"command", t.command},
                     {"created", t.created},
                     {"train_seconds", t.train_seconds},
                     {"metrics", t.metrics},
                     {"notes", t.notes}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "model:            " << path << "\n"
            << "device:           " << to_string(p.device) << " (DPU clock "
            << device_spec(p.device).dpu_clock_mhz << " MHz)\n"
            << "feature encoding: version " << p.feature_version
            << (p.feature_version < 3 ? " (before the compiler's fields: workloads with an "
                                        "activation, sparsity, output write tiles > 1, an ISI "
                                        "strategy or HF8 are refused)"
                                      : "")
            << "\n"
            << "network:          " << network_shape(p.mlp) << ", " << to_string(p.mlp.activation())
            << ", " << p.mlp.parameter_count() << " parameters, predicts log-cycles\n"
            << "trained on:       " << (t.dataset.empty() ? "(not recorded)" : t.dataset) << " ("
            << rows_trained_on(t) << ")\n"
            << "created:          " << t.created << "\n"
            << "training time:    " << std::fixed << std::setprecision(1) << t.train_seconds
            << " s\n"
            << "command:          " << t.command << "\n";
  if (!t.metrics.empty()) {
    std::cout << "metrics:\n";
    for (const auto& [k, v] : t.metrics) {
      std::cout << "  " << std::left << std::setw(22) << k << std::setprecision(4) << v << "\n";
    }
  }
  if (!t.notes.empty()) {
    std::cout << "notes:\n";
    for (const auto& [k, v] : t.notes)
      std::cout << "  " << std::left << std::setw(22) << k << v << "\n";
  }
  return 0;
}

}  // namespace vpucost::cli
