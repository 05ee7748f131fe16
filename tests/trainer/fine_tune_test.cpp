#include "vpucost/fine_tune.hpp"

#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

std::string error_of(const std::filesystem::path& p) {
  try {
    load_model_for_fine_tuning(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "<loaded>";
}

TEST(FineTune, RejectsAModelOfAnotherEncodingVersion) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "m.h5");
  {
    auto guard = h5::lock();
    H5::H5File file(std::string(dir / "m.h5"), H5F_ACC_RDWR);
    H5::Group root = file.openGroup("/");
    root.removeAttr("feature_encoding_version");
    h5::write_attribute(root, "feature_encoding_version",
                        std::int64_t{kFeatureEncodingVersion + 1});
  }
  const std::string e = error_of(dir / "m.h5");
  EXPECT_NE(e.find("cannot fine-tune from " + (dir / "m.h5").string()), std::string::npos) << e;
  EXPECT_NE(e.find("feature encoding version " + std::to_string(kFeatureEncodingVersion + 1)),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("version " + std::to_string(kFeatureEncodingVersion) + ";"), std::string::npos)
      << e;
}

TEST(FineTune, LoadsAGoodModelAndNamesMissingFiles) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "m.h5");
  EXPECT_EQ(load_model_for_fine_tuning(dir / "m.h5").device, Device::VPU_2_7);
  EXPECT_NE(error_of(dir / "none.h5").find("cannot fine-tune from"), std::string::npos);
}

TEST(FineTune, RenormalisingKeepsTheFunction) {
  const ModelParts parts = test::random_model(Device::VPU_2_7, {16, 8});
  Normalisation from = Normalisation::of(parts);
  Normalisation to = from;
  for (Eigen::Index i = 0; i < to.feature_mean.size(); ++i) {
    to.feature_mean[i] = 0.5f * float(i % 5);
    to.feature_std[i] = 0.5f + 0.25f * float(i % 3);
  }
  to.output_offset = 7.0f;
  to.output_scale = 2.5f;
  ModelParts moved = parts;
  moved.mlp = renormalise(parts.mlp, from, to);
  moved.feature_mean = to.feature_mean;
  moved.feature_std = to.feature_std;
  moved.output_offset = to.output_offset;
  moved.output_scale = to.output_scale;
  const CostModel a(parts);
  const CostModel b(moved);
  for (const std::int64_t c : {16, 32, 64, 128}) {
    const auto w = test::conv3x3(Device::VPU_2_7, c);
    EXPECT_NEAR(b.predict_cycles(w) / a.predict_cycles(w), 1.0, 1e-4);
  }
}

}  // namespace
}  // namespace vpucost
