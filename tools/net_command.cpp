// vpucost net: latency of a fixed network given as a ProxylessNAS /
// once-for-all net-config JSON, with a per-layer table.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "net_emit.hpp"
#include "net_nodes.hpp"
#include "net_onnx.hpp"
#include "network_cli.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_report.hpp"

namespace vpucost::cli {
namespace {

std::string shape(const Tensor& t) {
  return std::to_string(t.width) + "x" + std::to_string(t.height) + "x" +
         std::to_string(t.channels);
}

std::string format(const char* spec, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

}  // namespace

int run_net(const std::vector<std::string>& args) {
  po::options_description options("net options");
  add_costing_options(options);
  // clang-format off
  options.add_options()
      ("config", po::value<std::string>(),
       "net-config JSON (ProxylessNAS / once-for-all format), e.g. nets/proxylessnas_mobile.json")
      ("resolution", po::value<int>()->default_value(224),
       "input resolution (not for a super-resolution config: it has its input_size)")
      ("json", "print one JSON object: total_ms, layers, ...")
      ("emit-workloads", po::value<std::string>(),
       "write the distinct DPU workloads of the network as a recording CSV without cycles "
       "(what to profile on a chip)")
      ("emit-queried", po::value<std::string>(),
       "write every distinct DPU workload the costing asks the model about (what costing the "
       "network from measurements alone needs)")
      ("emit-dma", po::value<std::string>(),
       "write every distinct DMA transfer the costing asks the DMA model about as a DMA "
       "recording CSV without cycles")
      ("emit-shave", po::value<std::string>(),
       "write the distinct SHAVE operations of the network as a SHAVE recording CSV without "
       "cycles");
  // clang-format on
  add_net_nodes_options(options);
  add_net_onnx_options(options);
  po::variables_map vm;
  if (!parse_options(
          "net",
          "[--model M.h5 | --device D] --config net.json [--resolution 224] "
          "[--mode device|compute|ddr|dpu] [--json]\n"
          "       vpucost net --model M.h5 --nodes network.csv --shave-model S.h5 "
          "[--dtype D] [--mode M]\n"
          "       vpucost net --model M.h5 --onnx model.onnx [--input-shape 1x3x224x224] "
          "[--shave-model S.h5] [--unknown-ops error|shave-generic] [--json]",
          options, args, vm)) {
    return 0;
  }
  if (vm.count("onnx")) return run_net_onnx(vm, costing_setup(vm));
  // The ONNX import's options, and a resolution for a file whose shapes are
  // fixed, would be ignored: refused instead.
  for (const char* onnx_only : {"input-shape", "unknown-ops"}) {
    if (!vm[onnx_only].empty() && !vm[onnx_only].defaulted()) {
      throw Error(std::string("--") + onnx_only + " applies to --onnx only");
    }
  }
  if (vm.count("nodes")) {
    if (!vm["resolution"].defaulted()) {
      throw Error("--resolution does not apply to --nodes: the file gives every node's shapes");
    }
    return run_net_nodes(vm, costing_setup(vm));
  }
  if (!vm.count("config")) {
    throw Error("--config net.json (or --nodes network.csv, or --onnx model.onnx) is required");
  }
  const std::string config_path = vm["config"].as<std::string>();
  const NetConfig config = load_net_config(config_path);
  int resolution = vm["resolution"].as<int>();
  std::string input_size = std::to_string(resolution);
  if (config.sr) {  // a super-resolution config fixes its input size
    if (!vm["resolution"].defaulted()) {
      throw Error("--resolution does not apply to " + config_path +
                  ": a super-resolution config fixes its input_size");
    }
    resolution = static_cast<int>(config.sr->input_height);
    input_size =
        std::to_string(config.sr->input_height) + "x" + std::to_string(config.sr->input_width);
  }
  const std::vector<NetPart> parts = net_parts(config, resolution);
  const CostingSetup setup = costing_setup(vm);
  const NetEmitters emit(vm, setup);
  const NetworkCoster coster = setup.coster(&emit.predictor(), &emit.dma());
  const NetworkReport report =
      network_report(parts, coster, setup.mode, setup.shave.get(), emit.dma());
  std::vector<Workload> runs;
  std::vector<const ShaveOperation*> shave_ops;
  for (const NetworkRow& r : report.rows) {
    runs.insert(runs.end(), r.runs.begin(), r.runs.end());
    if (r.engine == NetworkNode::Engine::Shave) shave_ops.push_back(&r.shave_op);
  }
  emit.write(runs, shave_ops);
  const double cycles = report.cycles, shave_cycles = report.shave_cycles,
               dma_cycles = report.dma_cycles;
  const double ms = coster.milliseconds(cycles);

  if (vm.count("json")) {
    nlohmann::json j{{"network", config.name},
                     {"config", config_path},
                     {"parameters", parameter_count(config)},
                     {"resolution", resolution},
                     {"input_size", input_size},
                     {"device", std::string(to_string(setup.device))},
                     {"dtype", std::string(to_string(setup.dtype))},
                     {"source", std::string(setup.loaded.predictor->source())},
                     {"mode", std::string(to_string(setup.mode))},
                     {"total_cycles", cycles},
                     {"shave_cycles", shave_cycles},
                     {"dma_cycles", dma_cycles},
                     {"total_ms", ms},
                     {"layers", nlohmann::json::array()}};
    if (vm.count("model") && vm["model"].as<std::string>() != "roofline") {
      j["model"] = vm["model"].as<std::string>();
    }
    for (const NetworkRow& r : report.rows) {
      j["layers"].push_back({{"part", r.part},
                             {"key", r.key},
                             {"layer", r.name},
                             {"engine", engine_name(r.engine)},
                             {"operation", r.operation},
                             {"input", {r.input.width, r.input.height, r.input.channels}},
                             {"output", {r.output.width, r.output.height, r.output.channels}},
                             {"kernel", r.kernel},
                             {"stride", r.stride},
                             {"split", r.split},
                             {"workloads", r.runs.size()},
                             {"execution_mode", r.exec_mode},
                             {"cycles", r.cycles},
                             {"ms", coster.milliseconds(r.cycles)}});
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }

  std::cout << config.name << " (" << format("%.2f", parameter_count(config) / 1e6)
            << "M parameters) at " << input_size << " on " << to_string(setup.device) << " "
            << to_string(setup.dtype) << ", " << setup.describe() << "\n\n";
  std::printf("%-18s %-17s %-15s %-24s %-9s %-17s %10s %9s\n", "part", "layer", "operation",
              "input -> output", setup.mode == LatencyMode::dpu_only ? "split" : "strategy", "mode",
              "cycles", "ms");
  for (const NetworkRow& r : report.rows) {
    std::printf("%-18s %-17s %-15s %-24s %-9s %-17s %10.0f %9.4f\n", r.part.c_str(), r.name.c_str(),
                r.operation.c_str(), (shape(r.input) + " -> " + shape(r.output)).c_str(),
                r.split.c_str(), r.exec_mode.c_str(), r.cycles, coster.milliseconds(r.cycles));
  }
  std::cout << "\ntotal: " << format("%.4f", ms) << " ms (" << format("%.0f", cycles)
            << " DPU cycles at " << format("%.0f", device_spec(setup.device).dpu_clock_mhz)
            << " MHz; layers run one after another"
            << (setup.mode == LatencyMode::dpu_only ? " on one DPU" : ", each on the whole device")
            << (setup.mode == LatencyMode::ddr ? ", weights and activations through DDR" : "")
            << (setup.mode == LatencyMode::device ? ", weight fetches behind the previous layer"
                                                  : "")
            << ")\n";
  if (shave_cycles > 0) {
    std::cout << "SHAVE: " << format("%.0f", shave_cycles) << " cycles ("
              << format("%.1f", 100.0 * shave_cycles / cycles) << " % of the total)\n";
  }
  if (dma_cycles > 0) {
    std::cout << "DMA copies: " << format("%.0f", dma_cycles) << " cycles ("
              << format("%.1f", 100.0 * dma_cycles / cycles) << " % of the total)\n";
  }
  return 0;
}

}  // namespace vpucost::cli
