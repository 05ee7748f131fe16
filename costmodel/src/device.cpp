#include "vpucost/device.hpp"

#include <algorithm>
#include <array>

namespace vpucost {
namespace {

// Hardware constants follow Intel's public VPUNN tables
// (npu-nn-cost-model, include/vpu/hw_characteristics/*): DPU clock, MAC
// array size ("nr_macs"), FP16 slow-down ("fp_ratio"), PPE lanes
// ("nr_ppe"), depthwise input-channel parallelism ("input_channels_mac") and
// CMX read bandwidth (word size x read ports, converted from the CMX clock to
// the DPU clock). CMX capacities and the workload limits are those VPUNN's
// validator enforces (see ../shared/datasets/vpunn-teacher/README.md).
constexpr std::array<ExecutionMode, 3> kModes20{ExecutionMode::VECTOR, ExecutionMode::MATRIX,
                                                ExecutionMode::VECTOR_FP16};
constexpr std::array<ExecutionMode, 3> kModesCuboid{
    ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16, ExecutionMode::CUBOID_4x16};
constexpr std::array<int, 3> kDwChannels27{16, 32, 64};

const std::array<DeviceSpec, 3> kSpecs{{
    {.device = Device::VPU_2_0,
     .dpu_clock_mhz = 700.0,
     .modes = kModes20,
     .cmx_bytes = 1 << 20,
     .max_cm_input_channels = 16,
     .dw_pool_channels = {},
     .small_conv_runs_as_cm = false,
     .int8_macs_per_cycle = 256.0,
     .fp16_macs_per_cycle = 64.0,  // fp_ratio 4
     .dw_macs_divisor = 1.0,
     .eltwise_elems_per_cycle = 16.0,
     .cmx_bytes_per_cycle = 64.0,  // 16 B x 4 ports, CMX at DPU clock
     .workload_overhead_cycles = 100.0},
    {.device = Device::VPU_2_7,
     .dpu_clock_mhz = 1300.0,
     .modes = kModesCuboid,
     .cmx_bytes = 2 << 20,
     .max_cm_input_channels = 16,
     .dw_pool_channels = kDwChannels27,
     .small_conv_runs_as_cm = true,
     .int8_macs_per_cycle = 2048.0,
     .fp16_macs_per_cycle = 1024.0,  // fp_ratio 2
     .dw_macs_divisor = 8.0,
     .eltwise_elems_per_cycle = 64.0,
     .cmx_bytes_per_cycle = 96.0,  // 16 B x 8 ports at 975 MHz = 96 B per 1300 MHz cycle
     .workload_overhead_cycles = 100.0},
    {.device = Device::VPU_4_0,
     .dpu_clock_mhz = 1700.0,
     .modes = kModesCuboid,
     .cmx_bytes = 3 << 19,  // 1.5 MB
     .max_cm_input_channels = 15,
     .dw_pool_channels = kDwChannels27,
     .small_conv_runs_as_cm = true,
     .int8_macs_per_cycle = 2048.0,
     .fp16_macs_per_cycle = 1024.0,
     .dw_macs_divisor = 8.0,
     .eltwise_elems_per_cycle = 64.0,
     .cmx_bytes_per_cycle = 146.2,  // 32 B x 8 ports at 971 MHz per 1700 MHz cycle
     .workload_overhead_cycles = 100.0},
}};

constexpr std::array<Device, 3> kDevices{Device::VPU_2_0, Device::VPU_2_7, Device::VPU_4_0};

}  // namespace

const DeviceSpec& device_spec(Device device) {
  return kSpecs.at(static_cast<std::size_t>(device));
}

std::span<const Device> all_devices() {
  return kDevices;
}

ModeGrid mode_grid(ExecutionMode mode) {
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

bool device_has_mode(Device device, ExecutionMode mode) {
  const auto modes = device_spec(device).modes;
  return std::find(modes.begin(), modes.end(), mode) != modes.end();
}

double cycles_to_microseconds(Device device, double cycles) {
  return cycles / device_spec(device).dpu_clock_mhz;
}

}  // namespace vpucost
