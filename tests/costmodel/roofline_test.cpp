#include "vpucost/roofline.hpp"

#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"

namespace vpucost {
namespace {

using test::conv3x3;

TEST(Roofline, ConvolutionIsComputeBoundWithGridRounding) {
  // 56x56 output on CUBOID_16x16 computes a 64x64 grid: 64*64*64 outputs x 9 x 64 MACs / 2048.
  const auto b = RooflineModel::breakdown(conv3x3());
  EXPECT_DOUBLE_EQ(b.compute_cycles, 64.0 * 64 * 64 * 9 * 64 / 2048);
  EXPECT_GT(b.compute_cycles, b.memory_cycles);
  EXPECT_DOUBLE_EQ(b.total_cycles, b.compute_cycles + 100.0);
}

TEST(Roofline, Float16IsSlowerAndMoreChannelsCostMore) {
  const RooflineModel r;
  auto w = conv3x3();
  const double u8 = r.predict_cycles(w);
  w.input.dtype = w.output.dtype = DType::FLOAT16;
  EXPECT_GT(r.predict_cycles(w), u8);
  EXPECT_GT(r.predict_cycles(conv3x3(Device::VPU_2_7, 128)), u8);
  EXPECT_DOUBLE_EQ(r.predict_cycles(conv3x3(Device::VPU_2_7, 65)),
                   r.predict_cycles(conv3x3(Device::VPU_2_7, 80)));
}

TEST(Roofline, EveryDeviceAndOperationGivesPositiveCycles) {
  const RooflineModel r;
  for (Device d : all_devices()) {
    for (ExecutionMode m : device_spec(d).modes) {
      auto w = conv3x3(d);
      w.mode = m;
      for (auto op : {Operation::CONVOLUTION, Operation::DW_CONVOLUTION, Operation::MAXPOOL,
                      Operation::AVEPOOL}) {
        w.operation = op;
        EXPECT_GT(r.predict_cycles(w), 100.0);
      }
      w.operation = Operation::ELTWISE;
      w.kernel_w = w.kernel_h = 1;
      w.padding = {};
      EXPECT_GT(r.predict_cycles(w), 100.0);
    }
  }
}

TEST(Device, ClockConvertsCyclesToMicroseconds) {
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_2_0, 700.0), 1.0);
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_2_7, 1300.0), 1.0);
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_4_0, 3400.0), 2.0);
}

}  // namespace
}  // namespace vpucost
