// Reading SHAVE and DMA recording CSVs (issue #15): the bundled v2 samples
// read without a reject, every bad row is named with its line and reason,
// and whole-file problems are one error.
#include "vpucost/kind_recordings.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kSamples = std::filesystem::path(VPUCOST_SAMPLES) / "v2";

constexpr const char* kShaveHeader =
    "device,operation,input_width,input_height,input_channels,input_dtype,output_width,"
    "output_height,output_channels,output_dtype,params,layout,vpunn_kernel,cycles\n";

TEST(ShaveRecordings, BundledSamplesReadCompletely) {
  for (const char* device : {"vpu_2_7", "vpu_4_0", "npu_5_0"}) {
    const ShaveRecordings r =
        read_shave_csv(kSamples / "shave" / (std::string(device) + "_train.csv"));
    EXPECT_EQ(r.rows_read, 2000u) << device;
    EXPECT_EQ(r.size(), 2000u) << device;
    EXPECT_TRUE(r.rejects.empty()) << device << ": " << r.rejects.front().reason;
    EXPECT_TRUE(r.ignored_columns.empty());
  }
  const ShaveRecordings r = read_shave_csv(kSamples / "shave" / "vpu_4_0_train.csv");
  // The first data row: VPU_4_0,softmax,617,617,662,FLOAT16,...,3,XYZ,profiled:softmax,1048961920
  EXPECT_EQ(r.items[0].operation, ShaveOp::softmax);
  EXPECT_EQ(r.items[0].param, 3);
  EXPECT_EQ(r.items[0].input, (Tensor{617, 617, 662, DType::FLOAT16}));
  EXPECT_EQ(r.cycles[0], 1048961920.0);
}

TEST(ShaveRecordings, BadRowsAreNamedAndTheRestKept) {
  const std::string text =
      std::string(kShaveHeader) +
      "VPU_4_0,hswish,8,8,16,FLOAT16,8,8,16,FLOAT16,,ZXY,x,100\n"      // line 2 ok
      "VPU_4_0,hswish,8,8,16,FLOAT16,8,8,16,FLOAT16,,XYZ,x,100\n"      // 3 layout
      "VPU_4_0,swoosh,8,8,16,FLOAT16,8,8,16,FLOAT16,,ZXY,x,100\n"      // 4 op
      "VPU_4_0,softmax,8,8,16,FLOAT16,8,8,16,FLOAT16,,XYZ,x,100\n"     // 5 axis
      "VPU_4_0,depth_to_space,8,8,16,UINT8,16,16,4,UINT8,2,ZXY,x,0\n"  // 6 cycles
      "VPU_4_0,hswish,8,8,16,FLOAT16,8,8,16\n"                         // 7 fields
      "VPU_4_0,gelu,8,abc,16,FLOAT16,8,8,16,FLOAT16,,,,100\n";         // 8 number
  const ShaveRecordings r = read_shave_csv_text(text, "mem.csv");
  EXPECT_EQ(r.rows_read, 7u);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r.rejects.size(), 6u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason,
            "column layout: 'XYZ': vpucost's hswish is the kernel on layout ZXY");
  EXPECT_NE(r.rejects[1].reason.find("column operation: 'swoosh' is not a known SHAVE operation"),
            std::string::npos);
  EXPECT_EQ(r.rejects[2].reason, "softmax axis 0 is not 1 (C), 2 (H) or 3 (W)");
  EXPECT_EQ(r.rejects[3].reason, "column cycles: '0' must be finite and > 0");
  EXPECT_EQ(r.rejects[4].reason, "row has 9 fields, the header 14");
  EXPECT_EQ(r.rejects[5].reason, "column input_height: 'abc' is not an integer");
}

TEST(ShaveRecordings, WholeFileProblemsAreOneError) {
  EXPECT_THROW(read_shave_csv_text("", "empty.csv"), Error);
  try {
    read_shave_csv_text("device,operation,input_width\n", "short.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "short.csv: required column 'input_height' is missing from the header");
  }
  EXPECT_THROW(read_shave_csv("/nonexistent/shave.csv"), Error);
  try {
    read_dma_csv(kSamples / "shave" / "vpu_2_7_test.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("records SHAVE operations, not DMA transfers"),
              std::string::npos);
  }
  // Without labels (operations to predict) cycles may be absent.
  const ShaveRecordings r = read_shave_csv_text(
      "device,operation,input_width,input_height,input_channels,input_dtype,output_width,"
      "output_height,output_channels,output_dtype\nNPU_5_0,mish,4,4,4,UINT8,4,4,4,UINT8\n",
      "predict.csv", CyclesColumn::Ignored);
  EXPECT_EQ(r.size(), 1u);
}

TEST(DmaRecordings, BundledSamplesReadCompletely) {
  for (const char* device : {"vpu_2_7", "vpu_4_0", "npu_5_0"}) {
    const DmaRecordings r = read_dma_csv(kSamples / "dma" / (std::string(device) + "_test.csv"));
    EXPECT_EQ(r.size(), 500u) << device;
    EXPECT_TRUE(r.rejects.empty()) << device;
  }
}

TEST(DmaRecordings, BytesMustMatchTheTensor) {
  const DmaRecordings r = read_dma_csv_text(
      "device,direction,width,height,channels,dtype,bytes,cycles\n"
      "VPU_2_7,CMX_TO_DDR,31,30,400,UINT8,372000,15849\n"
      "VPU_2_7,CMX_TO_DDR,31,30,400,FLOAT16,372000,15849\n"
      "VPU_2_7,SIDEWAYS,31,30,400,UINT8,372000,15849\n",
      "dma.csv");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(transfer_bytes(r.items[0]), 372000);
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].reason,
            "column bytes: 372000 is not width x height x channels x bytes per element = 744000");
  EXPECT_NE(r.rejects[1].reason.find("'SIDEWAYS' is not a known DMA direction"), std::string::npos);
}

TEST(RecordingKind, TellsTheKindsApart) {
  const std::string_view dpu[] = {"device", "operation", "kernel_width", "cycles"};
  const std::string_view shave[] = {"device", "operation", "input_width", "cycles"};
  const std::string_view dma[] = {"device", "direction", "width", "cycles"};
  EXPECT_EQ(recording_kind(dpu), WorkloadKind::dpu);
  EXPECT_EQ(recording_kind(shave), WorkloadKind::shave);
  EXPECT_EQ(recording_kind(dma), WorkloadKind::dma);
}

}  // namespace
}  // namespace vpucost
