#include "vpucost/network_report.hpp"

namespace vpucost {
namespace {

// The mode all of a layer's workloads run in, or "best_per_workload".
std::string mode_of(const WorkloadCost& cost) {
  const ExecutionMode first = cost.workloads.front().workload.mode;
  for (const CostedWorkload& w : cost.workloads) {
    if (w.workload.mode != first) return "best_per_workload";
  }
  return std::string(to_string(first));
}

NetworkRow dpu_row(const LayerCost& l) {
  const Workload& w = l.cost.whole;
  NetworkRow r;
  r.name = l.layer.name;
  r.operation = std::string(to_string(w.operation));
  r.input = w.input;
  r.output = w.output;
  r.kernel = w.kernel_w;
  r.stride = w.stride_w;
  r.split = l.cost.split;
  r.exec_mode = mode_of(l.cost);
  for (const CostedWorkload& cw : l.cost.workloads) r.runs.push_back(cw.workload);
  r.cycles = l.cost.cycles;
  r.workload = w;
  return r;
}

NetworkRow shave_row(const ShaveCost& c) {
  NetworkRow r;
  r.engine = NetworkNode::Engine::Shave;
  r.name = c.step.name;
  r.operation = "SHAVE " + std::string(to_string(c.step.op));
  r.input = c.operation.input;
  r.output = c.operation.output;
  r.split = c.detail;
  r.cycles = c.cycles;
  r.shave_op = c.operation;
  return r;
}

NetworkRow dma_row(const DmaCost& c) {
  NetworkRow r;
  r.engine = NetworkNode::Engine::Dma;
  r.name = c.step.name;
  r.operation = "DMA copy";
  r.input = c.transfer.tensor;
  r.output = c.transfer.tensor;
  r.split = "-";
  r.cycles = c.cycles;
  r.transfer = c.transfer;
  return r;
}

}  // namespace

std::string_view engine_name(NetworkNode::Engine engine) {
  switch (engine) {
    case NetworkNode::Engine::Dpu:
      return "DPU";
    case NetworkNode::Engine::Shave:
      return "SHAVE";
    case NetworkNode::Engine::Dma:
      return "DMA";
    case NetworkNode::Engine::Layout:
      return "layout";
  }
  return "DPU";
}

NetworkReport network_report(std::span<const NetPart> parts, const NetworkCoster& coster,
                             LatencyMode mode, const ShaveModel* shave, const DmaModel& dma) {
  NetworkReport report;
  for (const PartItemCost& item : cost_parts(parts, coster)) {
    const NetPart& part = parts[item.part];
    NetworkRow row = item.layer   ? dpu_row(*item.layer)
                     : item.shave ? shave_row(*item.shave)
                                  : dma_row(*item.dma);
    row.part = part.name;
    row.key = part.key;
    report.rows.push_back(std::move(row));
  }
  if (mode == LatencyMode::device) {
    std::vector<NetworkNode> nodes;
    nodes.reserve(report.rows.size());
    for (const NetworkRow& r : report.rows) {
      nodes.push_back({r.name, r.engine, r.workload, r.shave_op, r.transfer});
    }
    const NetworkNodesCost in_order =
        cost_network_nodes(nodes, coster.predictor(), shave, dma, LatencyMode::device);
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
      report.rows[i].cycles = in_order.nodes[i].cycles;
      report.rows[i].split = in_order.nodes[i].detail;
    }
  }
  for (const NetworkRow& r : report.rows) {
    report.cycles += r.cycles;
    if (r.engine == NetworkNode::Engine::Shave) report.shave_cycles += r.cycles;
    if (r.engine == NetworkNode::Engine::Dma) report.dma_cycles += r.cycles;
  }
  return report;
}

}  // namespace vpucost
