// vpucost net --onnx FILE [--input-shape NxCxHxW] [--unknown-ops error|shave-generic]:
// the ONNX graph mapped to DPU layers, SHAVE operations and layout nodes
// (onnx_network.hpp), costed in order in the chosen --mode (network_nodes.hpp).
#include "net_onnx.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "net_emit.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/network_report.hpp"
#include "vpucost/onnx_network.hpp"

namespace vpucost::cli {
namespace {

std::vector<std::int64_t> parse_input_shape(const std::string& text) {
  std::vector<std::int64_t> dims;
  std::size_t start = 0;
  while (true) {
    const std::size_t x = text.find('x', start);
    dims.push_back(parse_count(text.substr(start, x - start), "--input-shape"));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (dims.size() != 4) {
    throw Error("--input-shape '" + text + "': expected N x C x H x W, e.g. 1x3x224x224");
  }
  return dims;
}

std::string dims_text(const std::vector<std::int64_t>& d) {
  std::string s;
  for (const std::int64_t x : d) s += (s.empty() ? "" : "x") + std::to_string(x);
  return s;
}

}  // namespace

void add_net_onnx_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("onnx", po::value<std::string>(),
       "an ONNX model instead of --config: its operators mapped to DPU layers, SHAVE operations "
       "and layout nodes (network/NETWORK.md section 13); SHAVE nodes need --shave-model")
      ("input-shape", po::value<std::string>(),
       "N x C x H x W of the ONNX model's image input, e.g. 1x3x224x224 (needed when the model's "
       "own is dynamic; N must be 1)")
      ("unknown-ops", po::value<std::string>()->default_value("error"),
       "an ONNX operator with no mapping: error, or shave-generic (costed as an element-wise "
       "SHAVE operation and listed)");
  // clang-format on
}

int run_net_onnx(const po::variables_map& vm, const CostingSetup& setup) {
  if (vm.count("config") || vm.count("nodes")) {
    throw Error("--onnx, --config and --nodes are three ways to give the network: give one");
  }
  if (!vm["resolution"].defaulted()) {
    throw Error("--resolution does not apply to --onnx: use --input-shape 1x3xHxW");
  }
  OnnxImportOptions options;
  if (vm.count("input-shape"))
    options.input_shape = parse_input_shape(vm["input-shape"].as<std::string>());
  const std::string unknown = vm["unknown-ops"].as<std::string>();
  if (unknown != "error" && unknown != "shave-generic") {
    throw Error("--unknown-ops '" + unknown + "' is not error or shave-generic");
  }
  options.unknown_ops_as_shave = unknown == "shave-generic";
  const std::string path = vm["onnx"].as<std::string>();
  const ImportedNetwork net = read_onnx_network(path, options);
  const std::vector<NetworkNode> nodes = network_nodes(net, setup.device, setup.dtype);
  for (const NetworkNode& n : nodes) {
    if (n.engine == NetworkNode::Engine::Shave && !setup.shave) {
      throw Error("node '" + n.name + "' runs " + std::string(to_string(n.shave.operation)) +
                  " on SHAVE: give --shave-model (e.g. models/shave_vpu_4_0.h5)");
    }
  }
  const NetEmitters emit(vm, setup);
  const NetworkNodesCost cost =
      cost_network_nodes(nodes, emit.predictor(), setup.shave.get(), emit.dma(), setup.mode);
  emit.write(nodes, cost);
  const double mhz = device_spec(setup.device).dpu_clock_mhz;
  const auto ms = [&](double cycles) { return cycles / mhz / 1000.0; };
  std::vector<std::string> generic;
  for (const ImportedNode& n : net.nodes) {
    if (n.generic) generic.push_back(n.name + " (" + n.onnx_ops + ")");
  }
  const std::string input = dims_text({1, net.input_channels, net.input_height, net.input_width});
  if (vm.count("json")) {
    nlohmann::json j{{"network", net.name},
                     {"onnx", path},
                     {"input_shape", input},
                     {"parameters", net.parameters},
                     {"device", std::string(to_string(setup.device))},
                     {"dtype", std::string(to_string(setup.dtype))},
                     {"source", std::string(setup.loaded.predictor->source())},
                     {"mode", std::string(to_string(setup.mode))},
                     {"dpu_cycles", cost.dpu_cycles},
                     {"shave_cycles", cost.shave_cycles},
                     {"total_cycles", cost.total_cycles()},
                     {"total_ms", ms(cost.total_cycles())},
                     {"generic_shave_ops", generic},
                     {"nodes", nlohmann::json::array()}};
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      j["nodes"].push_back({{"node", nodes[i].name},
                            {"engine", std::string(engine_name(nodes[i].engine))},
                            {"onnx_ops", net.nodes[i].onnx_ops},
                            {"operation", operation_label(nodes[i], net.nodes[i])},
                            {"output", net.nodes[i].output},
                            {"detail", cost.nodes[i].detail},
                            {"cycles", cost.nodes[i].cycles},
                            {"ms", ms(cost.nodes[i].cycles)}});
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << (net.name.empty() ? path : net.name) << " from " << path << " (input " << input
            << ", " << net.parameters << " parameters) on " << to_string(setup.device) << " "
            << to_string(setup.dtype) << ", " << setup.describe() << "\n\n";
  std::printf("%-40s %-6s %-32s %-20s %-16s %-24s %10s %9s\n", "node", "engine", "onnx",
              "operation", "output", "detail", "cycles", "ms");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::printf("%-40s %-6s %-32s %-20s %-16s %-24s %10.0f %9.4f\n", nodes[i].name.c_str(),
                std::string(engine_name(nodes[i].engine)).c_str(), net.nodes[i].onnx_ops.c_str(),
                operation_label(nodes[i], net.nodes[i]).c_str(),
                dims_text(net.nodes[i].output).c_str(), cost.nodes[i].detail.c_str(),
                cost.nodes[i].cycles, ms(cost.nodes[i].cycles));
  }
  std::printf("\ntotal: %.4f ms (%.0f cycles at %.0f MHz: DPU %.0f, SHAVE %.0f = %.1f %%)\n",
              ms(cost.total_cycles()), cost.total_cycles(), mhz, cost.dpu_cycles, cost.shave_cycles,
              cost.total_cycles() > 0 ? 100.0 * cost.shave_cycles / cost.total_cycles() : 0.0);
  for (const std::string& g : generic) {
    std::cout << "costed as a generic SHAVE operation: " << g << "\n";
  }
  return 0;
}

}  // namespace vpucost::cli
