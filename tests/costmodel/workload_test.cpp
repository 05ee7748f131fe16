#include "vpucost/workload.hpp"

#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using test::conv3x3;

std::string problem(const Workload& w) {
  return find_problem(w).value_or("<valid>");
}

TEST(Workload, ValidConvolutionPasses) {
  EXPECT_EQ(problem(conv3x3()), "<valid>");
  EXPECT_NO_THROW(validate(conv3x3()));
}

TEST(Workload, ZeroAndNegativeSizesAreNamed) {
  auto w = conv3x3();
  w.input.width = 0;
  EXPECT_EQ(problem(w), "input width must be positive (got 0)");
  w = conv3x3();
  w.output.channels = -4;
  EXPECT_EQ(problem(w), "output channels must be positive (got -4)");
  w = conv3x3();
  w.stride_h = 0;
  EXPECT_EQ(problem(w), "stride height must be positive (got 0)");
  w = conv3x3();
  w.kernel_w = -1;
  EXPECT_EQ(problem(w), "kernel width must be positive (got -1)");
  w = conv3x3();
  w.padding.left = -1;
  EXPECT_EQ(problem(w), "pad_left must not be negative (got -1)");
}

TEST(Workload, OutputSizeMustFollowFromInputKernelStrideAndPadding) {
  auto w = conv3x3();
  w.output.width = 57;
  EXPECT_EQ(problem(w),
            "output width 57 does not follow from input width 56, kernel 3, stride 1 and padding "
            "1+1 (expected 56)");
  w = conv3x3();
  w.stride_h = 2;  // (56 + 2 - 3) / 2 + 1 = 28
  EXPECT_NE(problem(w).find("output height 56 does not follow"), std::string::npos);
  EXPECT_NE(problem(w).find("(expected 28)"), std::string::npos);
  w.output.height = 28;
  EXPECT_EQ(problem(w), "<valid>");
}

TEST(Workload, KernelLargerThanPaddedInput) {
  auto w = conv3x3();
  w.input.width = 2;
  w.padding.left = w.padding.right = 0;
  w.output.width = 1;
  EXPECT_EQ(problem(w), "kernel width 3 is larger than the padded input width 2");
}

TEST(Workload, PaddingMustBeSmallerThanKernel) {
  auto w = conv3x3();
  w.padding.top = 3;
  w.output.height = 58;
  EXPECT_EQ(problem(w), "pad_top 3 must be smaller than the kernel height 3");
  w = conv3x3();
  w.padding.right = 4;
  EXPECT_EQ(problem(w), "pad_right 4 must be smaller than the kernel width 3");
}

TEST(Workload, ChannelwiseOperationsNeedEqualChannels) {
  for (auto op : {Operation::DW_CONVOLUTION, Operation::MAXPOOL, Operation::AVEPOOL}) {
    auto w = conv3x3();
    w.operation = op;
    w.output.channels = 32;
    EXPECT_EQ(problem(w), std::string(to_string(op)) +
                              " needs equal input and output channels (got 64 and 32)");
  }
  auto w = conv3x3();
  w.operation = Operation::ELTWISE;
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  w.output.channels = 16;
  EXPECT_EQ(problem(w), "ELTWISE needs equal input and output channels (got 64 and 16)");
}

TEST(Workload, EltwiseNeedsUnitKernelAndStride) {
  auto w = conv3x3();
  w.operation = Operation::ELTWISE;
  EXPECT_EQ(problem(w), "ELTWISE needs a 1x1 kernel (got 3x3)");
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  w.stride_w = w.stride_h = 2;
  w.output.width = w.output.height = 28;
  EXPECT_EQ(problem(w), "ELTWISE needs stride 1x1 (got 2x2)");
}

TEST(Workload, ModeMustExistOnDevice) {
  auto w = conv3x3(Device::VPU_2_0);
  w.mode = ExecutionMode::CUBOID_16x16;
  EXPECT_EQ(problem(w),
            "execution mode CUBOID_16x16 does not exist on VPU_2_0 (it has VECTOR, MATRIX, "
            "VECTOR_FP16)");
  w = conv3x3(Device::VPU_4_0);
  w.mode = ExecutionMode::VECTOR;
  EXPECT_NE(problem(w).find("does not exist on VPU_4_0"), std::string::npos);
}

