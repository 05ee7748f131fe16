#pragma once
// Costing layers and networks, on one DPU or on the whole device.
//
// One-DPU rule (LatencyMode::dpu_only; network/NETWORK.md discusses its
// limits):
//  - a layer becomes one DPU workload, or several when it exceeds what one
//    workload may hold (workload_split.hpp); its cycles are the sum of its
//    workloads' cycles;
//  - each workload runs in the execution mode the predictor finds fastest
//    (what a compiler picks); among equally small splits the cheapest wins;
//  - layers run one after another on one DPU: a block's or a network's
//    cycles are the sum of its layers' cycles, its latency that sum divided
//    by the DPU clock.
// On the whole device (LatencyMode::compute, ::ddr) each layer is costed by
// cost_on_device (layer_strategy.hpp): its tiles, its best tiling strategy
// and, in ddr mode, the DMA of its weights, input and output; layers still
// run one after another. SHAVE nodes (activations) are not in these layers.
//
// NetworkCoster works with any CyclePredictor (a trained CostModel or the
// RooflineModel) and queries it in batches: all workloads of a call, in every
// mode, go to the predictor at once, each distinct workload once.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/dma_model.hpp"
#include "vpucost/network.hpp"
#include "vpucost/network_parts.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/shave_model.hpp"
#include "vpucost/workload_split.hpp"

