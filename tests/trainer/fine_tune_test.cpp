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
  EXPECT_NE(e.find("version " + std::to_string(kFeatureEncodingVersion) + " and widens"),
            std::string::npos)
      << e;
}

// A model of version 3 (56 features) starts a version-4 fine-tuning as the
// same function: the feature it lacks enters with zero weight.
TEST(FineTune, WidensAModelOfAnOlderEncodingWithoutChangingItsPredictions) {
  ModelParts old = test::random_model(Device::VPU_4_0);
  const auto n3 = static_cast<Eigen::Index>(feature_count(3));
  std::vector<DenseLayer> layers = old.mlp.layers();
  layers.front().weights = layers.front().weights.leftCols(n3).eval();
  old.mlp = Mlp(std::move(layers), old.mlp.activation());
  old.feature_mean = old.feature_mean.head(n3).eval();
  old.feature_std = old.feature_std.head(n3).eval();
  old.feature_version = 3;
  test::TempDir dir;
  save_model(old, dir / "v3.h5");

  const FineTuningStart start = load_model_for_fine_tuning(dir / "v3.h5");
  EXPECT_EQ(start.inherited_features, feature_count(3));
  EXPECT_EQ(start.parts.feature_version, kFeatureEncodingVersion);
  const DenseLayer& first = start.parts.mlp.layers().front();
  ASSERT_EQ(first.weights.cols(), static_cast<Eigen::Index>(kFeatureCount));
  EXPECT_TRUE(first.weights.rightCols(first.weights.cols() - n3).isZero());
  const CostModel before(old);
  const CostModel after(start.parts);
  for (const std::int64_t c : {16, 48, 64, 80, 256}) {
    const auto w = test::conv3x3(Device::VPU_4_0, c);
    EXPECT_NEAR(after.predict_cycles(w) / before.predict_cycles(w), 1.0, 1e-5) << c;
  }
}

TEST(FineTune, LoadsAGoodModelAndNamesMissingFiles) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "m.h5");
  EXPECT_EQ(load_model_for_fine_tuning(dir / "m.h5").parts.device, Device::VPU_2_7);
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