TEST(Workload, CmConvolutionInputChannelLimitPerDevice) {
  auto w = conv3x3(Device::VPU_2_7);
  w.operation = Operation::CM_CONVOLUTION;
  w.input.channels = 16;
  EXPECT_EQ(problem(w), "<valid>");
  w.input.channels = 17;
  EXPECT_EQ(problem(w),
            "CM_CONVOLUTION on VPU_2_7 takes 1..16 input channels (got 17); use CONVOLUTION");
  w.device = Device::VPU_4_0;
  w.input.channels = 16;
  EXPECT_NE(problem(w).find("takes 1..15"), std::string::npos);
}

TEST(Workload, AbsurdSizesAreRejectedBeforeOverflow) {
  auto w = conv3x3();
  w.input.channels = std::int64_t{1} << 40;
  EXPECT_EQ(problem(w), "input channels 1099511627776 exceeds the supported maximum of 1048576");
  // Every dimension within limits, but the MAC count overflows 64 bits.
  w = conv3x3();
  w.input = {kMaxDimension, kMaxDimension, kMaxDimension, DType::UINT8};
  w.output = {kMaxDimension, kMaxDimension, kMaxDimension, DType::UINT8};
  EXPECT_NE(problem(w).find("overflows 64 bits"), std::string::npos);
}

TEST(Workload, MacCountIsRefusedFromTwoToThe62Exactly) {
  // Twice the MAC count must stay below 2^62; validation checks far-off counts in
  // floating point and the ones near the limit exactly: both sides of it here.
  auto w = conv3x3();
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  w.input = {kMaxDimension, kMaxDimension, 1024, DType::UINT8};
  w.output = {kMaxDimension, kMaxDimension, 1024, DType::UINT8};  // 2 x MACs = 2^61
  EXPECT_EQ(problem(w), "<valid>");
  w.output.channels = 2032;  // 2 x MACs = 2^62 - 2^55
  EXPECT_EQ(problem(w), "<valid>");
  w.output.channels = 2048;  // 2 x MACs = 2^62
  EXPECT_NE(problem(w).find("overflows 64 bits"), std::string::npos);
}

TEST(Workload, CompilerFieldsDefaultToAV1Workload) {
  const Workload w = conv3x3();
  EXPECT_TRUE(has_default_compiler_fields(w));
  EXPECT_EQ(w.activation, ActivationFunction::NONE);
  EXPECT_EQ(w.input_sparsity, 0.0);
  EXPECT_EQ(w.weight_sparsity, 0.0);
  EXPECT_EQ(w.output_write_tiles, 1);
  EXPECT_EQ(w.isi_strategy, IsiStrategy::CLUSTERING);
  EXPECT_EQ(describe(w),
            "VPU_2_7 CONVOLUTION 56x56x64 -> 56x56x64 k3x3 s1x1 p1,1,1,1 UINT8->UINT8 "
            "CUBOID_16x16");
  auto v = w;
  v.activation = ActivationFunction::RELU;
  v.input_sparsity = 0.5;
  v.weight_sparsity = 0.125;
  v.output_write_tiles = 2;
  v.isi_strategy = IsiStrategy::SPLIT_OVER_K;
  EXPECT_FALSE(has_default_compiler_fields(v));
  EXPECT_EQ(problem(v), "<valid>");
  EXPECT_EQ(describe(v), describe(w) + " RELU isp0.5 wsp0.125 owt2 SPLIT_OVER_K");
}

TEST(Workload, SparsityRatesAreCheckedAndOnlyWhereVpunnTakesThem) {
  auto w = conv3x3();
  w.input_sparsity = 1.0;
  EXPECT_EQ(problem(w), "input_sparsity 1 is outside [0, 1) (a rate; 0 = dense)");
  w.input_sparsity = -0.25;
  EXPECT_EQ(problem(w), "input_sparsity -0.25 is outside [0, 1) (a rate; 0 = dense)");
  w.input_sparsity = NAN;
  EXPECT_EQ(problem(w), "input_sparsity nan is outside [0, 1) (a rate; 0 = dense)");
  w = conv3x3();
  w.weight_sparsity = 0.5;
  w.operation = Operation::DW_CONVOLUTION;
  EXPECT_EQ(problem(w),
            "weight_sparsity 0.5 is not accepted on DW_CONVOLUTION: only CONVOLUTION with at "
            "least 16 input channels and ELTWISE take sparsity");
  w = conv3x3(Device::VPU_2_7, 8);
  w.input_sparsity = 0.5;
  EXPECT_EQ(problem(w),
            "input_sparsity 0.5 is not accepted on a CONVOLUTION with 8 input channels (sparsity "
            "needs at least 16): only CONVOLUTION with at least 16 input channels and ELTWISE "
            "take sparsity");
  for (auto op : {Operation::CM_CONVOLUTION, Operation::MAXPOOL, Operation::AVEPOOL}) {
    w = conv3x3(Device::VPU_2_7, 16);
    w.operation = op;
    w.input_sparsity = 0.5;
    EXPECT_NE(problem(w).find("is not accepted on " + std::string(to_string(op))),
              std::string::npos);
  }
  w = conv3x3();
  w.operation = Operation::ELTWISE;
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  w.input_sparsity = 0.3;
  w.weight_sparsity = 0.6;
  EXPECT_EQ(problem(w), "<valid>");
}

