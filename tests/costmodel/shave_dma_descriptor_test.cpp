// The SHAVE operation and DMA transfer descriptors (issue #15): every
// problem named with its field and value, the output shapes each SHAVE
// operation implies, and descriptions.
#include <gtest/gtest.h>

#include "vpucost/dma_transfer.hpp"
#include "vpucost/error.hpp"
#include "vpucost/shave_operation.hpp"

namespace vpucost {
namespace {

ShaveOperation hswish_56() {
  const Tensor t{56, 56, 64, DType::FLOAT16};
  return ShaveOperation{Device::VPU_4_0, ShaveOp::hswish, t, t, 0};
}

std::string shave_problem(const ShaveOperation& s) {
  return find_problem(s).value_or("<valid>");
}
std::string dma_problem(const DmaTransfer& t) {
  return find_problem(t).value_or("<valid>");
}

TEST(ShaveOperation, ElementwiseOperationKeepsTheShape) {
  EXPECT_EQ(shave_problem(hswish_56()), "<valid>");
  auto s = hswish_56();
  s.output.channels = 32;
  EXPECT_EQ(shave_problem(s), "hswish of a 56x56x64 input gives 56x56x64, not 56x56x32");
  EXPECT_THROW(validate(s), Error);
}

TEST(ShaveOperation, SpatialOperationsScaleTheOutput) {
  const Tensor in{10, 8, 64, DType::UINT8};
  const Tensor d2s = shave_output_of(ShaveOp::depth_to_space, in, 2);
  EXPECT_EQ(d2s, (Tensor{20, 16, 16, DType::UINT8}));
  const Tensor up = shave_output_of(ShaveOp::interpolate, in, 2);
  EXPECT_EQ(up, (Tensor{20, 16, 64, DType::UINT8}));
  EXPECT_EQ(shave_problem({Device::NPU_5_0, ShaveOp::depth_to_space, in, d2s, 2}), "<valid>");
  EXPECT_EQ(shave_problem({Device::NPU_5_0, ShaveOp::interpolate, in, up, 2}), "<valid>");
  EXPECT_EQ(shave_problem({Device::NPU_5_0, ShaveOp::interpolate, in, in, 2}),
            "interpolate of a 10x8x64 input gives 20x16x64, not 10x8x64");
}

TEST(ShaveOperation, ParametersAreCheckedPerOperation) {
  const Tensor t{7, 7, 1000, DType::FLOAT16};
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::softmax, t, t, 1}), "<valid>");
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::softmax, t, t, 0}),
            "softmax axis 0 is not 1 (C), 2 (H) or 3 (W)");
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::mvn, t, t, 4}),
            "mvn normalises 1 (W), 2 (W,H) or 3 (W,H,C) axes, not 4");
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::sigmoid, t, t, 2}),
            "sigmoid takes no parameter (got 2)");
  const Tensor odd{4, 4, 6, DType::FLOAT16};
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::depth_to_space, odd, odd, 2}),
            "depth_to_space with block 2 needs input channels divisible by 4 (got 6)");
  EXPECT_EQ(shave_problem({Device::VPU_2_7, ShaveOp::interpolate, odd, odd, 9}),
            "interpolate scale 9 is outside 2..8");
}

TEST(ShaveOperation, TensorsAndTypesAreChecked) {
  auto s = hswish_56();
  s.input.width = 0;
  EXPECT_EQ(shave_problem(s), "input width 0 is outside 1..1048576");
  s = hswish_56();
  s.output.dtype = DType::UINT8;
  EXPECT_EQ(shave_problem(s),
            "hswish keeps the data type: output UINT8 differs from input FLOAT16");
  s = hswish_56();
  s.input.dtype = s.output.dtype = DType::HF8;
  EXPECT_EQ(shave_problem(s), "input dtype HF8 is not a VPU_4_0 data type");
  s.device = Device::NPU_5_0;
  EXPECT_EQ(shave_problem(s), "<valid>");
  s.operation = static_cast<ShaveOp>(99);
  EXPECT_EQ(shave_problem(s), "invalid SHAVE operation value 99");
}

TEST(ShaveOperation, DescribesItselfAndItsLayout) {
  EXPECT_EQ(describe(hswish_56()), "VPU_4_0 SHAVE hswish 56x56x64 FLOAT16");
  const Tensor in{10, 8, 64, DType::UINT8};
  EXPECT_EQ(describe(ShaveOperation{Device::NPU_5_0, ShaveOp::depth_to_space, in,
                                    shave_output_of(ShaveOp::depth_to_space, in, 2), 2}),
            "NPU_5_0 SHAVE depth_to_space 10x8x64 -> 20x16x16 UINT8 block 2");
  EXPECT_EQ(shave_layout(ShaveOp::softmax), "XYZ");
  EXPECT_EQ(shave_layout(ShaveOp::gelu), "ZXY");
  EXPECT_EQ(output_elements(hswish_56()), 56 * 56 * 64);
  EXPECT_EQ(output_bytes(hswish_56()), 56.0 * 56 * 64 * 2);
}

TEST(DmaTransfer, ValidTransferAndItsBytes) {
  const DmaTransfer t{Device::VPU_2_7, DmaDirection::CMX_TO_DDR, {31, 30, 400, DType::UINT8}};
  EXPECT_EQ(dma_problem(t), "<valid>");
  EXPECT_EQ(transfer_bytes(t), 372000);
  EXPECT_EQ(describe(t), "VPU_2_7 DMA CMX_TO_DDR 31x30x400 UINT8 (372000 bytes)");
  const DmaTransfer f = flat_transfer(Device::NPU_5_0, DmaDirection::DDR_TO_CMX, 4096);
  EXPECT_EQ(transfer_bytes(f), 4096);
  EXPECT_EQ(dma_problem(f), "<valid>");
}

TEST(DmaTransfer, ProblemsAreNamed) {
  DmaTransfer t{Device::VPU_4_0, DmaDirection::DDR_TO_CMX, {0, 4, 4, DType::FLOAT16}};
  EXPECT_EQ(dma_problem(t), "transfer width 0 is outside 1..1073741824");
  t.tensor = {1 << 20, 1 << 20, 1 << 20, DType::FLOAT16};  // 2^61 bytes: must not overflow
  EXPECT_EQ(dma_problem(t),
            "transfer of 1048576x1048576x1048576 FLOAT16 exceeds the supported maximum of "
            "1073741824 bytes");
  t.tensor = {1 << 15, 1 << 15, 1, DType::FLOAT16};  // 2 GiB
  EXPECT_NE(dma_problem(t), "<valid>");
  t.tensor = {8, 8, 8, DType::HF8};
  EXPECT_EQ(dma_problem(t), "dtype HF8 is not a VPU_4_0 data type");
  t.direction = static_cast<DmaDirection>(7);
  EXPECT_EQ(dma_problem(t), "invalid DMA direction value 7");
}

TEST(Enums, NewKindsParseAsTheDataSpellsThem) {
  EXPECT_EQ(parse<ShaveOp>("depth_to_space"), ShaveOp::depth_to_space);
  EXPECT_EQ(parse<DmaDirection>("CMX_TO_DDR"), DmaDirection::CMX_TO_DDR);
  EXPECT_EQ(parse<WorkloadKind>("shave"), WorkloadKind::shave);
  EXPECT_THROW(parse<ShaveOp>("HSWISH"), Error);
}

}  // namespace
}  // namespace vpucost