namespace vpucost {

/// One DPU workload at the mode it runs in, and its cycles.
struct CostedWorkload {
  Workload workload;
  double cycles = 0.0;
};

/// A workload as the hardware runs it: whole, or split into several (on one
/// DPU); or, for a layer on the whole device, every tile part's workloads.
struct WorkloadCost {
  Workload whole;  ///< before splitting (channels padded)
  SplitReason split_reason = SplitReason::None;
  std::string split = "none";             ///< SplitOption::label() of the split used; on the
                                          ///< whole device, the strategy ("SOK", "rows:2 (...)")
  std::vector<CostedWorkload> workloads;  ///< what runs, in order
  double cycles = 0.0;                    ///< sum over workloads
  /// On the whole device, a tile part's next-cheapest way to run (another
  /// mode or cut into DPU workloads; infinity when it has only one): how close
  /// the choice was (layer_training_rows.hpp trusts only clear choices).
  double runner_up_cycles = std::numeric_limits<double>::infinity();
};

struct LayerCost {
  Layer layer;
  WorkloadCost cost;
  /// On the whole device (compute, ddr and device modes), the DMA cycles of
  /// fetching its weights from DDR (LayerDmaTerms::weights): what device mode
  /// hides behind the previous layer's compute. 0 in dpu_only mode.
  double weight_fetch = 0.0;
};

/// Cycles of `w` as the hardware runs it: split when it exceeds one DPU
/// workload's limits, every workload at `mode`, or at its fastest mode when
/// `mode` is empty. Throws vpucost::Error if `w` is invalid or cannot be split.
WorkloadCost cost_workload(const CyclePredictor& predictor, const Workload& w,
                           std::optional<ExecutionMode> mode = std::nullopt);

/// A part's SHAVE step as costed: the operation on the device and its cycles.
struct ShaveCost {
  ShaveStep step;
  ShaveOperation operation;
  double cycles = 0.0;
  std::string detail;  ///< "one SHAVE / 12"
};

/// A part's DMA copy as costed: the transfer and its cycles (the same in
/// every latency mode: the copy is the operation itself).
struct DmaCost {
  DmaStep step;
  DmaTransfer transfer;
  double cycles = 0.0;
};

/// How a layer's latency is counted (network/NETWORK.md section 12).
enum class LatencyMode : std::uint8_t {
  dpu_only,  ///< one DPU runs the layer's workloads one after another (the original rule)
  compute,   ///< the whole device: best tiling strategy, weights prefetched, activations in
             ///< CMX; a layer no strategy fits is streamed through DDR (cost_on_device)
  ddr,       ///< compute + weights fetched + input fetched + output spilled, every layer
             ///< (VPUNN's serial rule)
  device,    ///< a network in order (network_nodes.hpp): compute, plus the part of each
             ///< layer's weight fetch the previous node does not hide, the network's
             ///< input fetch and output spill. A table entry (lut.hpp) has no
             ///< predecessor: its first layer's fetch hides behind the entry's own
             ///< last layer, as in a stage of like blocks (lut.cpp). NetworkCoster::cost
             ///< gives each layer's compute cycles in this mode; the callers add the rest
};
std::string_view to_string(LatencyMode mode);
/// "dpu", "compute", "ddr" or "device"; throws vpucost::Error naming the
/// choices.
LatencyMode parse_latency_mode(std::string_view text);

class NetworkCoster {
 public:
  /// `predictor` (and `dma`, when given) must outlive the coster. Throws
  /// vpucost::Error when a model is of another device. Without `dma`, the
  /// device's roofline DMA costs the transfers of the compute and ddr modes.
  NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype,
                LatencyMode mode = LatencyMode::dpu_only, const DmaModel* dma = nullptr);
  /// The same, with a SHAVE model (must outlive the coster) for parts with
  /// SHAVE steps (MobileNetV3's activations and SE).
  NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype, LatencyMode mode,
                const DmaModel* dma, const ShaveModel* shave);

  Device device() const { return device_; }
  DType dtype() const { return dtype_; }
  LatencyMode mode() const { return mode_; }
  const CyclePredictor& predictor() const { return *predictor_; }

  /// Costs of `layers`, in order, with one batched predictor query.
  /// Throws vpucost::Error naming the first invalid layer.
  std::vector<LayerCost> cost(std::span<const Layer> layers) const;
  LayerCost cost(const Layer& layer) const;
  /// A SHAVE step at this coster's device and dtype, costed as a network's
  /// SHAVE node (network_nodes.hpp) in this coster's mode. Throws
  /// vpucost::Error when the coster has no SHAVE model.
  ShaveCost cost(const ShaveStep& step) const;
  bool has_shave_model() const { return shave_ != nullptr; }
  /// Why this coster cannot cost `step` (no SHAVE model, or one without the
  /// operation's kernel on this device: VPUNN has no PReLU on VPU_2_7 and
  /// no interpolate on VPU_4_0), or std::nullopt.
  std::optional<std::string> find_unanswerable(const ShaveStep& step) const;
  /// A DMA copy at this coster's device and dtype, by the DMA model (the
  /// device's roofline DMA when the coster has none).
  DmaCost cost(const DmaStep& step) const;

  /// Cycles at this device's DPU clock to milliseconds.
  double milliseconds(double cycles) const;

 private:
  std::vector<LayerCost> cost_on_device(std::span<const Layer> layers) const;
  /// The operation a SHAVE step is on this coster's device and dtype.
  ShaveOperation shave_operation(const ShaveStep& step) const;

  const CyclePredictor* predictor_;
  Device device_;
  DType dtype_;
  LatencyMode mode_;
  std::shared_ptr<const DmaModel> dma_;
  const ShaveModel* shave_ = nullptr;
};

/// Sum of the cycles of `layers`.
double total_cycles(std::span<const LayerCost> layers);

/// One DPU layer, SHAVE step or DMA copy of a network's parts, costed.
struct PartItemCost {
  std::size_t part = 0;            ///< index into the parts
  std::optional<LayerCost> layer;  ///< a DPU layer ...
  std::optional<ShaveCost> shave;  ///< ... or a SHAVE step
  std::optional<DmaCost> dma;      ///< ... or a DMA copy
  double cycles() const { return layer ? layer->cost.cycles : shave ? shave->cycles : dma->cycles; }
};

/// Every DPU layer (costed in one batch), SHAVE step and DMA copy of
/// `parts`, in execution order: part by part, each step after the layers it
/// follows (after_layers; at the same place SHAVE steps before DMA copies).
std::vector<PartItemCost> cost_parts(std::span<const NetPart> parts, const NetworkCoster& coster);

/// The cycles of cost_parts summed in that order -- the order `vpucost net`
/// adds its rows in, so both give the same bits.
double parts_cycles(std::span<const NetPart> parts, const NetworkCoster& coster);

}  // namespace vpucost
