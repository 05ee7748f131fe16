// vpucost net: latency of a fixed network given as a ProxylessNAS /
// once-for-all net-config JSON, with a per-layer table.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "net_nodes.hpp"
#include "network_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/recording_predictor.hpp"

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

// One line of the per-layer table: a DPU layer, a SHAVE step or a DMA copy,
// in order.
struct Row {
  const NetPart* part = nullptr;
  bool shave = false;
  bool dma = false;
  std::string name;
  std::string operation;
  Tensor input, output;
  std::int64_t kernel = 1, stride = 1;
  std::string split;  ///< strategy (DPU) or "one SHAVE / 12"
  std::string exec_mode = "-";
  std::size_t workloads = 0;
  double cycles = 0;
  Workload workload;        ///< DPU rows: what device mode costs again in order
  ShaveOperation shave_op;  ///< SHAVE rows
  DmaTransfer transfer{};   ///< DMA rows
};

Row dpu_row(const NetPart& part, const LayerCost& l) {
  const Workload& w = l.cost.whole;
  Row r;
  r.part = &part;
  r.name = l.layer.name;
  r.operation = std::string(to_string(w.operation));
  r.input = w.input;
  r.output = w.output;
  r.kernel = w.kernel_w;
  r.stride = w.stride_w;
  r.split = l.cost.split;
  r.exec_mode = mode_of(l.cost);
  r.workloads = l.cost.workloads.size();
  r.cycles = l.cost.cycles;
  r.workload = w;
  return r;
}

Row shave_row(const NetPart& part, const ShaveCost& c) {
  Row r;
  r.part = &part;
  r.shave = true;
  r.name = c.step.name;
  r.operation = "SHAVE " + std::string(to_string(c.step.op));
  r.input = c.operation.input;
  r.output = c.operation.output;
  r.split = c.detail;
  r.cycles = c.cycles;
  r.shave_op = c.operation;
  return r;
}

Row dma_row(const NetPart& part, const DmaCost& c) {
  Row r;
  r.part = &part;
  r.dma = true;
  r.name = c.step.name;
  r.operation = "DMA copy";
  r.input = c.transfer.tensor;
  r.output = c.transfer.tensor;
  r.split = "-";
  r.cycles = c.cycles;
  r.transfer = c.transfer;
  return r;
}

// Every DPU layer (one batched query), SHAVE step and DMA copy of `parts`,
// in order; in device mode costed again as a network in order
// (cost_network_nodes).
std::vector<Row> costed_rows(const std::vector<NetPart>& parts,
                             const std::vector<PartItemCost>& items, const CostingSetup& setup,
                             const CyclePredictor& predictor) {
  std::vector<Row> rows;
  for (const PartItemCost& item : items) {
    const NetPart& part = parts[item.part];
    rows.push_back(item.layer   ? dpu_row(part, *item.layer)
                   : item.shave ? shave_row(part, *item.shave)
                                : dma_row(part, *item.dma));
  }
  if (setup.mode == LatencyMode::device) {
    std::vector<NetworkNode> nodes;
    for (const Row& r : rows) {
      const auto engine = r.shave ? NetworkNode::Engine::Shave
                          : r.dma ? NetworkNode::Engine::Dma
                                  : NetworkNode::Engine::Dpu;
      nodes.push_back({r.name, engine, r.workload, r.shave_op, r.transfer});
    }
    const NetworkNodesCost in_order = cost_network_nodes(nodes, predictor, setup.shave.get(),
                                                         setup.dma_model(), LatencyMode::device);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].cycles = in_order.nodes[i].cycles;
      rows[i].split = in_order.nodes[i].detail;
    }
  }
  return rows;
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
      ("emit-shave", po::value<std::string>(),
       "write the distinct SHAVE operations of the network as a SHAVE recording CSV without "
       "cycles");
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
  // With --emit-queried, every workload the costing asks is recorded on the way.
  const RecordingPredictor recorder(*setup.loaded.predictor);
  const CyclePredictor& predictor =
      vm.count("emit-queried") ? recorder
                               : static_cast<const CyclePredictor&>(*setup.loaded.predictor);
  const NetworkCoster coster = setup.coster(&predictor);
  const std::vector<PartItemCost> items = cost_parts(parts, coster);
  const std::vector<Row> rows = costed_rows(parts, items, setup, predictor);
  if (vm.count("emit-queried")) {
    write_file_atomically(vm["emit-queried"].as<std::string>(), workloads_csv(recorder.queried()));
  }
  if (vm.count("emit-workloads")) {
    std::vector<const LayerCost*> layers;
    for (const PartItemCost& item : items) {
      if (item.layer) layers.push_back(&*item.layer);
    }
    write_file_atomically(vm["emit-workloads"].as<std::string>(), workloads_csv(layers));
  }
  if (vm.count("emit-shave")) {
    std::vector<const ShaveOperation*> ops;
    for (const PartItemCost& item : items) {
      if (item.shave) ops.push_back(&item.shave->operation);
    }
    write_file_atomically(vm["emit-shave"].as<std::string>(), shave_operations_csv(ops));
  }
  double cycles = 0, shave_cycles = 0, dma_cycles = 0;
  for (const Row& r : rows) {
    cycles += r.cycles;
    if (r.shave) shave_cycles += r.cycles;
    if (r.dma) dma_cycles += r.cycles;
  }
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
    for (const Row& r : rows) {
      j["layers"].push_back({{"part", r.part->name},
                             {"key", r.part->key},
                             {"layer", r.name},
                             {"engine", r.shave ? "SHAVE"
                                        : r.dma ? "DMA"
                                                : "DPU"},
                             {"operation", r.operation},
                             {"input", {r.input.width, r.input.height, r.input.channels}},
                             {"output", {r.output.width, r.output.height, r.output.channels}},
                             {"kernel", r.kernel},
                             {"stride", r.stride},
                             {"split", r.split},
                             {"workloads", r.workloads},
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
  for (const Row& r : rows) {
    std::printf("%-18s %-17s %-15s %-24s %-9s %-17s %10.0f %9.4f\n", r.part->name.c_str(),
                r.name.c_str(), r.operation.c_str(),
                (shape(r.input) + " -> " + shape(r.output)).c_str(), r.split.c_str(),
                r.exec_mode.c_str(), r.cycles, coster.milliseconds(r.cycles));
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
