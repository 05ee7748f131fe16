#pragma once
// Every DPU workload a costing asks about. A latency table or a network
// costed on the whole device asks its predictor about far more than the
// workloads it finally runs: every tiling strategy's tile parts, every
// intra-tile split in every mode, the symmetric neighbours of border pieces,
// the in-range pieces of a very wide part. To build the same table from
// measurements alone, each of those needs a label: RecordingPredictor wraps
// the predictor a costing uses and remembers each distinct workload it was
// asked (`lut` / `net --emit-queried`). Costing again with a predictor that
// answers exactly those workloads with the same cycles gives the same table
// (tests/network/emit_queried_test.cpp).
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "vpucost/dma_model.hpp"
#include "vpucost/predictor.hpp"

namespace vpucost {

class RecordingPredictor final : public CyclePredictor {
 public:
  /// `inner` must outlive this predictor.
  explicit RecordingPredictor(const CyclePredictor& inner);
  ~RecordingPredictor() override;

  double predict_cycles(const Workload& w) const override;
  void predict_cycles(std::span<const Workload> workloads, std::span<double> out) const override;
  std::string_view source() const override { return inner_.source(); }
  std::int64_t max_extent() const override { return inner_.max_extent(); }
  bool learnt_one_sided_padding() const override { return inner_.learnt_one_sided_padding(); }

  /// The distinct workloads asked so far, first asked first.
  std::vector<Workload> queried() const;

 private:
  void record(std::span<const Workload> workloads) const;

  const CyclePredictor& inner_;
  struct Seen;
  std::unique_ptr<Seen> seen_;
  mutable std::mutex mutex_;  ///< queries may come from several threads
};

/// Every DMA transfer a costing asks about (ddr and device modes: weights,
/// input fetch, output spill; streamed slices; an SR net's DMA copies).
/// The DMA model is a curve over bytes, so a transfer is its direction and
/// size: recorded as flat transfers (1 x 1 x bytes, UINT8), the form the DMA
/// recording CSV and `vpucost predict --bytes` take.
class DmaQueryRecorder {
 public:
  /// A copy of `model` that reports every query here; this recorder must
  /// outlive the copy and whatever costs with it.
  DmaModel recording(const DmaModel& model);

  /// The distinct transfers asked so far, first asked first.
  std::vector<DmaTransfer> queried() const;

 private:
  mutable std::mutex mutex_;
  std::vector<DmaTransfer> order_;
  std::vector<std::pair<int, std::int64_t>> seen_;  ///< (direction, bytes), sorted
};

}  // namespace vpucost
