#include "vpucost/recording_predictor.hpp"

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

}  // namespace vpucost
