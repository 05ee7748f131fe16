// The device topology table (device.hpp, issue #16 item 1) agrees with the
// facts the v2 teacher README states and with the table's own derived values.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

TEST(DeviceTopology, TilesAndDpusAsVpunnModelsThem) {
  // v2 README, layers/: 2.0 one tile of 5 DPUs; 2.7 2x1, 4.0 6x1, 5.0 3x1.
  const std::pair<Device, std::array<int, 2>> expected[] = {{Device::VPU_2_0, {1, 5}},
                                                            {Device::VPU_2_7, {2, 1}},
                                                            {Device::VPU_4_0, {6, 1}},
                                                            {Device::NPU_5_0, {3, 1}}};
  for (const auto& [device, tiles_dpus] : expected) {
    EXPECT_EQ(device_spec(device).tiles, tiles_dpus[0]) << to_string(device);
    EXPECT_EQ(device_spec(device).dpus_per_tile, tiles_dpus[1]) << to_string(device);
  }
}

TEST(DeviceTopology, ShaveDivisorsOfTheNetworkComposition) {
  // v2 README, composition: a SHAVE node's cycles are divided by SHAVEs per
  // tile x tiles: 4 (2.7), 12 (4.0), 6 (5.0).
  EXPECT_EQ(device_spec(Device::VPU_2_7).shaves_per_tile * device_spec(Device::VPU_2_7).tiles, 4);
  EXPECT_EQ(device_spec(Device::VPU_4_0).shaves_per_tile * device_spec(Device::VPU_4_0).tiles, 12);
  EXPECT_EQ(device_spec(Device::NPU_5_0).shaves_per_tile * device_spec(Device::NPU_5_0).tiles, 6);
  EXPECT_EQ(device_spec(Device::VPU_2_0).shaves_per_tile, 0) << "not modelled";
  // NPU_5_0's SHAVE tables are re-timed by f_DPU / f_SHAVE = 1.7504.
  EXPECT_NEAR(
      device_spec(Device::NPU_5_0).dpu_clock_mhz / device_spec(Device::NPU_5_0).cmx_clock_mhz,
      1.7504, 1e-4);
}

TEST(DeviceTopology, CmxBandwidthFollowsFromTheClocks) {
  // The roofline's CMX bytes per DPU cycle = word x read ports x cmx / dpu clock.
  for (const Device d : all_devices()) {
    const DeviceSpec& s = device_spec(d);
    const double word_ports = d == Device::VPU_2_0   ? 16 * 4
                              : d == Device::VPU_2_7 ? 16 * 8
                                                     : 32 * 8;
    EXPECT_NEAR(s.cmx_bytes_per_cycle, word_ports * s.cmx_clock_mhz / s.dpu_clock_mhz, 0.5)
        << to_string(d);
    EXPECT_GT(s.ddr_mbps, 0);
    EXPECT_GE(s.dma_ports, 1);
    EXPECT_GT(s.dma_mbps, 0);
  }
}

}  // namespace
}  // namespace vpucost
