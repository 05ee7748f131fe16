// The shipped SHAVE and DMA models (models/shave_<device>.h5,
// models/dma_<device>.h5) hold what models/README.md says: fitted on the v2
// teacher training file of their device, and within issue #15's targets
// (MAPE <= 3 %, >= 95 % within +-10 % per kind and device) on held-out rows:
// the bundled samples (the first 500 rows of each test file, in every clone)
// and, when ../shared is next to the repository, the full 5,000-row test
// files. The levels reached are held too, so a refit cannot silently fall.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/test_workloads.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;

constexpr double kTargetMape = 0.03;
constexpr double kTargetWithin10 = 0.95;

template <class Model, class Recordings>
ErrorSummary errors_of(const Model& model, const Recordings& data) {
  std::vector<double> predicted(data.size());
  model.predict_cycles(data.items, predicted);
  std::vector<double> ape(data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    ape[i] = std::abs(predicted[i] / data.cycles[i] - 1.0);
  return summarise_errors(ape);
}

// The test files: the bundled sample, then the full file when it is here.
std::vector<fs::path> test_files(const std::string& kind, Device d) {
  std::vector<fs::path> files{fs::path(VPUCOST_SAMPLES) / "v2" / kind /
                              (test::device_stem(d) + "_test.csv")};
  const fs::path full =
      fs::path(VPUCOST_TEACHER_V2_ROOT) / kind / (test::device_stem(d) + "_test.csv");
  if (fs::exists(full)) files.push_back(full);
  return files;
}

class ShippedShaveModel : public ::testing::TestWithParam<Device> {};

TEST_P(ShippedShaveModel, MeetsTheTargetsOnHeldOutOperations) {
  const ShaveModel model = load_shave_model(fs::path(VPUCOST_MODELS_DIR) /
                                            ("shave_" + test::device_stem(GetParam()) + ".h5"));
  EXPECT_EQ(model.device(), GetParam());
  EXPECT_NE(
      model.parts().training.dataset.find("shave/" + test::device_stem(GetParam()) + "_train.csv"),
      std::string::npos)
      << model.parts().training.dataset;
  for (const fs::path& file : test_files("shave", GetParam())) {
    const ShaveRecordings data = read_shave_csv(file);
    ASSERT_TRUE(data.rejects.empty()) << file;
    const ErrorSummary e = errors_of(model, data);
    EXPECT_LE(e.mape, kTargetMape) << file;
    EXPECT_GE(e.within_10, kTargetWithin10) << file;
    // Levels reached on the full files (0.51-0.55 %, 99.3-99.7 %), with room
    // for the samples' smaller counts.
    EXPECT_LE(e.mape, 0.008) << file;
    EXPECT_GE(e.within_10, 0.985) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Devices, ShippedShaveModel,
                         ::testing::Values(Device::VPU_2_7, Device::VPU_4_0, Device::NPU_5_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

class ShippedDmaModel : public ::testing::TestWithParam<Device> {};

TEST_P(ShippedDmaModel, MeetsTheTargetsOnHeldOutTransfers) {
  const DmaModel model = load_dma_model(fs::path(VPUCOST_MODELS_DIR) /
                                        ("dma_" + test::device_stem(GetParam()) + ".h5"));
  EXPECT_EQ(model.device(), GetParam());
  EXPECT_EQ(model.parts().method, DmaMethod::fitted);
  EXPECT_NE(
      model.parts().training.dataset.find("dma/" + test::device_stem(GetParam()) + "_train.csv"),
      std::string::npos)
      << model.parts().training.dataset;
  for (const fs::path& file : test_files("dma", GetParam())) {
    const DmaRecordings data = read_dma_csv(file);
    ASSERT_TRUE(data.rejects.empty()) << file;
    const ErrorSummary e = errors_of(model, data);
    EXPECT_LE(e.mape, kTargetMape) << file;
    EXPECT_GE(e.within_10, kTargetWithin10) << file;
    EXPECT_LE(e.mape, 0.003) << file;  // 0.14-0.18 % on the full files
    EXPECT_GE(e.within_10, 0.999) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Devices, ShippedDmaModel,
                         ::testing::Values(Device::VPU_2_7, Device::VPU_4_0, Device::NPU_5_0),
                         [](const auto& info) { return std::string(to_string(info.param)); });

// VPU_2_0 has no DMA network in VPUNN: the shipped model is the roofline
// curve, which is VPUNN's theoretical DMA (rounded up) on the layer sample's
// input and output transfers.
TEST(ShippedDmaModel, Vpu20IsTheRooflineVpunnUses) {
  const DmaModel model = load_dma_model(fs::path(VPUCOST_MODELS_DIR) / "dma_vpu_2_0.h5");
  EXPECT_EQ(model.device(), Device::VPU_2_0);
  EXPECT_EQ(model.parts().method, DmaMethod::roofline);
  std::ifstream in(fs::path(VPUCOST_SAMPLES) / "v2" / "layers" / "vpu_2_0_test.csv");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const auto header = test::split_csv_line(line);
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  int checked = 0;
  while (std::getline(in, line)) {
    const auto c = test::split_csv_line(line);
    const DmaTransfer t{
        Device::VPU_2_0,
        DmaDirection::DDR_TO_CMX,
        {std::stoll(c[col("input_width")]), std::stoll(c[col("input_height")]),
         std::stoll(c[col("input_channels")]), parse<DType>(c[col("input_dtype")])}};
    EXPECT_NEAR(model.predict_cycles(t), std::stod(c[col("dma_input_cycles")]), 1.0) << describe(t);
    ++checked;
  }
  EXPECT_EQ(checked, 300);
}

}  // namespace
}  // namespace vpucost
