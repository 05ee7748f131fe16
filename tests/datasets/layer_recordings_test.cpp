// Reading layers CSVs (issue #16, item 4): the bundled v2 samples read
// without a reject, labels and layers as written, channels padded, every bad
// row named with its line and reason, whole-file problems one error.
#include "vpucost/layer_recordings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kLayers = std::filesystem::path(VPUCOST_SAMPLES) / "v2" / "layers";

constexpr const char* kLayerHeader =
    "device,operation,input_width,input_height,input_channels,output_width,output_height,"
    "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,pad_bottom,"
    "pad_left,pad_right,input_dtype,cycles_CLUSTERING,cycles_SOK,best_strategy,cycles_best,"
    "dma_weights_cycles\n";

TEST(LayerRecordings, BundledSamplesReadCompletely) {
  for (const char* device : {"vpu_2_0", "vpu_2_7", "vpu_4_0", "npu_5_0"}) {
    const LayerRecordings r = read_layer_csv(kLayers / (std::string(device) + "_test.csv"));
    EXPECT_EQ(r.rows_read, 300u) << device;
    EXPECT_EQ(r.items.size(), 300u) << device;
    EXPECT_TRUE(r.rejects.empty()) << device << ": " << r.rejects.front().reason;
    EXPECT_TRUE(r.ignored_columns.empty()) << r.ignored_columns.front();
    EXPECT_TRUE(r.has_labels);
    const LayerRecordings rej = read_layer_csv(kLayers / (std::string(device) + "_rejected.csv"));
    EXPECT_EQ(rej.items.size(), 40u) << device;
    EXPECT_TRUE(rej.ignored_columns.empty()) << "reason is a known column";
  }
  // VPU_4_0 test row 1: DW_CONVOLUTION 25x362x16 (9 logical), 3x3, FLOAT16,
  // 13717,2761,,4867,2799,SOHO,2761,6,CUBOID_16x16,2010,8395,9948
  const LayerRecordings r = read_layer_csv(kLayers / "vpu_4_0_test.csv");
  const LayerRecord& first = r.items.front();
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.layer.operation, Operation::DW_CONVOLUTION);
  EXPECT_EQ(first.layer.input, (Tensor{25, 362, 16, DType::FLOAT16}));
  EXPECT_EQ(first.cycles[static_cast<std::size_t>(TilingStrategy::SOHO)], 2761.0);
  EXPECT_TRUE(std::isnan(first.cycles[static_cast<std::size_t>(TilingStrategy::SOK)]));
  EXPECT_EQ(first.best_strategy, TilingStrategy::SOHO);
  EXPECT_EQ(first.cycles_best, 2761.0);
  EXPECT_EQ(first.n_workloads, 6);
  EXPECT_EQ(first.dma_output_cycles, 9948.0);
}

TEST(LayerRecordings, ChannelsArePaddedAndLabelsOptional) {
  const std::string text =
      "device,operation,input_width,input_height,input_channels,output_width,output_height,"
      "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,pad_bottom,"
      "pad_left,pad_right,input_dtype\n"
      "VPU_2_7,CONVOLUTION,14,14,24,14,14,40,3,3,1,1,1,1,1,1,UINT8\n"
      "VPU_2_7,CM_CONVOLUTION,14,14,3,14,14,40,3,3,1,1,1,1,1,1,FLOAT16\n";
  const LayerRecordings r = read_layer_csv_text(text, "mem.csv");
  ASSERT_EQ(r.items.size(), 2u) << r.rejects.front().reason;
  EXPECT_FALSE(r.has_labels);
  EXPECT_EQ(r.items[0].layer.input.channels, 32);
  EXPECT_EQ(r.items[0].layer.output.channels, 48);
  EXPECT_EQ(r.items[0].layer.output.dtype, DType::UINT8) << "output dtype: the input's";
  EXPECT_EQ(r.items[1].layer.input.channels, 3) << "a CM_CONVOLUTION's input stays unpadded";
  EXPECT_TRUE(std::isnan(r.items[0].cycles_best));
  EXPECT_FALSE(r.items[0].best_strategy.has_value());
}

TEST(LayerRecordings, BadRowsAreNamedAndTheRestKept) {
  const std::string text =
      std::string(kLayerHeader) +
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,100,,CLUSTERING,100,5\n"  // 2 ok
      "VPU_9_9,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,100,,CLUSTERING,100,5\n"  // 3
      "VPU_2_7,CONVOLUTION,14,14,32,13,14,32,3,3,1,1,1,1,1,1,UINT8,100,,CLUSTERING,100,5\n"  // 4
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,100,,SOK,100,5\n"         // 5
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,-3,,CLUSTERING,100,5\n"   // 6
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,100,,SOX,100,5\n"         // 7
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1\n"                                  // 8
      "VPU_2_7,CONVOLUTION,14,14,32,14,14,32,3,3,1,1,1,1,1,1,UINT8,100,,CLUSTERING,100,-1\n";  // 9
  const LayerRecordings r = read_layer_csv_text(text, "mem.csv");
  EXPECT_EQ(r.rows_read, 8u);
  ASSERT_EQ(r.items.size(), 1u);
  ASSERT_EQ(r.rejects.size(), 7u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_NE(r.rejects[0].reason.find("column device: 'VPU_9_9' is not a known device"),
            std::string::npos)
      << r.rejects[0].reason;
  EXPECT_NE(r.rejects[1].reason.find("output width 13"), std::string::npos) << r.rejects[1].reason;
  EXPECT_EQ(r.rejects[2].reason, "column best_strategy: SOK has no cycles_SOK on this row");
  EXPECT_EQ(r.rejects[3].reason, "column cycles_CLUSTERING: '-3' must be finite and > 0");
  EXPECT_NE(r.rejects[4].reason.find("column best_strategy: 'SOX' is not a known"),
            std::string::npos)
      << r.rejects[4].reason;
  EXPECT_EQ(r.rejects[5].reason, "row has 14 fields, the header 22");
  EXPECT_EQ(r.rejects[6].reason, "column dma_weights_cycles: '-1' must be finite and >= 0");
  EXPECT_EQ(r.items[0].layer.output.channels, 32);
}

TEST(LayerRecordings, WholeFileProblemsAreOneError) {
  EXPECT_THROW(read_layer_csv(kLayers / "missing.csv"), Error);
  try {
    read_layer_csv_text("device,operation\nVPU_2_7,CONVOLUTION\n", "mem.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "mem.csv: required column 'input_width' is missing from the header");
  }
  try {
    read_layer_csv_text("", "empty.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty.csv is empty"), std::string::npos);
  }
}

}  // namespace
}  // namespace vpucost
