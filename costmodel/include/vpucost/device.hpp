#pragma once
// What vpucost knows about each VPU generation: its DPU clock, execution
// modes, tile memory, per-workload limits and the roofline constants.
// Adding a generation = a new Device member + one entry in device.cpp.
#include <array>
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
  /// Modes accepted per operation (indexed by Operation), each a subset of
  /// `modes`: NPU_5_0 runs depthwise and pooling only as CUBOID_16x16 and
  /// ELTWISE only as CUBOID_8x16.
  std::array<std::span<const ExecutionMode>, enum_count<Operation>()> operation_modes;
  std::span<const DType> dtypes;  ///< data types of input and output tensors
  /// Tiles a workload's output can be written to: output_write_tiles is
  /// 1..tiles. VPUNN takes only 1 on VPU_2_0 (one tile of 5 DPUs).
  int tiles;
  std::span<const IsiStrategy> isi_strategies;  ///< inter-slice strategies accepted
  std::int64_t cmx_bytes;                       ///< tile memory one workload must fit in
  int max_cm_input_channels;                    ///< CM_CONVOLUTION input channel limit
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
  /// Bandwidth one large DMA transfer reaches, MB/s: the roofline DMA
  /// model's rate (dma_model.hpp, roofline_dma_parts).
  double dma_mbps;

  // Topology: what a layer is spread over (network/, issue #16). Values are
  // VPUNN's hardware characteristics (VPUx_HWCharacteristics) and the v2
  // teacher README; costmodel/README.md, "Device topology", is the table.
  int dpus_per_tile;     ///< DPUs in one tile (VPUNN models VPU_2_0 as 1 tile of 5)
  int shaves_per_tile;   ///< SHAVE cores running activations per tile (0: not modelled)
  int dma_ports;         ///< DMA engines working in parallel
  double cmx_clock_mhz;  ///< CMX and SHAVE clock (SHAVE tables convert at dpu / cmx)
  double ddr_mbps;       ///< DRAM bandwidth VPUNN assumes, MB/s
};

const DeviceSpec& device_spec(Device device);
std::span<const Device> all_devices();

/// Output grid of `mode` (VECTOR 16x1x16, VECTOR_FP16 4x1x16, MATRIX 4x4x16,
/// CUBOID_16x16 16x16x64, CUBOID_8x16 16x8x128, CUBOID_4x16 8x8x256). Inline:
/// every query's feature encoding asks it.
constexpr ModeGrid mode_grid(ExecutionMode mode) {
  switch (mode) {
    case ExecutionMode::VECTOR:
      return {16, 1, 16};
    case ExecutionMode::VECTOR_FP16:
      return {4, 1, 16};
    case ExecutionMode::MATRIX:
      return {4, 4, 16};
    case ExecutionMode::CUBOID_16x16:
      return {16, 16, 64};
    case ExecutionMode::CUBOID_8x16:
      return {16, 8, 128};
    case ExecutionMode::CUBOID_4x16:
      return {8, 8, 256};
  }
  return {1, 1, 16};
}

bool device_has_mode(Device device, ExecutionMode mode);
/// Whether `device` runs `operation` in `mode` (a stricter check than device_has_mode).
bool operation_has_mode(Device device, Operation operation, ExecutionMode mode);
/// The modes `device` runs `operation` in (the first is the default choice).
std::span<const ExecutionMode> operation_modes(Device device, Operation operation);
bool device_has_dtype(Device device, DType dtype);
bool device_has_isi_strategy(Device device, IsiStrategy isi);

/// Bytes per tensor element: 2 for FLOAT16, 1 for UINT8 and HF8.
constexpr double bytes_per_element(DType t) {
  return t == DType::FLOAT16 ? 2.0 : 1.0;
}

/// Cycles at the device's DPU clock to microseconds.
double cycles_to_microseconds(Device device, double cycles);

}  // namespace vpucost
