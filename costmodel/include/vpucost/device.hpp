#pragma once
// What vpucost knows about each VPU generation: its DPU clock, execution
// modes, tile memory, per-workload limits and the roofline constants.
// Adding a generation = a new Device member + one entry in device.cpp.
#include <cstdint>
#include <span>

#include "vpucost/enums.hpp"

namespace vpucost {

/// Output grid of one execution mode: the DPU computes output in blocks of
/// grid_w x grid_h pixels x grid_c channels, so sizes are effectively rounded
/// up to these multiples (values from VPUNN's mode tables).
struct ModeGrid {
  int grid_w;
  int grid_h;
  int grid_c;
};

struct DeviceSpec {
  Device device;
  double dpu_clock_mhz;                  ///< nominal DPU clock; cycles -> microseconds
  std::span<const ExecutionMode> modes;  ///< modes this generation accepts
  std::int64_t cmx_bytes;                ///< tile memory one workload must fit in
  int max_cm_input_channels;             ///< CM_CONVOLUTION input channel limit
  /// Channel counts one depthwise/pool workload may have; empty = any multiple of 16.
  std::span<const int> dw_pool_channels;
  /// Whether this generation runs a CONVOLUTION with < 16 input channels as
  /// CM_CONVOLUTION (VPU 2.7 and later do; 2.0 pads to 16).
  bool small_conv_runs_as_cm;

  // Roofline constants (see roofline.hpp for how they combine).
  double int8_macs_per_cycle;       ///< dense MAC array, 8-bit operands
  double fp16_macs_per_cycle;       ///< same array with FLOAT16 operands
  double dw_macs_divisor;           ///< depthwise/pool use 1/divisor of the array
  double eltwise_elems_per_cycle;   ///< post-processing (PPE) lanes
  double cmx_bytes_per_cycle;       ///< CMX read bandwidth per DPU clock cycle
  double workload_overhead_cycles;  ///< fixed start-up cost of one DPU workload
};

const DeviceSpec& device_spec(Device device);
std::span<const Device> all_devices();

/// Output grid of `mode` (VECTOR 16x1x16, VECTOR_FP16 4x1x16, MATRIX 4x4x16,
/// CUBOID_16x16 16x16x64, CUBOID_8x16 16x8x128, CUBOID_4x16 8x8x256).
ModeGrid mode_grid(ExecutionMode mode);

bool device_has_mode(Device device, ExecutionMode mode);

/// Cycles at the device's DPU clock to microseconds.
double cycles_to_microseconds(Device device, double cycles);

}  // namespace vpucost
