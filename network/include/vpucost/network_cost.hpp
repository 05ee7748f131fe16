#pragma once
// Costing layers and networks on one DPU.
//
// Composition rule (network/NETWORK.md discusses its limits):
//  - a layer becomes one DPU workload, or several when it exceeds what one
//    workload may hold (workload_split.hpp); its cycles are the sum of its
//    workloads' cycles;
//  - each workload runs in the execution mode the predictor finds fastest
//    (what a compiler picks); among equally small splits the cheapest wins;
//  - layers run one after another on one DPU: a block's or a network's
//    cycles are the sum of its layers' cycles, its latency that sum divided
//    by the DPU clock.
// Not modelled: several tiles/DPUs working in parallel, DMA between DDR and
// CMX, weight prefetch, SHAVE (activation kernels) and runtime overhead.
//
// NetworkCoster works with any CyclePredictor (a trained CostModel or the
// RooflineModel) and queries it in batches: all workloads of a call, in every
// mode, go to the predictor at once, each distinct workload once.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/network.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/workload_split.hpp"

namespace vpucost {

/// One DPU workload at the mode it runs in, and its cycles.
struct CostedWorkload {
  Workload workload;
  double cycles = 0.0;
};

/// A workload as the hardware runs it: whole, or split into several.
struct WorkloadCost {
  Workload whole;  ///< before splitting (channels padded)
  SplitReason split_reason = SplitReason::None;
  std::string split = "none";             ///< SplitOption::label() of the split used
  std::vector<CostedWorkload> workloads;  ///< what runs, in order
  double cycles = 0.0;                    ///< sum over workloads
};

struct LayerCost {
  Layer layer;
  WorkloadCost cost;
};

/// Cycles of `w` as the hardware runs it: split when it exceeds one DPU
/// workload's limits, every workload at `mode`, or at its fastest mode when
/// `mode` is empty. Throws vpucost::Error if `w` is invalid or cannot be split.
WorkloadCost cost_workload(const CyclePredictor& predictor, const Workload& w,
                           std::optional<ExecutionMode> mode = std::nullopt);

class NetworkCoster {
 public:
  /// `predictor` must outlive the coster. Throws vpucost::Error when the
  /// predictor is a model of another device.
  NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype);

  Device device() const { return device_; }
  DType dtype() const { return dtype_; }
  const CyclePredictor& predictor() const { return *predictor_; }

  /// Costs of `layers`, in order, with one batched predictor query.
  /// Throws vpucost::Error naming the first invalid layer.
  std::vector<LayerCost> cost(std::span<const Layer> layers) const;
  LayerCost cost(const Layer& layer) const;

  /// Cycles at this device's DPU clock to milliseconds.
  double milliseconds(double cycles) const;

 private:
  const CyclePredictor* predictor_;
  Device device_;
  DType dtype_;
};

/// Sum of the cycles of `layers`.
double total_cycles(std::span<const LayerCost> layers);

}  // namespace vpucost
