#pragma once
// A network as the nodes the device runs -- DPU layers, SHAVE operations
// (activations the DPU cannot fuse, the SE multiply) and layout nodes that
// cost nothing (flatten, concat, channel shuffle) -- and its latency in a
// latency mode (network_cost.hpp, network/NETWORK.md section 12):
//  - a DPU layer: cost_on_device (its best tiling strategy, streamed when
//    none fits); in ddr mode plus its weights, input and output DMA; in dpu
//    mode its workloads on one DPU;
//  - a SHAVE node: its one-SHAVE cycles shared by every SHAVE of the device
//    (VPUNN's rule: (int)((float)c1 / (float)(SHAVEs per tile x tiles)),
//    32-bit float, truncated); in ddr mode plus the DMA of its input(s) and
//    output; in dpu mode the SHAVEs of one tile;
//  - nodes run one after another: the network's cycles are their sum;
//  - device mode (a compiler's schedule, as this file models it): activations
//    stay in the tiles' memory (a layer that does not fit is streamed, its
//    slices' DMA in its compute); each DPU layer's weights are fetched while
//    the node before it computes (the DMA engine is busy with that node's
//    own transfers otherwise), and only what that compute does not hide is
//    added (all of it for the first layer); the first DPU layer fetches the
//    network's input and the last costed node spills its output.
#include <span>
#include <string>
#include <vector>

#include "vpucost/dma_model.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/shave_model.hpp"

namespace vpucost {

struct NetworkNode {
  /// Dma: a copy the DMA engine makes as the node's operation (an SR net's
  /// nearest-neighbour upsampling), its transfer's cycles in every mode.
  enum class Engine : std::uint8_t { Dpu, Shave, Layout, Dma };
  std::string name;
  Engine engine = Engine::Dpu;
  Workload layer;        ///< Dpu: a valid layer, channels padded
  ShaveOperation shave;  ///< Shave: a valid operation
  DmaTransfer dma{};     ///< Dma: a valid transfer
};

struct NodeCost {
  double cycles = 0;
  std::string detail;  ///< DPU: the strategy ("SOK", "rows:2 (...)"); SHAVE: "one SHAVE / 12"
  /// The node's DMA terms (for device mode; already in `cycles` in ddr mode).
  double weights = 0;
  double input = 0;
  double output = 0;
  /// Dpu: the DPU workloads it runs, every tile part's (every slice's when
  /// streamed), as the hardware runs them: what to profile for it.
  std::vector<Workload> runs;
};

struct NetworkNodesCost {
  std::vector<NodeCost> nodes;  ///< one per node, in order
  double dpu_cycles = 0;
  double shave_cycles = 0;
  double dma_cycles = 0;  ///< Dma nodes
  double total_cycles() const { return dpu_cycles + shave_cycles + dma_cycles; }
};

/// One SHAVE operation as a network node in `mode` (compute, ddr or
/// dpu_only; the rules above). Throws vpucost::Error when the device has no
/// SHAVE cores or the model cannot answer.
NodeCost cost_shave_operation(const ShaveOperation& op, const ShaveModel& shave,
                              const DmaModel& dma, LatencyMode mode);

/// Costs `nodes` (all of one device) in `mode`. `shave` may be null when
/// there is no SHAVE node. Throws vpucost::Error naming the first node that
/// cannot be costed.
NetworkNodesCost cost_network_nodes(std::span<const NetworkNode> nodes, const CyclePredictor& dpu,
                                    const ShaveModel* shave, const DmaModel& dma, LatencyMode mode);

}  // namespace vpucost
