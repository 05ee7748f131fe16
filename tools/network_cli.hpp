#pragma once
// Options shared by the network commands (lut, net): which predictor, which
// device, which data type, which resolutions. Header-only so that the
// commands stay one source file each.
#include <memory>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "command.hpp"
#include "dataset_cli.hpp"
#include "predict_dma.hpp"
#include "predictor_option.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/search_space.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {

/// Throws vpucost::Error when one of `outputs` (options naming files the
/// command writes) names a file the command reads -- a model, the space or
/// net config, the architecture parameters -- or another output: writing it
/// would destroy the input (`lut --model m.h5 --out m.h5`).
inline void require_outputs_apart(const po::variables_map& vm,
                                  std::initializer_list<const char*> outputs) {
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  for (const char* read :
       {"model", "dma-model", "shave-model", "space", "alpha", "config", "nodes", "onnx"}) {
    if (vm.count(read) && vm[read].as<std::string>() != "roofline") {
      files.emplace_back(std::string("--") + read, vm[read].as<std::string>());
    }
  }
  for (const char* written : outputs) {
    if (vm.count(written) && vm[written].as<std::string>() != "-") {
      files.emplace_back(std::string("--") + written, vm[written].as<std::string>());
    }
  }
  require_distinct_files(files);
}

inline void add_costing_options(po::options_description& options) {
  const std::string device_help =
      names_list<Device>() + " (default: the model's; required without a model)";
  const std::string dtype_help =
      "activation and weight data type: " + names_list<DType>() + " (HF8: NPU_5_0 only)";
  // clang-format off
  options.add_options()
      ("model", po::value<std::string>(),
       "model file (.h5); without it (or 'roofline'), the roofline estimate")
      ("device", po::value<std::string>(), device_help.c_str())
      ("dtype", po::value<std::string>()->default_value("UINT8"), dtype_help.c_str())
      ("mode", po::value<std::string>()->default_value("device"),
       "latency of a layer: device (the default: compute plus the weight fetches the previous "
       "node does not hide -- in a table an entry's first behind its own last node; a network "
       "in order also fetches its input and spills its output), compute (the whole device: best "
       "tiling strategy, weights prefetched, activations in CMX; what the v2 teacher's layer and "
       "network labels measure), ddr (plus the DMA of weights, input and output) or dpu (one "
       "DPU, workloads one after another)")
      ("dpu-only", "the same as --mode dpu")
      ("dma-model", po::value<std::string>(),
       "DMA model file (e.g. models/dma_vpu_4_0.h5) for the weight fetches of --mode device, "
       "--mode ddr and streamed layers (default: the device's roofline DMA)")
      ("shave-model", po::value<std::string>(),
       "SHAVE model file (e.g. models/shave_vpu_4_0.h5) for what runs on the SHAVE cores: "
       "the SHAVE nodes of net --nodes, MobileNetV3's h-swish and SE (--space ofa-mbv3)");
  // clang-format on
}

struct CostingSetup {
  LoadedPredictor loaded;
  Device device = Device::VPU_2_7;
  DType dtype = DType::UINT8;
  LatencyMode mode = LatencyMode::device;
  std::shared_ptr<const DmaModel> dma;  ///< null: the device's roofline DMA
  std::string dma_description = "roofline DMA (no --dma-model)";
  std::shared_ptr<const ShaveModel> shave;  ///< null without --shave-model

