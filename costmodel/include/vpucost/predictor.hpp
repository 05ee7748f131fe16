#pragma once
// What every cycle estimator offers: the trained CostModel and the analytic
// RooflineModel both implement it, so network costing, LUTs and NAS work
// with either.
#include <cstdint>
#include <span>
#include <string_view>

#include "vpucost/workload.hpp"

namespace vpucost {

class CyclePredictor {
 public:
  virtual ~CyclePredictor() = default;

  /// DPU cycles of one workload. Validates it first and throws vpucost::Error
  /// if it is invalid or the predictor cannot answer for its device.
  virtual double predict_cycles(const Workload& w) const = 0;

  /// Cycles of many workloads; out.size() must equal workloads.size().
  /// Throws on the first invalid workload, naming its index.
  virtual void predict_cycles(std::span<const Workload> workloads, std::span<double> out) const;

  /// "model" or "roofline": where the numbers come from.
  virtual std::string_view source() const = 0;
  /// The largest output width or height its answers are trusted for; 0 for
  /// any. Network costing cuts a wider or taller workload into column and
  /// row pieces within it and sums their cycles (network/src/range_split.hpp).
  virtual std::int64_t max_extent() const { return 0; }
  /// Whether its answers for workloads padded on one side only
  /// (one_sided_padding) were learnt from such workloads. When not, costing a
  /// layer on the whole device asks for such a halo piece as its two
  /// symmetric neighbours instead (network/NETWORK.md section 11).
  virtual bool learnt_one_sided_padding() const { return false; }
};

}  // namespace vpucost
