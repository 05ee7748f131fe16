#pragma once
// A network's latency row by row, as `vpucost net` prints it and the Python
// package returns it: every DPU layer, SHAVE step and DMA copy of a
// network's parts, in order, with what runs where and its cycles.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "vpucost/network_cost.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_parts.hpp"

namespace vpucost {

struct NetworkRow {
  std::string part;  ///< NetPart::name ("first_conv", "blocks.3", ...)
  std::string key;   ///< NetPart::key (the LUT key of the part)
  std::string name;  ///< layer, SHAVE step or DMA copy name
  NetworkNode::Engine engine = NetworkNode::Engine::Dpu;
  std::string operation;  ///< "CONVOLUTION", "SHAVE hswish", "DMA copy"
  Tensor input, output;
  std::int64_t kernel = 1, stride = 1;
  std::string split;            ///< DPU: strategy or split; SHAVE: "one SHAVE / 12"; DMA: "-"
  std::string exec_mode = "-";  ///< DPU: the workloads' mode or "best_per_workload"
  std::vector<Workload> runs;   ///< DPU: the workloads costed, in order (in compute mode)
  double cycles = 0;
  Workload workload;        ///< DPU rows: the whole layer (channels padded)
  ShaveOperation shave_op;  ///< SHAVE rows
  DmaTransfer transfer{};   ///< DMA rows
};

struct NetworkReport {
  std::vector<NetworkRow> rows;  ///< in order
  double cycles = 0;             ///< sum of the rows
  double shave_cycles = 0;       ///< SHAVE rows
  double dma_cycles = 0;         ///< DMA copy rows
};

/// "DPU", "SHAVE", "DMA" or "layout".
std::string_view engine_name(NetworkNode::Engine engine);

/// Costs `parts` with `coster` (one batched query for the DPU layers). With
/// `mode` device, the rows are costed again as a network in order
/// (cost_network_nodes with `shave` and `dma`): `coster` is then the
/// compute-mode coster of each layer. Throws vpucost::Error naming the first
/// part that cannot be costed.
NetworkReport network_report(std::span<const NetPart> parts, const NetworkCoster& coster,
                             LatencyMode mode, const ShaveModel* shave, const DmaModel& dma);

}  // namespace vpucost
