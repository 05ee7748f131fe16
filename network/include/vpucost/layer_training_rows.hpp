#pragma once
// DPU training rows from whole-layer recordings (issue #16).
//
// A layer recording (the v2 teacher's layers/ files, or a compiler's
// profiled layers) labels a layer's cycles under each tiling strategy, not
// its DPU workloads. But under a strategy the layer's cycles are its slowest
// tile's, and a tile's are its DPU workloads' (network/NETWORK.md section
// 11): where that chain runs through a single workload shape, the label says
// what that workload costs -- a workload of the very kind whole-device
// costing asks for (one-sided halo rows, short or narrow SOHO / SOW pieces,
// SOK's broadcast) and DPU recordings rarely hold.
//
// Which tile and which cut decide a label is known only through a model, so
// a row is kept only where the model's choice is clear:
//  - the slowest tile beats every other tile of a different shape by at
//    least `margin` (relative);
//  - its chosen cut (mode, channel chunks) beats the next-cheapest by at
//    least `margin`, and consists of one workload shape issued n times
//    (label / ceil(n / DPUs per tile) each);
//  - for the recording's best strategy, where it names them, the modes it
//    used include the chosen one and its workload count is ours.
// Re-deriving the rows with the model trained on them sharpens the choices
// (models/README.md, "Fine-tuned on whole-layer labels": three rounds).
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "vpucost/layer_strategy.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

/// What a layer recording says about one layer.
struct LayerLabels {
  /// Cycles per TilingStrategy; NaN or <= 0 where the recording has none.
  std::array<double, enum_count<TilingStrategy>()> cycles{};
  std::optional<TilingStrategy> best;
  std::vector<ExecutionMode> best_modes;  ///< modes the best strategy used; empty: unknown
  std::int64_t best_workloads = 0;        ///< DPU workloads of the best strategy; 0: unknown
};

struct LayerTrainingRow {
  Workload workload;  ///< mode, isi_strategy and output_write_tiles set
  double cycles = 0;  ///< the label's share for one such workload
  TilingStrategy strategy = TilingStrategy::CLUSTERING;  ///< whose label it is
};

/// The rows `labels` gives through `ours` (the same layer costed by
/// cost_strategies). `margin` in [0, 1): the relative lead a choice needs.
std::vector<LayerTrainingRow> layer_training_rows(const LayerStrategies& ours,
                                                  const LayerLabels& labels, double margin);

}  // namespace vpucost
