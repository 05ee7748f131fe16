#pragma once
// Analytic roofline estimate: the baseline every trained model is compared
// with, and the fallback when no model is given. Per workload (in its
// executed form, channels padded to 16):
//
//   compute = grid MACs / MAC rate
//     grid MACs: output width and height rounded up to the execution mode's
//       grid (mode_grid), output channels to 16, times kernel area, times
//       input channels for (CM_)CONVOLUTION;
//     MAC rate: int8_macs_per_cycle (UINT8 input) or fp16_macs_per_cycle
//       (FLOAT16 input), divided by dw_macs_divisor for depthwise and pooling;
//     ELTWISE: output elements / eltwise_elems_per_cycle instead.
//     MAC rate of HF8 (NPU_5_0) is the 8-bit one.
//   memory  = (input + output + weight bytes) / cmx_bytes_per_cycle, where a
//     sparse input or weight tensor counts only its non-zero share
//     (1 - rate; ELTWISE's weight sparsity is its second operand's)
//   cycles  = max(compute, memory) + workload_overhead_cycles
//
// The constants per device are in device.cpp. It ignores pipeline stalls,
// the compute skipped on sparse data, halo, activation, output broadcast and
// per-mode efficiency beyond the grid, so expect errors of tens of percent;
// it is a bound, not a prediction.
#include "vpucost/predictor.hpp"

namespace vpucost {

struct RooflineBreakdown {
  double compute_cycles;
  double memory_cycles;
  double overhead_cycles;
  double total_cycles;
};

class RooflineModel final : public CyclePredictor {
 public:
  using CyclePredictor::predict_cycles;
  double predict_cycles(const Workload& w) const override;
  std::string_view source() const override { return "roofline"; }

  /// The terms of the estimate for a valid workload.
  static RooflineBreakdown breakdown(const Workload& w);
};

}  // namespace vpucost
