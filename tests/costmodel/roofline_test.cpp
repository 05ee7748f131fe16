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

TEST(Roofline, EveryDeviceOperationModeAndDtypeGivesPositiveCycles) {
  const RooflineModel r;
  int checked = 0;
  for (Device d : all_devices()) {
    for (ExecutionMode m : device_spec(d).modes) {
      for (DType t : device_spec(d).dtypes) {
        auto w = conv3x3(d);
        w.mode = m;
        w.input.dtype = w.output.dtype = t;
        for (auto op : {Operation::CONVOLUTION, Operation::DW_CONVOLUTION, Operation::MAXPOOL,
                        Operation::AVEPOOL}) {
          w.operation = op;
          if (!operation_has_mode(d, op, m)) continue;
          EXPECT_GT(r.predict_cycles(w), 100.0);
          ++checked;
        }
        w.operation = Operation::ELTWISE;
        w.kernel_w = w.kernel_h = 1;
        w.padding = {};
        if (!operation_has_mode(d, Operation::ELTWISE, m)) continue;
        EXPECT_GT(r.predict_cycles(w), 100.0);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3 * 5 * 2 + 3 * 5 * 2 + 3 * 5 * 2 + (3 + 1 * 3 + 1) * 3);
}

TEST(Roofline, Npu50ComputesTwiceAsManyMacsAndHf8AtTheEightBitRate) {
  auto w = conv3x3(Device::NPU_5_0);
  const auto b50 = RooflineModel::breakdown(w);
  EXPECT_DOUBLE_EQ(b50.compute_cycles, 64.0 * 64 * 64 * 9 * 64 / 4096);
  w.input.dtype = DType::HF8;
  EXPECT_DOUBLE_EQ(RooflineModel::breakdown(w).compute_cycles, b50.compute_cycles);
  w.input.dtype = DType::FLOAT16;
  EXPECT_DOUBLE_EQ(RooflineModel::breakdown(w).compute_cycles, 2 * b50.compute_cycles);
}

TEST(Roofline, SparseTensorsAreReadCompressed) {
  auto w = conv3x3(Device::VPU_4_0, 256);
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  const auto dense = RooflineModel::breakdown(w);
  const auto c = count_work(as_executed(w));
  EXPECT_DOUBLE_EQ(dense.memory_cycles, (c.input_bytes + c.output_bytes + c.weight_bytes) / 146.2);
  w.input_sparsity = 0.5;
  w.weight_sparsity = 0.75;
  EXPECT_DOUBLE_EQ(RooflineModel::breakdown(w).memory_cycles,
                   (c.input_bytes * 0.5 + c.output_bytes + c.weight_bytes * 0.25) / 146.2);
  EXPECT_DOUBLE_EQ(RooflineModel::breakdown(w).compute_cycles, dense.compute_cycles);
}

TEST(Device, ClockConvertsCyclesToMicroseconds) {
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_2_0, 700.0), 1.0);
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_2_7, 1300.0), 1.0);
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::VPU_4_0, 3400.0), 2.0);
  EXPECT_DOUBLE_EQ(cycles_to_microseconds(Device::NPU_5_0, 1950.0), 1.0);
}

}  // namespace
}  // namespace vpucost
