// vpucost net --nodes FILE: every node of a network CSV (network_
// recordings.hpp) of the chosen --dtype costed in the chosen --mode
// (network_nodes.hpp); the per-node table and the totals, split into DPU and
// SHAVE; with the file's cycles labels, how far the total is from theirs.
#include "net_nodes.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "dataset_cli.hpp"
#include "net_emit.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_recordings.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void add_net_nodes_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("nodes", po::value<std::string>(),
       "a network node by node (the v2 teacher's networks/ CSV: DPU, SHAVE and layout nodes) "
       "instead of --config; the rows of --dtype are costed (SHAVE nodes need --shave-model)");
  // clang-format on
}

int run_net_nodes(const po::variables_map& vm, const CostingSetup& setup) {
  if (vm.count("config")) throw Error("--nodes and --config are two ways to give the network");
  const std::string path = vm["nodes"].as<std::string>();
  const NetworkRecordings rec = read_network_csv(path);
  if (!rec.rejects.empty()) {
    throw Error(path + " line " + std::to_string(rec.rejects.front().line) + ": " +
                rec.rejects.front().reason + " (" + std::to_string(rec.rejects.size()) +
                " invalid rows)");
  }
  std::vector<NetworkNode> nodes;
  std::vector<const NetworkNodeRecord*> records;
  std::string network;
  for (const NetworkNodeRecord& r : rec.items) {
    if (r.dtype != setup.dtype) continue;
    const Device d = r.kind == NodeKind::Dpu     ? r.layer.device
                     : r.kind == NodeKind::Shave ? r.shave.device
                                                 : setup.device;
    if (d != setup.device) {
      throw Error(path + " line " + std::to_string(r.line) + ": node '" + r.node + "' is for " +
                  std::string(to_string(d)) + ", not " + std::string(to_string(setup.device)));
    }
    if (network.empty()) network = r.network;
    NetworkNode n;
    n.name = r.node;
    n.engine = r.kind == NodeKind::Dpu     ? NetworkNode::Engine::Dpu
               : r.kind == NodeKind::Shave ? NetworkNode::Engine::Shave
                                           : NetworkNode::Engine::Layout;
    n.layer = r.layer;
    n.shave = r.shave;
    nodes.push_back(std::move(n));
    records.push_back(&r);
  }
  if (nodes.empty()) {
    throw Error(path + " has no " + std::string(to_string(setup.dtype)) +
                " nodes (--dtype chooses which)");
  }
  const ShaveModel* shave = setup.shave.get();
  for (const NetworkNode& n : nodes) {
    if (n.engine == NetworkNode::Engine::Shave && !shave) {
      throw Error("node '" + n.name + "' runs on SHAVE: give --shave-model (e.g. models/shave_" +
                  lower(std::string(to_string(setup.device))) + ".h5)");
    }
  }
  const NetEmitters emit(vm, setup);
  const NetworkNodesCost cost =
      cost_network_nodes(nodes, emit.predictor(), shave, emit.dma(), setup.mode);
  emit.write(nodes, cost);
  double labelled = 0;
  bool has_labels = true;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].engine == NetworkNode::Engine::Layout) continue;
    if (std::isnan(records[i]->cycles)) has_labels = false;
    labelled += records[i]->cycles;
  }
  const double mhz = device_spec(setup.device).dpu_clock_mhz;
  if (vm.count("json")) {
    nlohmann::json j{{"network", network},
                     {"nodes_file", path},
                     {"device", std::string(to_string(setup.device))},
                     {"dtype", std::string(to_string(setup.dtype))},
                     {"mode", std::string(to_string(setup.mode))},
                     {"dpu_cycles", cost.dpu_cycles},
                     {"shave_cycles", cost.shave_cycles},
                     {"total_cycles", cost.total_cycles()},
                     {"total_ms", cost.total_cycles() / mhz / 1000.0},
                     {"nodes", nlohmann::json::array()}};
    if (has_labels) j["file_total_cycles"] = labelled;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      j["nodes"].push_back({{"node", nodes[i].name},
                            {"operation", records[i]->operation},
                            {"cycles", cost.nodes[i].cycles},
                            {"detail", cost.nodes[i].detail}});
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << network << " from " << path << " on " << to_string(setup.device) << " "
            << to_string(setup.dtype) << ", " << setup.describe() << "\n\n";
  std::printf("%-44s %-6s %-16s %-28s %10s %10s\n", "node", "engine", "operation", "detail",
              "cycles", "file");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const char* engine = nodes[i].engine == NetworkNode::Engine::Dpu     ? "DPU"
                         : nodes[i].engine == NetworkNode::Engine::Shave ? "SHAVE"
                                                                         : "-";
    std::printf("%-44s %-6s %-16s %-28s %10.0f %10s\n", nodes[i].name.c_str(), engine,
                records[i]->operation.c_str(), cost.nodes[i].detail.c_str(), cost.nodes[i].cycles,
                std::isnan(records[i]->cycles)
                    ? ""
                    : std::to_string(std::llround(records[i]->cycles)).c_str());
  }
  std::printf("\ntotal: %.4f ms (%.0f cycles at %.0f MHz: DPU %.0f, SHAVE %.0f = %.1f %%)\n",
              cost.total_cycles() / mhz / 1000.0, cost.total_cycles(), mhz, cost.dpu_cycles,
              cost.shave_cycles, 100.0 * cost.shave_cycles / cost.total_cycles());
  if (has_labels) {
    std::printf("the file's total: %.0f cycles; ours %+.2f %%\n", labelled,
                100.0 * (cost.total_cycles() / labelled - 1.0));
  }
  return 0;
}

}  // namespace vpucost::cli
