#include "vpucost/roofline.hpp"

#include <algorithm>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {
double round_up(std::int64_t value, int multiple) {
  return double((value + multiple - 1) / multiple * multiple);
}
}  // namespace

RooflineBreakdown RooflineModel::breakdown(const Workload& raw) {
  const Workload w = as_executed(raw);
  const DeviceSpec& spec = device_spec(w.device);
  const ModeGrid grid = mode_grid(w.mode);
  const WorkloadCounts counts = count_work(w);

  const double grid_outputs = round_up(w.output.width, grid.grid_w) *
                              round_up(w.output.height, grid.grid_h) *
                              round_up(w.output.channels, 16);
  const double kernel_area = double(w.kernel_w) * double(w.kernel_h);
  double mac_rate =
      w.input.dtype == DType::FLOAT16 ? spec.fp16_macs_per_cycle : spec.int8_macs_per_cycle;
  double compute = 0.0;
  switch (w.operation) {
    case Operation::CONVOLUTION:
    case Operation::CM_CONVOLUTION:
      compute = grid_outputs * kernel_area * double(w.input.channels) / mac_rate;
      break;
    case Operation::DW_CONVOLUTION:
    case Operation::MAXPOOL:
    case Operation::AVEPOOL:
      mac_rate /= spec.dw_macs_divisor;
      compute = grid_outputs * kernel_area / mac_rate;
      break;
    case Operation::ELTWISE:
      compute = counts.macs / spec.eltwise_elems_per_cycle;
      break;
  }
  // Sparse tensors are read compressed: only their non-zero share. On
  // ELTWISE the weight sparsity is the second operand's (count_work counts
  // both operands as input).
  const double in_density = 1.0 - w.input_sparsity;
  const double weight_density = 1.0 - w.weight_sparsity;
  const double input_bytes = w.operation == Operation::ELTWISE
                                 ? counts.input_bytes / 2.0 * (in_density + weight_density)
                                 : counts.input_bytes * in_density;
  const double memory = (input_bytes + counts.output_bytes + counts.weight_bytes * weight_density) /
                        spec.cmx_bytes_per_cycle;
  const double overhead = spec.workload_overhead_cycles;
  return {compute, memory, overhead, std::max(compute, memory) + overhead};
}

double RooflineModel::predict_cycles(const Workload& w) const {
  validate(w);
  return breakdown(w).total_cycles;
}

}  // namespace vpucost
