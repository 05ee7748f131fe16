#include "vpucost/device.hpp"

#include <array>
#include <cstdint>

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
constexpr std::array<ExecutionMode, 1> kMode16x16{ExecutionMode::CUBOID_16x16};
constexpr std::array<ExecutionMode, 1> kMode8x16{ExecutionMode::CUBOID_8x16};
constexpr std::array<int, 3> kDwChannels27{16, 32, 64};
constexpr std::array<DType, 2> kDTypes{DType::UINT8, DType::FLOAT16};
constexpr std::array<DType, 3> kDTypes50{DType::UINT8, DType::FLOAT16, DType::HF8};
constexpr std::array<IsiStrategy, 1> kIsiClustering{IsiStrategy::CLUSTERING};
constexpr std::array<IsiStrategy, 3> kIsiAll{IsiStrategy::CLUSTERING, IsiStrategy::SPLIT_OVER_H,
                                             IsiStrategy::SPLIT_OVER_K};
// NPU 5.0's validator refuses SPLIT_OVER_H (v2 teacher README, section 1).
constexpr std::array<IsiStrategy, 2> kIsi50{IsiStrategy::CLUSTERING, IsiStrategy::SPLIT_OVER_K};

using OperationModes = std::array<std::span<const ExecutionMode>, enum_count<Operation>()>;
constexpr OperationModes every_operation(std::span<const ExecutionMode> modes) {
  return {modes, modes, modes, modes, modes, modes};
}

constexpr std::array<DeviceSpec, 4> kSpecs{{
    {.device = Device::VPU_2_0,
     .dpu_clock_mhz = 700.0,
     .modes = kModes20,
     .operation_modes = every_operation(kModes20),
     .dtypes = kDTypes,
     .tiles = 1,
     .isi_strategies = kIsiClustering,
     .cmx_bytes = 1 << 20,
     .max_cm_input_channels = 16,
     .dw_pool_channels = {},
     .small_conv_runs_as_cm = false,
     .int8_macs_per_cycle = 256.0,
     .fp16_macs_per_cycle = 64.0,  // fp_ratio 4
     .dw_macs_divisor = 1.0,
     .eltwise_elems_per_cycle = 16.0,
     .cmx_bytes_per_cycle = 64.0,  // 16 B x 4 ports, CMX at DPU clock
     .workload_overhead_cycles = 100.0,
     // VPUNN get_dram_bandwidth_MBps (its theoretical DMA for 2.0).
     .dma_mbps = 20000.0,
     .dpus_per_tile = 5,
     .shaves_per_tile = 0,  // VPUNN has no SHAVE tables for 2.0
     .dma_ports = 2,
     .cmx_clock_mhz = 700.0,
     .ddr_mbps = 20000.0},
    {.device = Device::VPU_2_7,
     .dpu_clock_mhz = 1300.0,
     .modes = kModesCuboid,
     .operation_modes = every_operation(kModesCuboid),
     .dtypes = kDTypes,
     .tiles = 2,
     .isi_strategies = kIsiAll,
     .cmx_bytes = 2 << 20,
     .max_cm_input_channels = 16,
     .dw_pool_channels = kDwChannels27,
     .small_conv_runs_as_cm = true,
     .int8_macs_per_cycle = 2048.0,
     .fp16_macs_per_cycle = 1024.0,  // fp_ratio 2
     .dw_macs_divisor = 8.0,
     .eltwise_elems_per_cycle = 64.0,
     .cmx_bytes_per_cycle = 96.0,  // 16 B x 8 ports at 975 MHz = 96 B per 1300 MHz cycle
     .workload_overhead_cycles = 100.0,
     .dma_mbps = 27000.0,  // VPUNN get_dram_bandwidth_MBps
     .dpus_per_tile = 1,
     .shaves_per_tile = 2,
     .dma_ports = 2,
     .cmx_clock_mhz = 975.0,
     .ddr_mbps = 27000.0},
    {.device = Device::VPU_4_0,
     .dpu_clock_mhz = 1700.0,
     .modes = kModesCuboid,
     .operation_modes = every_operation(kModesCuboid),
     .dtypes = kDTypes,
     .tiles = 6,
     .isi_strategies = kIsiAll,
     .cmx_bytes = 3 << 19,  // 1.5 MB
     .max_cm_input_channels = 15,
     .dw_pool_channels = kDwChannels27,
     .small_conv_runs_as_cm = true,
     .int8_macs_per_cycle = 2048.0,
     .fp16_macs_per_cycle = 1024.0,
     .dw_macs_divisor = 8.0,
     .eltwise_elems_per_cycle = 64.0,
     .cmx_bytes_per_cycle = 146.2,  // 32 B x 8 ports at 971 MHz per 1700 MHz cycle
     .workload_overhead_cycles = 100.0,
     // VPUNN's DMA network plateau, ~35 B per 1700 MHz cycle DDR->CMX (v2 README).
     .dma_mbps = 59500.0,
     .dpus_per_tile = 1,
     .shaves_per_tile = 2,
     .dma_ports = 2,
     .cmx_clock_mhz = 971.0,
     .ddr_mbps = 136000.0},
    // NPU 5.0: VPUNN's VPU5_0_HWCharacteristics_v0 and device_valid_valuesVPU5
    // (its network file is vpu_5_1). operation_modes in the Operation enum's
    // order: CONVOLUTION, DW_CONVOLUTION, CM_CONVOLUTION, ELTWISE, MAXPOOL, AVEPOOL.
    {.device = Device::NPU_5_0,
     .dpu_clock_mhz = 1950.0,
     .modes = kModesCuboid,
     .operation_modes = {kModesCuboid, kMode16x16, kModesCuboid, kMode8x16, kMode16x16, kMode16x16},
     .dtypes = kDTypes50,
     .tiles = 3,
     .isi_strategies = kIsi50,
     .cmx_bytes = 3 << 19,  // 1.5 MB
     .max_cm_input_channels = 15,
     .dw_pool_channels = kDwChannels27,
     .small_conv_runs_as_cm = true,
     .int8_macs_per_cycle = 4096.0,  // also HF8 (VPUNN's fp_ratio applies to 16-bit floats)
     .fp16_macs_per_cycle = 2048.0,
     .dw_macs_divisor = 8.0,
     .eltwise_elems_per_cycle = 32.0,
     .cmx_bytes_per_cycle = 146.2,  // 32 B x 8 ports at 1114 MHz per 1950 MHz cycle
     .workload_overhead_cycles = 100.0,
     // VPUNN's DMA network plateau, ~58 B per 1950 MHz cycle (v2 README).
     .dma_mbps = 113000.0,
     .dpus_per_tile = 1,
     .shaves_per_tile = 2,
     .dma_ports = 2,
     .cmx_clock_mhz = 1114.0,
     .ddr_mbps = 136000.0},
}};

