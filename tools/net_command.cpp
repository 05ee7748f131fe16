// vpucost net: latency of a fixed network given as a ProxylessNAS /
// once-for-all net-config JSON, with a per-layer table.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "net_nodes.hpp"
#include "network_cli.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/network_nodes.hpp"

namespace vpucost::cli {
namespace {

std::string shape(const Tensor& t) {
  return std::to_string(t.width) + "x" + std::to_string(t.height) + "x" +
         std::to_string(t.channels);
}

// The mode all of a layer's workloads run in, or "best_per_workload".
std::string mode_of(const WorkloadCost& cost) {
  const ExecutionMode first = cost.workloads.front().workload.mode;
  for (const CostedWorkload& w : cost.workloads) {
    if (w.workload.mode != first) return "best_per_workload";
  }
  return std::string(to_string(first));
}

std::string format(const char* spec, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

struct CostedPart {
  const NetPart* part;
  std::vector<LayerCost> layers;
};

}  // namespace

int run_net(const std::vector<std::string>& args) {
  po::options_description options("net options");
  add_costing_options(options);
  // clang-format off
  options.add_options()
      ("config", po::value<std::string>(),
       "net-config JSON (ProxylessNAS / once-for-all format), e.g. nets/proxylessnas_mobile.json")
      ("resolution", po::value<int>()->default_value(224), "input resolution")
      ("json", "print one JSON object: total_ms, layers, ...");
  // clang-format on
  add_net_nodes_options(options);
  po::variables_map vm;
  if (!parse_options("net",
                     "[--model M.h5 | --device D] --config net.json [--resolution 224] "
                     "[--mode compute|ddr|dpu] [--json]\n"
                     "       vpucost net --model M.h5 --nodes network.csv --shave-model S.h5 "
                     "[--dtype D] [--mode M]",
                     options, args, vm)) {
    return 0;
  }
  if (vm.count("nodes")) return run_net_nodes(vm, costing_setup(vm));
  if (!vm.count("config")) throw Error("--config net.json (or --nodes network.csv) is required");
  const std::string config_path = vm["config"].as<std::string>();
  const NetConfig config = load_net_config(config_path);
  const int resolution = vm["resolution"].as<int>();
  const std::vector<NetPart> parts = net_parts(config, resolution);
  const CostingSetup setup = costing_setup(vm);
  const NetworkCoster coster = setup.coster();

  // One batched query for the whole network.
  std::vector<Layer> layers;
  for (const NetPart& p : parts) layers.insert(layers.end(), p.layers.begin(), p.layers.end());
  std::vector<LayerCost> costs = coster.cost(layers);
  if (setup.mode == LatencyMode::device) {
    // The network in order: each layer's weight fetch behind the previous one.
    std::vector<NetworkNode> nodes;
    for (const LayerCost& c : costs) {
      nodes.push_back({c.layer.name, NetworkNode::Engine::Dpu, c.cost.whole, {}});
    }
    const NetworkNodesCost in_order = cost_network_nodes(nodes, *setup.loaded.predictor, nullptr,
                                                         setup.dma_model(), LatencyMode::device);
    for (std::size_t i = 0; i < costs.size(); ++i) {
      costs[i].cost.cycles = in_order.nodes[i].cycles;
      costs[i].cost.split = in_order.nodes[i].detail;
    }
  }
  std::vector<CostedPart> costed;
  std::size_t next = 0;
  for (const NetPart& p : parts) {
    costed.push_back({&p,
                      {costs.begin() + static_cast<std::ptrdiff_t>(next),
                       costs.begin() + static_cast<std::ptrdiff_t>(next + p.layers.size())}});
    next += p.layers.size();
  }
  const double cycles = total_cycles(costs);
  const double ms = coster.milliseconds(cycles);

  if (vm.count("json")) {
    nlohmann::json j{{"network", config.name},
                     {"config", config_path},
                     {"parameters", parameter_count(config)},
                     {"resolution", resolution},
                     {"device", std::string(to_string(setup.device))},
                     {"dtype", std::string(to_string(setup.dtype))},
                     {"source", std::string(setup.loaded.predictor->source())},
                     {"mode", std::string(to_string(setup.mode))},
                     {"total_cycles", cycles},
                     {"total_ms", ms},
                     {"layers", nlohmann::json::array()}};
    if (vm.count("model") && vm["model"].as<std::string>() != "roofline") {
      j["model"] = vm["model"].as<std::string>();
    }
    for (const CostedPart& cp : costed) {
      for (const LayerCost& l : cp.layers) {
        const Workload& w = l.cost.whole;
        j["layers"].push_back({{"part", cp.part->name},
                               {"key", cp.part->key},
                               {"layer", l.layer.name},
                               {"operation", std::string(to_string(w.operation))},
                               {"input", {w.input.width, w.input.height, w.input.channels}},
                               {"output", {w.output.width, w.output.height, w.output.channels}},
                               {"kernel", w.kernel_w},
                               {"stride", w.stride_w},
                               {"split", l.cost.split},
                               {"workloads", l.cost.workloads.size()},
                               {"execution_mode", mode_of(l.cost)},
                               {"cycles", l.cost.cycles},
                               {"ms", coster.milliseconds(l.cost.cycles)}});
      }
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }

  std::cout << config.name << " (" << format("%.2f", parameter_count(config) / 1e6)
            << "M parameters) at " << resolution << " on " << to_string(setup.device) << " "
            << to_string(setup.dtype) << ", " << setup.describe() << "\n\n";
  std::printf("%-18s %-15s %-15s %-24s %-9s %-17s %10s %9s\n", "part", "layer", "operation",
              "input -> output", setup.mode == LatencyMode::dpu_only ? "split" : "strategy", "mode",
              "cycles", "ms");
  for (const CostedPart& cp : costed) {
    for (const LayerCost& l : cp.layers) {
      const Workload& w = l.cost.whole;
      std::printf("%-18s %-15s %-15s %-24s %-9s %-17s %10.0f %9.4f\n", cp.part->name.c_str(),
                  l.layer.name.c_str(), std::string(to_string(w.operation)).c_str(),
                  (shape(w.input) + " -> " + shape(w.output)).c_str(), l.cost.split.c_str(),
                  mode_of(l.cost).c_str(), l.cost.cycles, coster.milliseconds(l.cost.cycles));
    }
  }
  std::cout << "\ntotal: " << format("%.4f", ms) << " ms (" << format("%.0f", cycles)
            << " DPU cycles at " << format("%.0f", device_spec(setup.device).dpu_clock_mhz)
            << " MHz; layers run one after another"
            << (setup.mode == LatencyMode::dpu_only ? " on one DPU" : ", each on the whole device")
            << (setup.mode == LatencyMode::ddr ? ", weights and activations through DDR" : "")
            << (setup.mode == LatencyMode::device ? ", weight fetches behind the previous layer"
                                                  : "")
            << ")\n";
  return 0;
}

}  // namespace vpucost::cli