  /// The coster of the chosen mode; in device mode (networks in order), the
  /// compute-mode coster of each layer (cost_network_nodes adds the rest).
  /// `via` (e.g. a RecordingPredictor around the loaded one) replaces the
  /// loaded predictor when given, `dma_via` (a DmaQueryRecorder's copy) the
  /// DMA model.
  NetworkCoster coster(const CyclePredictor* via = nullptr,
                       const DmaModel* dma_via = nullptr) const {
    const LatencyMode per_layer = mode == LatencyMode::device ? LatencyMode::compute : mode;
    return NetworkCoster(via ? *via : *loaded.predictor, device, dtype, per_layer,
                         dma_via ? dma_via : dma.get(), shave.get());
  }
  DmaModel dma_model() const { return dma ? *dma : DmaModel(roofline_dma_parts(device)); }
  /// The coster of a latency table or a search (lut, nas, nas-export); in
  /// device mode an entry's first fetch hides behind its last layer (lut.cpp).
  NetworkCoster table_coster(const CyclePredictor* via = nullptr,
                             const DmaModel* dma_via = nullptr) const {
    return NetworkCoster(via ? *via : *loaded.predictor, device, dtype, mode,
                         dma_via ? dma_via : dma.get(), shave.get());
  }
  /// "the whole device (compute), model m.h5 (VPU_4_0)" for the summaries.
  std::string describe() const {
    const std::string where = mode == LatencyMode::dpu_only
                                  ? "one DPU"
                                  : "the whole device, " + std::string(to_string(mode));
    return where + " mode; " + loaded.description +
           (mode == LatencyMode::dpu_only ? "" : "; " + dma_description);
  }
};

inline CostingSetup costing_setup(const po::variables_map& vm) {
  CostingSetup s;
  s.loaded = load_predictor(vm.count("model") ? vm["model"].as<std::string>() : std::string());
  const auto* model = dynamic_cast<const CostModel*>(s.loaded.predictor.get());
  if (vm.count("device")) {
    s.device = parse<Device>(vm["device"].as<std::string>());
    if (model && model->device() != s.device) {
      throw Error("--device " + std::string(to_string(s.device)) +
                  " does not match the model, which is for " +
                  std::string(to_string(model->device())));
    }
  } else if (model) {
    s.device = model->device();
  } else {
    throw Error("--device is required without --model (" + names_list<Device>() + ")");
  }
  s.mode = parse_latency_mode(vm["mode"].as<std::string>());
  if (vm.count("dpu-only")) {
    if (!vm["mode"].defaulted() && s.mode != LatencyMode::dpu_only) {
      throw Error("--dpu-only contradicts --mode " + vm["mode"].as<std::string>());
    }
    s.mode = LatencyMode::dpu_only;
  }
  // The whole device runs workloads that write to several tiles (SOK):
  // a model whose encoding predates output write tiles cannot cost them.
  if (model && s.mode != LatencyMode::dpu_only && model->parts().feature_version < 3) {
    throw Error("the model " + s.loaded.description + " (feature encoding version " +
                std::to_string(model->parts().feature_version) +
                ") cannot cost the whole device: its encoding has no output write tiles or ISI "
                "strategy. Use --mode dpu, or a model of encoding 3 (the shipped models/)");
  }
  if (vm.count("dma-model")) {
    const std::string path = vm["dma-model"].as<std::string>();
    s.dma = std::make_shared<const DmaModel>(load_dma_model_option(path, s.device));
    if (s.dma->device() != s.device) {
      throw Error("DMA model " + path + " is for " + std::string(to_string(s.dma->device())) +
                  ", not " + std::string(to_string(s.device)));
    }
    s.dma_description = "DMA model " + path;
  }
  if (vm.count("shave-model")) {
    const std::string path = vm["shave-model"].as<std::string>();
    s.shave = std::make_shared<const ShaveModel>(load_shave_model(path));
    if (s.shave->device() != s.device) {
      throw Error("SHAVE model " + path + " is for " + std::string(to_string(s.shave->device())) +
                  ", not " + std::string(to_string(s.device)));
    }
  }
  s.dtype = parse<DType>(vm["dtype"].as<std::string>());
  if (!device_has_dtype(s.device, s.dtype)) {
    throw Error("--dtype " + std::string(to_string(s.dtype)) + " does not exist on " +
                std::string(to_string(s.device)));
  }
  return s;
}

/// "224" or "160,176,192,208,224" -> resolutions, each checked.
inline std::vector<int> parse_resolutions(const std::string& text) {
  std::vector<int> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma - start);
    const std::int64_t r = parse_count(item, "resolution");
    if (r < kMinResolution || r > kMaxResolution) {
      throw Error("--resolution " + item + " is outside " + std::to_string(kMinResolution) + ".." +
                  std::to_string(kMaxResolution));
    }
    for (const int seen : out) {
      if (seen == r) throw Error("--resolution lists " + item + " twice");
    }
    out.push_back(static_cast<int>(r));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace vpucost::cli