constexpr std::array<Device, 4> kDevices{Device::VPU_2_0, Device::VPU_2_7, Device::VPU_4_0,
                                         Device::NPU_5_0};

// A spec's lists as bit sets (bit = enumerator value): validation asks
// whether a mode, a data type or a strategy is in them for every query, and
// searching the lists was a fifth of a workload's validation (perf).
template <class T>
constexpr std::uint32_t bits_of(std::span<const T> values) {
  std::uint32_t bits = 0;
  for (T v : values) bits |= std::uint32_t{1} << static_cast<unsigned>(v);
  return bits;
}
template <class T>
constexpr bool has_bit(std::uint32_t bits, T value) {
  const auto i = static_cast<unsigned>(value);
  return i < 32 && ((bits >> i) & 1u) != 0;
}
static_assert(enum_count<ExecutionMode>() <= 32 && enum_count<DType>() <= 32 &&
              enum_count<IsiStrategy>() <= 32);
struct SpecBits {
  std::uint32_t modes, dtypes, isi_strategies;
  std::array<std::uint32_t, enum_count<Operation>()> operation_modes;
};
// Computed at compile time, so there is no start-up order to get wrong.
constexpr std::array<SpecBits, 4> kSpecBits = [] {
  std::array<SpecBits, 4> out{};
  for (std::size_t d = 0; d < kSpecs.size(); ++d) {
    const DeviceSpec& spec = kSpecs[d];
    out[d].modes = bits_of(spec.modes);
    out[d].dtypes = bits_of(spec.dtypes);
    out[d].isi_strategies = bits_of(spec.isi_strategies);
    for (std::size_t op = 0; op < spec.operation_modes.size(); ++op) {
      out[d].operation_modes[op] = bits_of(spec.operation_modes[op]);
    }
  }
  return out;
}();
const SpecBits& spec_bits(Device device) {
  return kSpecBits.at(static_cast<std::size_t>(device));
}

}  // namespace

const DeviceSpec& device_spec(Device device) {
  return kSpecs.at(static_cast<std::size_t>(device));
}

std::span<const Device> all_devices() {
  return kDevices;
}

bool device_has_mode(Device device, ExecutionMode mode) {
  return has_bit(spec_bits(device).modes, mode);
}

std::span<const ExecutionMode> operation_modes(Device device, Operation operation) {
  return device_spec(device).operation_modes.at(static_cast<std::size_t>(operation));
}

bool operation_has_mode(Device device, Operation operation, ExecutionMode mode) {
  return has_bit(spec_bits(device).operation_modes.at(static_cast<std::size_t>(operation)), mode);
}

bool device_has_dtype(Device device, DType dtype) {
  return has_bit(spec_bits(device).dtypes, dtype);
}

bool device_has_isi_strategy(Device device, IsiStrategy isi) {
  return has_bit(spec_bits(device).isi_strategies, isi);
}

double cycles_to_microseconds(Device device, double cycles) {
  return cycles / device_spec(device).dpu_clock_mhz;
}

}  // namespace vpucost
