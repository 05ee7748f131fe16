#include "vpucost/recording_predictor.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "batch_coster.hpp"

namespace vpucost {

struct RecordingPredictor::Seen {
  std::unordered_set<Workload, detail::WorkloadHash> set;
  std::vector<Workload> order;
};

RecordingPredictor::RecordingPredictor(const CyclePredictor& inner)
    : inner_(inner), seen_(std::make_unique<Seen>()) {}

RecordingPredictor::~RecordingPredictor() = default;

void RecordingPredictor::record(std::span<const Workload> workloads) const {
  const std::lock_guard lock(mutex_);
  for (const Workload& w : workloads) {
    if (seen_->set.insert(w).second) seen_->order.push_back(w);
  }
}

double RecordingPredictor::predict_cycles(const Workload& w) const {
  record(std::span<const Workload>(&w, 1));
  return inner_.predict_cycles(w);
}

void RecordingPredictor::predict_cycles(std::span<const Workload> workloads,
                                        std::span<double> out) const {
  record(workloads);
  inner_.predict_cycles(workloads, out);
}

std::vector<Workload> RecordingPredictor::queried() const {
  const std::lock_guard lock(mutex_);
  return seen_->order;
}

DmaModel DmaQueryRecorder::recording(const DmaModel& model) {
  DmaModel copy = model;
  const Device device = model.device();
  copy.observe(std::make_shared<const DmaModel::QueryObserver>(
      [this, device](DmaDirection direction, double bytes) {
        const auto whole = static_cast<std::int64_t>(std::llround(bytes));
        const std::pair key{static_cast<int>(direction), whole};
        const std::lock_guard lock(mutex_);
        const auto at = std::lower_bound(seen_.begin(), seen_.end(), key);
        if (at != seen_.end() && *at == key) return;
        seen_.insert(at, key);
        order_.push_back(flat_transfer(device, direction, whole));
      }));
  return copy;
}

std::vector<DmaTransfer> DmaQueryRecorder::queried() const {
  const std::lock_guard lock(mutex_);
  return order_;
}

}  // namespace vpucost
