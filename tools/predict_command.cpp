// vpucost predict: cycles of one workload described on the command line.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli_args.hpp"
#include "command.hpp"
#include "dataset_cli.hpp"
#include "predict_csv.hpp"
#include "predict_dma.hpp"
#include "predict_shave.hpp"
#include "predictor_option.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/network_cost.hpp"

namespace vpucost::cli {
namespace {

std::string opt(const po::variables_map& vm, const char* name, std::string fallback = {}) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

Workload workload_from_options(const po::variables_map& vm, const CyclePredictor& predictor) {
  Workload w;
  if (vm.count("device")) {
    w.device = parse<Device>(opt(vm, "device"));
  } else if (const auto* model = dynamic_cast<const CostModel*>(&predictor)) {
    w.device = model->device();
  } else {
    throw Error("--device is required without --model (" + names_list<Device>() + ")");
  }
  if (!vm.count("op")) throw Error("--op is required (" + names_list<Operation>() + ")");
  w.operation = parse<Operation>(opt(vm, "op"));
  if (!vm.count("input")) throw Error("--input WIDTHxHEIGHTxCHANNELS is required");
  const auto in = parse_shape(opt(vm, "input"), "input");
  w.input = {in[0], in[1], in[2], parse<DType>(opt(vm, "dtype", "UINT8"))};
  const auto kernel = parse_pair(opt(vm, "kernel", "1x1"), "kernel");
  const auto stride = parse_pair(opt(vm, "stride", "1x1"), "stride");
  w.kernel_w = kernel[0];
  w.kernel_h = kernel[1];
  w.stride_w = stride[0];
  w.stride_h = stride[1];
  w.padding = parse_padding(opt(vm, "pad", "0"), "pad");
  w.output.dtype = vm.count("output-dtype") ? parse<DType>(opt(vm, "output-dtype")) : w.input.dtype;
  if (vm.count("output")) {
    const auto out = parse_shape(opt(vm, "output"), "output");
    w.output.width = out[0];
    w.output.height = out[1];
    w.output.channels = out[2];
  } else if (is_channelwise(w.operation)) {
    // Channel-wise operations have one possible output; spare the user typing it.
    w.output.width = expected_output_size(w.input.width, w.padding.left, w.padding.right,
                                          w.kernel_w, w.stride_w);
    w.output.height = expected_output_size(w.input.height, w.padding.top, w.padding.bottom,
                                           w.kernel_h, w.stride_h);
    w.output.channels = w.input.channels;
  } else {
    throw Error("--output WIDTHxHEIGHTxCHANNELS is required for " +
                std::string(to_string(w.operation)));
  }
  if (vm.count("mode")) w.mode = parse<ExecutionMode>(opt(vm, "mode"));
  if (vm.count("activation")) w.activation = parse<ActivationFunction>(opt(vm, "activation"));
  if (vm.count("input-sparsity")) w.input_sparsity = vm["input-sparsity"].as<double>();
  if (vm.count("weight-sparsity")) w.weight_sparsity = vm["weight-sparsity"].as<double>();
  if (vm.count("output-write-tiles")) {
    w.output_write_tiles = vm["output-write-tiles"].as<std::int64_t>();
  }
  if (vm.count("isi")) w.isi_strategy = parse<IsiStrategy>(opt(vm, "isi"));
  return w;
}

// The compiler's fields of the costed workload, for --json.
void add_compiler_fields(nlohmann::json& j, const Workload& w) {
  j["activation"] = std::string(to_string(w.activation));
  j["input_sparsity"] = w.input_sparsity;
  j["weight_sparsity"] = w.weight_sparsity;
  j["output_write_tiles"] = w.output_write_tiles;
  j["isi_strategy"] = std::string(to_string(w.isi_strategy));
}

// A workload beyond what one DPU workload may hold (depthwise/pool channels
// on VPU_2_7/4_0, CMX capacity) runs as several workloads: report the cost of
// what the hardware runs, the sum over the split (workload_split.hpp).
int print_split_prediction(const po::variables_map& vm, const LoadedPredictor& loaded,
                           const std::string& model_path, const Workload& w) {
  const auto mode = vm.count("mode") ? std::optional<ExecutionMode>(w.mode) : std::nullopt;
  const WorkloadCost cost = cost_workload(*loaded.predictor, w, mode);
  const double us = cycles_to_microseconds(w.device, cost.cycles);
  std::string modes = std::string(to_string(cost.workloads.front().workload.mode));
  for (const CostedWorkload& piece : cost.workloads) {
    if (piece.workload.mode != cost.workloads.front().workload.mode) modes = "best_per_workload";
  }
  const std::string why = cost.split_reason == SplitReason::DepthwiseChannels
                              ? "one workload takes 16, 32 or 64 channels on this device"
                              : "it does not fit in the CMX tile memory as one workload";
  if (vm.count("json")) {
    nlohmann::json j{{"cycles", cost.cycles},
                     {"microseconds", us},
                     {"source", std::string(loaded.predictor->source())},
                     {"device", std::string(to_string(w.device))},
                     {"execution_mode", modes},
                     {"mode_chosen", !mode.has_value()},
                     {"workloads", cost.workloads.size()},
                     {"split", cost.split},
                     {"split_reason", std::string(to_string(cost.split_reason))},
                     {"split_workloads", nlohmann::json::array()}};
    add_compiler_fields(j, w);
    for (const CostedWorkload& piece : cost.workloads) {
      j["split_workloads"].push_back(
          {{"workload", describe(piece.workload)}, {"cycles", piece.cycles}});
    }
    if (!model_path.empty() && model_path != "roofline") j["model"] = model_path;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << describe(cost.whole) << (mode ? "" : "  (fastest mode per workload)") << "\n"
            << "split into " << cost.workloads.size() << " workloads (" << cost.split
            << "): " << why << "; cycles are their sum\n";
  for (std::size_t i = 0; i < cost.workloads.size(); ++i) {
    std::cout << "  " << i + 1 << ": " << describe(cost.workloads[i].workload) << "  "
              << std::llround(cost.workloads[i].cycles) << " cycles\n";
  }
  std::cout << "cycles:       " << std::llround(cost.cycles) << "\n"
            << "microseconds: " << std::fixed << std::setprecision(3) << us << "  (DPU clock "
            << std::setprecision(0) << device_spec(w.device).dpu_clock_mhz << " MHz)\n"
            << "source:       " << loaded.description << "\n";
  return 0;
}

}  // namespace

int run_predict(const std::vector<std::string>& args) {
  po::options_description options("predict options");
  const std::string device_help = names_list<Device>() + " (default: the model's)";
  const std::string dtype_help = "input dtype " + names_list<DType>() + " (default UINT8)";
  options.add_options()("model", po::value<std::string>(),
                        "model file (.h5); without it, the roofline estimate")(
      "device", po::value<std::string>(), device_help.c_str())(
      "op", po::value<std::string>(),
      "CONVOLUTION, DW_CONVOLUTION, CM_CONVOLUTION, ELTWISE, "
      "MAXPOOL or AVEPOOL")("input", po::value<std::string>(),
                            "input tensor WIDTHxHEIGHTxCHANNELS, e.g. 56x56x64")(
      "output", po::value<std::string>(),
      "output tensor WIDTHxHEIGHTxCHANNELS (derived for "
      "channel-wise operations when omitted)")("kernel", po::value<std::string>(),
                                               "kernel WIDTHxHEIGHT (default 1x1)")(
      "stride", po::value<std::string>(), "stride WIDTHxHEIGHT (default 1x1)")(
      "pad", po::value<std::string>(), "padding TOP,BOTTOM,LEFT,RIGHT (default 0,0,0,0)")(
      "dtype", po::value<std::string>(), dtype_help.c_str())(
      "output-dtype", po::value<std::string>(), "output dtype (default: the input's)")(
      "mode", po::value<std::string>(),
      "execution mode; when omitted, the fastest of the "
      "device's modes (what a compiler picks)")(
      "json", "print one JSON object: cycles, microseconds, source, ...")(
      "kind", po::value<std::string>(),
      "dpu (default), shave or dma: what is costed (default: the --model file's kind)")(
      "direction", po::value<std::string>(), "DMA transfers: DDR_TO_CMX or CMX_TO_DDR")(
      "tensor", po::value<std::string>(),
      "DMA transfers: the tensor moved, WIDTHxHEIGHTxCHANNELS (with --dtype, default UINT8)")(
      "bytes", po::value<std::int64_t>(), "DMA transfers: bytes moved, instead of --tensor")(
      "param", po::value<int>(),
      "SHAVE operations: softmax axis (1 C, 2 H, 3 W), mvn axes (1-3), depth_to_space block "
      "or interpolate scale (default 2)");
  po::options_description compiler("the compiler's fields (defaults: a dense workload)");
  compiler.add_options()("activation", po::value<std::string>(),
                         "activation applied to the output: NONE (default), RELU or LRELU")(
      "input-sparsity", po::value<double>(),
      "activation sparsity rate in [0, 1) (default 0: dense; CONVOLUTION with >= 16 input "
      "channels and ELTWISE)")("weight-sparsity", po::value<double>(),
                               "weight sparsity rate in [0, 1) (default 0; ELTWISE: the second "
                               "operand)")(
      "output-write-tiles", po::value<std::int64_t>(),
      "tiles the output is written to, 1 (default) .. the device's tiles")(
      "isi", po::value<std::string>(),
      "inter-slice strategy: CLUSTERING (default), SPLIT_OVER_H or SPLIT_OVER_K");
  options.add(compiler);
  add_predict_csv_options(options);
  po::variables_map vm;
  if (!parse_options("predict",
                     "[--model M.h5] --device D --op OP --input WxHxC [...]\n"
                     "       vpucost predict [--model M.h5] --csv workloads.csv [--out P.csv]",
                     options, args, vm)) {
    return 0;
  }
  const std::string model_path = opt(vm, "model");
  const WorkloadKind kind = vm.count("kind") ? parse<WorkloadKind>(opt(vm, "kind"))
                            : !model_path.empty() && model_path != "roofline"
                                ? model_kind(model_path)
                                : WorkloadKind::dpu;
  if (kind == WorkloadKind::shave) return run_predict_shave(vm);
  if (kind == WorkloadKind::dma) return run_predict_dma(vm);
  if (vm.count("param")) throw Error("--param describes a SHAVE operation (--kind shave)");
  for (const char* name : {"direction", "tensor", "bytes"}) {
    if (vm.count(name)) {
      throw Error(std::string("--") + name + " describes a DMA transfer (--kind dma)");
    }
  }
  const LoadedPredictor loaded = load_predictor(model_path);
  if (vm.count("csv")) return run_predict_csv(vm, loaded, model_path);
  refuse_options(vm, {"out", "rejects", "strict"}, "needs --csv");
  Workload w = workload_from_options(vm, *loaded.predictor);
  Workload probe = w;
  if (!vm.count("mode")) probe.mode = operation_modes(w.device, w.operation).front();
  validate(probe);
  if (split_reason(probe) != SplitReason::None) {
    return print_split_prediction(vm, loaded, model_path, probe);
  }

  double cycles = 0.0;
  bool mode_chosen = false;
  if (vm.count("mode")) {
    cycles = loaded.predictor->predict_cycles(w);
  } else {
    // The fastest of the modes the device runs this operation in.
    const auto modes = operation_modes(w.device, w.operation);
    cycles = std::numeric_limits<double>::infinity();
    ExecutionMode best = modes.front();
    for (const ExecutionMode mode : modes) {
      w.mode = mode;
      const double c = loaded.predictor->predict_cycles(w);
      if (c < cycles) {
        cycles = c;
        best = mode;
      }
    }
    w.mode = best;
    mode_chosen = true;
  }
  const double us = cycles_to_microseconds(w.device, cycles);

  if (vm.count("json")) {
    nlohmann::json j;
    j["cycles"] = cycles;
    j["microseconds"] = us;
    j["source"] = std::string(loaded.predictor->source());
    j["device"] = std::string(to_string(w.device));
    j["execution_mode"] = std::string(to_string(w.mode));
    j["mode_chosen"] = mode_chosen;
    j["workloads"] = 1;
    add_compiler_fields(j, w);
    if (!model_path.empty() && model_path != "roofline") j["model"] = model_path;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << describe(w) << (mode_chosen ? "  (fastest mode)" : "") << "\n"
            << "cycles:       " << std::llround(cycles) << "\n"
            << "microseconds: " << std::fixed << std::setprecision(3) << us << "  (DPU clock "
            << std::setprecision(0) << device_spec(w.device).dpu_clock_mhz << " MHz)\n"
            << "source:       " << loaded.description << "\n";
  return 0;
}

}  // namespace vpucost::cli