TEST(Workload, OutputWriteTilesStayWithinTheDevicesTiles) {
  auto w = conv3x3(Device::VPU_2_0);
  w.output_write_tiles = 2;
  EXPECT_EQ(problem(w), "output_write_tiles 2 is outside 1..1 (VPU_2_0 has 1 tile)");
  w = conv3x3(Device::VPU_2_7);
  w.output_write_tiles = 3;
  EXPECT_EQ(problem(w), "output_write_tiles 3 is outside 1..2 (VPU_2_7 has 2 tiles)");
  w.output_write_tiles = 0;
  EXPECT_EQ(problem(w), "output_write_tiles 0 is outside 1..2 (VPU_2_7 has 2 tiles)");
  w = conv3x3(Device::VPU_4_0);
  w.output_write_tiles = 6;
  EXPECT_EQ(problem(w), "<valid>");
  w = conv3x3(Device::NPU_5_0);
  w.output_write_tiles = 3;
  EXPECT_EQ(problem(w), "<valid>");
  w.output_write_tiles = 4;
  EXPECT_EQ(problem(w), "output_write_tiles 4 is outside 1..3 (NPU_5_0 has 3 tiles)");
}

TEST(Workload, IsiStrategiesTheDeviceTakes) {
  auto w = conv3x3(Device::VPU_2_0);
  w.isi_strategy = IsiStrategy::SPLIT_OVER_H;
  EXPECT_EQ(problem(w),
            "isi_strategy SPLIT_OVER_H is not accepted on VPU_2_0 (it takes CLUSTERING)");
  w = conv3x3(Device::NPU_5_0);
  w.isi_strategy = IsiStrategy::SPLIT_OVER_H;
  EXPECT_EQ(problem(w),
            "isi_strategy SPLIT_OVER_H is not accepted on NPU_5_0 (it takes CLUSTERING or "
            "SPLIT_OVER_K)");
  w = conv3x3(Device::VPU_4_0);
  w.isi_strategy = IsiStrategy::SPLIT_OVER_K;
  EXPECT_EQ(problem(w),
            "isi_strategy SPLIT_OVER_K needs output_write_tiles > 1 (got 1): a layer split over "
            "K writes to every tile");
  w.output_write_tiles = 4;
  EXPECT_EQ(problem(w), "<valid>");
  w.isi_strategy = IsiStrategy::SPLIT_OVER_H;
  EXPECT_EQ(problem(w), "<valid>");
}

TEST(Workload, Npu50ModesPerOperationAndHf8) {
  auto w = conv3x3(Device::NPU_5_0);
  for (auto mode : device_spec(Device::NPU_5_0).modes) {
    w.mode = mode;
    EXPECT_EQ(problem(w), "<valid>") << to_string(mode);
  }
  w.operation = Operation::DW_CONVOLUTION;
  w.mode = ExecutionMode::CUBOID_4x16;
  EXPECT_EQ(problem(w),
            "execution mode CUBOID_4x16 is not accepted for DW_CONVOLUTION on NPU_5_0 (it takes "
            "CUBOID_16x16)");
  w = conv3x3(Device::NPU_5_0);
  w.operation = Operation::ELTWISE;
  w.kernel_w = w.kernel_h = 1;
  w.padding = {};
  EXPECT_EQ(problem(w),
            "execution mode CUBOID_16x16 is not accepted for ELTWISE on NPU_5_0 (it takes "
            "CUBOID_8x16)");
  w.mode = ExecutionMode::CUBOID_8x16;
  w.input.dtype = w.output.dtype = DType::HF8;
  EXPECT_EQ(problem(w), "<valid>");
  w = conv3x3(Device::VPU_4_0);
  w.output.dtype = DType::HF8;
  EXPECT_EQ(problem(w), "output dtype HF8 does not exist on VPU_4_0 (it has UINT8 or FLOAT16)");
  // On the other devices every operation takes every mode of the device.
  for (auto d : {Device::VPU_2_0, Device::VPU_2_7, Device::VPU_4_0}) {
    for (std::size_t op = 0; op < enum_count<Operation>(); ++op) {
      for (auto mode : device_spec(d).modes) {
        EXPECT_TRUE(operation_has_mode(d, static_cast<Operation>(op), mode));
      }
    }
  }
}

