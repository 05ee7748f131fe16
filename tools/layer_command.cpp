// vpucost layer: one layer on the whole device -- its compute cycles under
// every tiling strategy the device offers (layer_strategy.hpp), the best one,
// and the DMA a layer in DDR adds (weights not prefetched, input fetched,
// output spilled).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_args.hpp"
#include "command.hpp"
#include "dataset_cli.hpp"
#include "layer_csv.hpp"
#include "predict_dma.hpp"
#include "predictor_option.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/network_cost.hpp"

namespace vpucost::cli {
namespace {

std::string text_option(const po::variables_map& vm, const char* name, std::string fallback = {}) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

std::int64_t align16(std::int64_t c) {
  return (c + 15) / 16 * 16;
}

// The layer as the device runs it: channels padded to multiples of 16 (a
// CM_CONVOLUTION's input excepted), as VPUNN's layer model requires.
Workload layer_from_options(const po::variables_map& vm, Device device) {
  Workload w;
  w.device = device;
  if (!vm.count("op")) throw Error("--op is required (" + names_list<Operation>() + ")");
  w.operation = parse<Operation>(text_option(vm, "op"));
  if (!vm.count("input")) throw Error("--input WIDTHxHEIGHTxCHANNELS is required");
  const auto in = parse_shape(text_option(vm, "input"), "input");
  const DType dtype = parse<DType>(text_option(vm, "dtype", "UINT8"));
  w.input = {in[0], in[1], in[2], dtype};
  const auto kernel = parse_pair(text_option(vm, "kernel", "1x1"), "kernel");
  const auto stride = parse_pair(text_option(vm, "stride", "1x1"), "stride");
  w.kernel_w = kernel[0];
  w.kernel_h = kernel[1];
  w.stride_w = stride[0];
  w.stride_h = stride[1];
  w.padding = parse_padding(text_option(vm, "pad", "0"), "pad");
  w.output.dtype = vm.count("output-dtype") ? parse<DType>(text_option(vm, "output-dtype")) : dtype;
  w.output.width =
      expected_output_size(w.input.width, w.padding.left, w.padding.right, w.kernel_w, w.stride_w);
  w.output.height =
      expected_output_size(w.input.height, w.padding.top, w.padding.bottom, w.kernel_h, w.stride_h);
  if (vm.count("output-channels")) {
    w.output.channels = vm["output-channels"].as<std::int64_t>();
  } else if (is_channelwise(w.operation)) {
    w.output.channels = w.input.channels;
  } else {
    throw Error("--output-channels is required for " + std::string(to_string(w.operation)));
  }
  if (w.operation != Operation::CM_CONVOLUTION) w.input.channels = align16(w.input.channels);
  w.output.channels = align16(w.output.channels);
  if (vm.count("activation"))
    w.activation = parse<ActivationFunction>(text_option(vm, "activation"));
  w.mode = operation_modes(device, w.operation).front();
  if (auto problem = find_problem(w)) throw Error("the layer is invalid: " + *problem);
  return w;
}

nlohmann::json strategy_json(const StrategyCost& s) {
  return {{"strategy", std::string(to_string(s.strategy))},
          {"cycles", s.cycles},
          {"workloads", s.workloads()},
          {"tiles", s.tiles.size()}};
}

}  // namespace

int run_layer(const std::vector<std::string>& args) {
  po::options_description options("layer options");
  const std::string device_help = names_list<Device>() + " (default: the model's)";
  // clang-format off
  options.add_options()
      ("model", po::value<std::string>()->required(), "DPU model file (.h5), or 'roofline'")
      ("dma-model", po::value<std::string>(),
       "DMA model file for the DMA terms (default: the roofline DMA of the device)")
      ("device", po::value<std::string>(), device_help.c_str())
      ("op", po::value<std::string>(), "CONVOLUTION, DW_CONVOLUTION, CM_CONVOLUTION, ELTWISE, MAXPOOL or AVEPOOL")
      ("input", po::value<std::string>(), "input tensor WIDTHxHEIGHTxCHANNELS (logical channels)")
      ("output-channels", po::value<std::int64_t>(), "output channels (channel-wise operations: the input's)")
      ("kernel", po::value<std::string>(), "kernel WIDTHxHEIGHT (default 1x1)")
      ("stride", po::value<std::string>(), "stride WIDTHxHEIGHT (default 1x1)")
      ("pad", po::value<std::string>(), "padding TOP,BOTTOM,LEFT,RIGHT (default 0)")
      ("dtype", po::value<std::string>(), "input dtype (default UINT8)")
      ("output-dtype", po::value<std::string>(), "output dtype (default: the input's)")
      ("activation", po::value<std::string>(), "NONE (default), RELU or LRELU")
      ("strategy", po::value<std::string>()->default_value("best"),
       "best, or one of CLUSTERING, SOHO, SOK, SOW, SOHO_K_SWITCH")
      ("mode", po::value<std::string>()->default_value("compute"),
       "which latency the best strategy minimises: compute (weights prefetched, activations in "
       "CMX) or ddr (plus fetching the weights and input and spilling the output)")
      ("json", "print one JSON object");
  // clang-format on
  add_layer_csv_options(options);
  po::variables_map vm;
  if (!parse_options("layer",
                     "--model M.h5 --device D --op OP --input WxHxC [--output-channels N] "
                     "[--kernel KxK] [--strategy S] [--dma-model DMA.h5] [--json]\n"
                     "       vpucost layer --model M.h5 --csv layers.csv [--out L.csv] "
                     "[--dma-model DMA.h5] [--strategy S]",
                     options, args, vm)) {
    return 0;
  }
  const LoadedPredictor loaded = load_predictor(vm["model"].as<std::string>());
  Device device{};
  if (vm.count("device")) {
    device = parse<Device>(text_option(vm, "device"));
  } else if (const auto* m = dynamic_cast<const CostModel*>(loaded.predictor.get())) {
    device = m->device();
  } else {
    throw Error("--device is required with --model roofline (" + names_list<Device>() + ")");
  }
  const std::string dma_option = text_option(vm, "dma-model", "roofline");
  const DmaModel dma = load_dma_model_option(dma_option, device);
  if (dma.device() != device) {
    throw Error("DMA model " + dma_option + " is for " + std::string(to_string(dma.device())) +
                ", not " + std::string(to_string(device)));
  }
  if (!vm["training-margin"].defaulted() && !vm.count("emit-training-rows")) {
    throw Error("--training-margin applies to --emit-training-rows (with --csv)");
  }
  if (vm.count("csv")) return run_layer_csv(vm, loaded, dma, dma_option);
  refuse_options(vm, {"out", "rejects", "strict", "emit-training-rows", "emit-queried"},
                 "needs --csv");
  const Workload layer = layer_from_options(vm, device);
  const LayerStrategies all = cost_strategies(*loaded.predictor, layer);
  const std::string wanted = vm["strategy"].as<std::string>();
  const LatencyMode mode = parse_latency_mode(vm["mode"].as<std::string>());
  if (mode != LatencyMode::compute && mode != LatencyMode::ddr) {
    throw Error("--mode " + vm["mode"].as<std::string>() +
                ": one layer is costed in compute or ddr");
  }
  const auto in_ddr_of = [&](const StrategyCost& c) {
    const LayerDmaTerms t = dma_terms(dma, layer, c);
    return c.cycles + t.weights + t.input + t.output;
  };
  const StrategyCost* chosen = nullptr;
  if (wanted == "best") {
    chosen = &all.best();  // throws naming why no strategy is valid
    if (mode == LatencyMode::ddr) {
      // In DDR the cheapest strategy counts its weight transfers too (SOK
      // fetches a slice per tile, CLUSTERING the whole weights on each).
      for (const StrategyCost& c : all.valid) {
        if (in_ddr_of(c) < in_ddr_of(*chosen)) chosen = &c;
      }
    }
  } else {
    const TilingStrategy s = parse<TilingStrategy>(wanted);
    for (const StrategyCost& c : all.valid) {
      if (c.strategy == s) chosen = &c;
    }
    if (!chosen) {
      std::string why = "the device does not offer it";
      for (const auto& [strategy, reason] : all.not_valid) {
        if (strategy == s) why = reason;
      }
      throw Error("strategy " + wanted + " is not valid for this layer: " + why);
    }
  }
  const LayerDmaTerms dma_terms_of = dma_terms(dma, layer, *chosen);
  const double in_ddr =
      chosen->cycles + dma_terms_of.weights + dma_terms_of.input + dma_terms_of.output;
  const double mhz = device_spec(device).dpu_clock_mhz;
  if (vm.count("json")) {
    nlohmann::json j;
    j["layer"] = describe(layer);
    j["device"] = std::string(to_string(device));
    j["strategy"] = std::string(to_string(chosen->strategy));
    j["cycles"] = chosen->cycles;
    j["microseconds"] = chosen->cycles / mhz;
    j["workloads"] = chosen->workloads();
    j["strategies"] = nlohmann::json::array();
    for (const StrategyCost& c : all.valid) j["strategies"].push_back(strategy_json(c));
    j["not_valid"] = nlohmann::json::object();
    for (const auto& [s, why] : all.not_valid) j["not_valid"][std::string(to_string(s))] = why;
    j["dma"] = {{"weights", dma_terms_of.weights},
                {"input", dma_terms_of.input},
                {"output", dma_terms_of.output},
                {"model", dma_option}};
    j["cycles_in_ddr"] = in_ddr;
    j["mode"] = std::string(to_string(mode));
    j["model"] = loaded.description;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << describe(layer) << "  (channels padded to 16)\n"
            << "device:     " << to_string(device) << ", " << device_spec(device).tiles
            << " tiles x " << device_spec(device).dpus_per_tile << " DPU\n\n"
            << std::left << std::setw(16) << "strategy" << std::right << std::setw(12) << "cycles"
            << std::setw(11) << "workloads"
            << "\n";
  for (const StrategyCost& c : all.valid) {
    std::cout << std::left << std::setw(16) << to_string(c.strategy) << std::right << std::setw(12)
              << std::llround(c.cycles) << std::setw(11) << c.workloads()
              << (&c == chosen ? "  <- " + std::string(wanted == "best" ? "best" : "chosen") : "")
              << "\n";
  }
  for (const auto& [s, why] : all.not_valid) {
    std::cout << std::left << std::setw(16) << to_string(s) << std::right << "  not valid: " << why
              << "\n";
  }
  std::cout << std::fixed << std::setprecision(3)
            << "\ncompute:    " << std::llround(chosen->cycles)
            << " cycles = " << chosen->cycles / mhz
            << " us (weights prefetched, activations in CMX)\n"
            << "DMA:        weights " << std::llround(dma_terms_of.weights) << ", input "
            << std::llround(dma_terms_of.input) << ", output " << std::llround(dma_terms_of.output)
            << " cycles ("
            << (dma_option == "roofline" ? "roofline DMA; --dma-model for the fitted curve"
                                         : "DMA model " + dma_option)
            << ")\n"
            << "in DDR:     " << std::llround(in_ddr) << " cycles = " << in_ddr / mhz
            << " us (compute + the three DMA terms)\n"
            << "source:     " << loaded.description << "\n";
  return 0;
}

}  // namespace vpucost::cli
