#include "vpucost/network_nodes.hpp"

#include <algorithm>
#include <cmath>

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"

namespace vpucost {
namespace {

double tensor_bytes(const Tensor& t) {
  return double(t.width * t.height * t.channels) * bytes_per_element(t.dtype);
}

NodeCost cost_dpu_node(const NetworkNode& n, const CyclePredictor& dpu, const DmaModel& dma,
                       LatencyMode mode) {
  NodeCost c;
  if (mode == LatencyMode::dpu_only) {
    const WorkloadCost w = cost_workload(dpu, n.layer);
    c.cycles = w.cycles;
    c.detail = "one DPU, split " + w.split;
    for (const CostedWorkload& cw : w.workloads) c.runs.push_back(cw.workload);
    return c;
  }
  const DeviceLayerCost d = cost_on_device(dpu, dma, n.layer);
  c.cycles = d.compute;
  if (mode == LatencyMode::ddr) c.cycles += d.dma.weights + d.dma.input + d.dma.output;
  c.detail = d.strategy;
  c.weights = d.dma.weights;
  c.input = d.dma.input;
  c.output = d.dma.output;
  for (const WorkloadCost& tile : d.tiles) {
    for (const CostedWorkload& cw : tile.workloads) c.runs.push_back(cw.workload);
  }
  return c;
}

}  // namespace

NodeCost cost_shave_operation(const ShaveOperation& op, const ShaveModel& shave,
                              const DmaModel& dma, LatencyMode mode) {
  const DeviceSpec& spec = device_spec(op.device);
  const int shaves = spec.shaves_per_tile * (mode == LatencyMode::dpu_only ? 1 : spec.tiles);
  if (shaves <= 0) {
    throw Error(std::string(to_string(op.device)) + " has no SHAVE cores to run it");
  }
  const double one = shave.predict_cycles(op);
  NodeCost c;
  // VPUNN's arithmetic: 32-bit float division, truncated.
  c.cycles = double(static_cast<long long>(static_cast<float>(one) / static_cast<float>(shaves)));
  c.detail = "one SHAVE / " + std::to_string(shaves);
  const double inputs = is_binary(op.operation) ? 2.0 : 1.0;
  c.input = inputs * dma.predict_bytes(DmaDirection::DDR_TO_CMX, tensor_bytes(op.input));
  c.output = dma.predict_bytes(DmaDirection::CMX_TO_DDR, tensor_bytes(op.output));
  if (mode == LatencyMode::ddr) c.cycles += c.input + c.output;
  return c;
}

NetworkNodesCost cost_network_nodes(std::span<const NetworkNode> nodes, const CyclePredictor& dpu,
                                    const ShaveModel* shave, const DmaModel& dma,
                                    LatencyMode mode) {
  NetworkNodesCost out;
  out.nodes.reserve(nodes.size());
  const bool device = mode == LatencyMode::device;
  double previous = 0;  // compute cycles of the last costed node: what hides a weight fetch
  bool first_dpu = true;
  std::size_t last = nodes.size();  // the last costed node
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NetworkNode& n = nodes[i];
    try {
      switch (n.engine) {
        case NetworkNode::Engine::Dpu: {
          NodeCost c = cost_dpu_node(n, dpu, dma, device ? LatencyMode::compute : mode);
          const double computing = c.cycles;
          if (device) {
            const double stall = std::max(0.0, c.weights - previous);
            c.cycles += stall;
            if (first_dpu) c.cycles += c.input;  // the network's input from DDR
            if (stall > 0) c.detail += " +" + std::to_string(std::llround(stall)) + " weights";
          }
          first_dpu = false;
          out.nodes.push_back(std::move(c));
          previous = computing;  // the DMA engine is free while the DPUs compute
          break;
        }
        case NetworkNode::Engine::Shave:
          if (!shave) throw Error("a SHAVE node needs a SHAVE model");
          out.nodes.push_back(
              cost_shave_operation(n.shave, *shave, dma, device ? LatencyMode::compute : mode));
          previous = out.nodes.back().cycles;
          break;
        case NetworkNode::Engine::Dma:
          out.nodes.emplace_back().cycles = dma.predict_cycles(n.dma);
          out.nodes.back().detail = "DMA copy";
          previous = 0;  // the DMA engine is busy with the copy: it hides no weight fetch
          break;
        case NetworkNode::Engine::Layout:
          out.nodes.emplace_back().detail = "layout, no cost";
          continue;
      }
    } catch (const Error& e) {
      throw Error("node '" + n.name + "': " + e.what());
    }
    last = i;
  }
  if (device && last < nodes.size()) out.nodes[last].cycles += out.nodes[last].output;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].engine == NetworkNode::Engine::Dpu) out.dpu_cycles += out.nodes[i].cycles;
    if (nodes[i].engine == NetworkNode::Engine::Shave) out.shave_cycles += out.nodes[i].cycles;
    if (nodes[i].engine == NetworkNode::Engine::Dma) out.dma_cycles += out.nodes[i].cycles;
  }
  return out;
}

}  // namespace vpucost