TEST(Workload, InvalidEnumValuesAreCaught) {
  auto w = conv3x3();
  w.operation = static_cast<Operation>(42);
  EXPECT_EQ(problem(w), "invalid operation value 42");
  w = conv3x3();
  w.activation = static_cast<ActivationFunction>(7);
  EXPECT_EQ(problem(w), "invalid activation function value 7");
  w = conv3x3();
  w.isi_strategy = static_cast<IsiStrategy>(9);
  EXPECT_EQ(problem(w), "invalid ISI strategy value 9");
}

TEST(Workload, ValidateThrowsProjectError) {
  auto w = conv3x3();
  w.output.width = 1;
  EXPECT_THROW(validate(w), Error);
}

TEST(ChannelPadding, RoundsUpToMultiplesOf16) {
  EXPECT_EQ(padded_channels(1), 16);
  EXPECT_EQ(padded_channels(16), 16);
  EXPECT_EQ(padded_channels(17), 32);
  EXPECT_EQ(padded_channels(65), 80);
  EXPECT_EQ(padded_channels(1000), 1008);
}

TEST(AsExecuted, PadsChannelsAndRewritesOperations) {
  auto w = conv3x3(Device::VPU_2_7, 65);
  auto e = as_executed(w);
  EXPECT_EQ(e.input.channels, 80);
  EXPECT_EQ(e.output.channels, 80);

  w = conv3x3(Device::VPU_2_7);
  w.operation = Operation::AVEPOOL;
  EXPECT_EQ(as_executed(w).operation, Operation::DW_CONVOLUTION);

  // Small-channel convolution runs channel-major on 2.7 / 4.0, padded on 2.0.
  w = conv3x3(Device::VPU_2_7);
  w.input.channels = 3;
  e = as_executed(w);
  EXPECT_EQ(e.operation, Operation::CM_CONVOLUTION);
  EXPECT_EQ(e.input.channels, 3);
  w.device = Device::VPU_2_0;
  w.mode = ExecutionMode::MATRIX;
  e = as_executed(w);
  EXPECT_EQ(e.operation, Operation::CONVOLUTION);
  EXPECT_EQ(e.input.channels, 16);
}

TEST(CountWork, ConvolutionAndDepthwise) {
  auto w = conv3x3();
  auto c = count_work(w);
  EXPECT_DOUBLE_EQ(c.macs, 56.0 * 56 * 64 * 9 * 64);
  EXPECT_DOUBLE_EQ(c.input_bytes, 56.0 * 56 * 64);
  EXPECT_DOUBLE_EQ(c.weight_bytes, 64.0 * 64 * 9);
  w.operation = Operation::DW_CONVOLUTION;
  w.input.dtype = w.output.dtype = DType::FLOAT16;
  c = count_work(w);
  EXPECT_DOUBLE_EQ(c.macs, 56.0 * 56 * 64 * 9);
  EXPECT_DOUBLE_EQ(c.output_bytes, 56.0 * 56 * 64 * 2);
  EXPECT_DOUBLE_EQ(c.weight_bytes, 64.0 * 9 * 2);
}

TEST(Enums, ParseAndNames) {
  EXPECT_EQ(parse<Device>("VPU_4_0"), Device::VPU_4_0);
  EXPECT_EQ(parse<ExecutionMode>("CUBOID_8x16"), ExecutionMode::CUBOID_8x16);
  try {
    parse<Operation>("CONV");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown operation 'CONV' (expected CONVOLUTION, DW_CONVOLUTION, "
                 "CM_CONVOLUTION, ELTWISE, MAXPOOL or AVEPOOL)");
  }
  EXPECT_FALSE(try_parse<DType>("uint8").has_value());  // spellings are exact
  EXPECT_EQ(parse<Device>("NPU_5_0"), Device::NPU_5_0);
  EXPECT_EQ(parse<DType>("HF8"), DType::HF8);
  EXPECT_EQ(parse<ActivationFunction>("LRELU"), ActivationFunction::LRELU);
  EXPECT_EQ(parse<IsiStrategy>("SPLIT_OVER_H"), IsiStrategy::SPLIT_OVER_H);
  EXPECT_EQ(names_list<IsiStrategy>(), "CLUSTERING, SPLIT_OVER_H or SPLIT_OVER_K");
}

}  // namespace
}  // namespace vpucost
