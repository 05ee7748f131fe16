// DPU training rows from whole-layer recordings: the rules are in
// layer_training_rows.hpp.
#include "vpucost/layer_training_rows.hpp"

#include <algorithm>
#include <cmath>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

// The one row a strategy's label gives, if the model's choices are clear.
std::optional<LayerTrainingRow> row_of(const StrategyCost& ours, double label,
                                       const LayerLabels& labels, double margin) {
  if (ours.tiles.empty()) return std::nullopt;
  const auto slowest = std::max_element(
      ours.tiles.begin(), ours.tiles.end(),
      [](const WorkloadCost& a, const WorkloadCost& b) { return a.cycles < b.cycles; });
  const double keep = 1.0 - margin;
  // Another tile close behind could be the one the label measured.
  for (const WorkloadCost& t : ours.tiles) {
    if (!(t.whole == slowest->whole) && t.cycles > slowest->cycles * keep) return std::nullopt;
  }
  // Another way to run the tile close behind could be the one it used.
  if (slowest->runner_up_cycles * keep < slowest->cycles) return std::nullopt;
  const auto& pieces = slowest->workloads;
  if (pieces.empty()) return std::nullopt;
  for (const CostedWorkload& p : pieces) {
    if (!(p.workload == pieces.front().workload)) return std::nullopt;
  }
  const Workload& w = pieces.front().workload;
  if (labels.best && *labels.best == ours.strategy) {
    const auto& modes = labels.best_modes;
    if (!modes.empty() && std::find(modes.begin(), modes.end(), w.mode) == modes.end()) {
      return std::nullopt;
    }
    if (labels.best_workloads > 0 &&
        static_cast<std::size_t>(labels.best_workloads) != ours.workloads()) {
      return std::nullopt;
    }
  }
  // n equal workloads list-scheduled on the tile's DPUs finish in
  // ceil(n / DPUs) rounds.
  const auto dpus = static_cast<std::size_t>(device_spec(w.device).dpus_per_tile);
  const auto rounds = static_cast<double>((pieces.size() + dpus - 1) / dpus);
  return LayerTrainingRow{w, label / rounds, ours.strategy};
}

}  // namespace

std::vector<LayerTrainingRow> layer_training_rows(const LayerStrategies& ours,
                                                  const LayerLabels& labels, double margin) {
  std::vector<LayerTrainingRow> rows;
  for (const StrategyCost& s : ours.valid) {
    const double label = labels.cycles[static_cast<std::size_t>(s.strategy)];
    if (!std::isfinite(label) || label <= 0) continue;
    if (auto row = row_of(s, label, labels, margin)) rows.push_back(std::move(*row));
  }
  return rows;
}

}  // namespace vpucost
