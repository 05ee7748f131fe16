#pragma once
// The --emit-* files of `vpucost net` (--config, --nodes or --onnx): what to
// profile for a network. The predictor and DMA model the costing uses record
// every query when --emit-queried / --emit-dma ask for them
// (recording_predictor.hpp); the workloads run and the SHAVE operations come
// from the costed network.
#include <span>

#include "network_cli.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/recording_predictor.hpp"

namespace vpucost::cli {

class NetEmitters {
 public:
  NetEmitters(const po::variables_map& vm, const CostingSetup& setup);

  /// What to cost the nodes with: the loaded models, recording if asked.
  const CyclePredictor& predictor() const { return *predictor_; }
  const DmaModel& dma() const { return dma_; }

  /// Writes each file asked for (temporary file, then rename): `runs` the
  /// DPU workloads the network runs, `shave` its SHAVE operations.
  void write(std::span<const Workload> runs, std::span<const ShaveOperation* const> shave) const;
  /// The same for a network costed node by node.
  void write(std::span<const NetworkNode> nodes, const NetworkNodesCost& cost) const;

 private:
  const po::variables_map& vm_;
  RecordingPredictor recorder_;
  const CyclePredictor* predictor_;
  DmaQueryRecorder dma_recorder_;
  DmaModel dma_;
};

}  // namespace vpucost::cli
