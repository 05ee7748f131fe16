#include "vpucost/training_data.hpp"

#include <gtest/gtest.h>

#include <set>

#include "../support/test_workloads.hpp"
#include "synthetic.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

TEST(TrainingData, NormalisationStandardisesAndKeepsConstantFeaturesFinite) {
  const Dataset d = test::synthetic_dataset(500, 1);
  const EncodedRows enc = encode_all(d);
  ASSERT_EQ(enc.features.rows(), static_cast<Eigen::Index>(kFeatureCount));
  const Normalisation norm = fit_normalisation(enc);
  const TrainingSet set = standardise(enc, norm);
  for (Eigen::Index f = 0; f < set.x.rows(); ++f) {
    const double mean = set.x.row(f).cast<double>().mean();
    EXPECT_NEAR(mean, 0.0, 1e-4) << feature_names()[static_cast<std::size_t>(f)];
    const double sd = std::sqrt((set.x.row(f).cast<double>().array() - mean).square().mean());
    // Constant features (e.g. mode_vector on VPU_2_7) get deviation 1 and stay 0.
    EXPECT_TRUE(std::abs(sd - 1.0) < 1e-3 || sd < 1e-6) << f;
  }
  EXPECT_EQ(norm.feature_std[5], 1.0f);  // mode_vector (5) never set on VPU_2_7
  EXPECT_EQ(feature_names()[5], "mode_vector");
  EXPECT_NEAR(set.target.cast<double>().mean(), 0.0, 1e-5);
  EXPECT_NEAR(std::exp(norm.output_offset + norm.output_scale * set.target[3]), d.cycles[3],
              d.cycles[3] * 1e-5);
}

TEST(TrainingData, ValidationSplitIsSeededAndKeepsIdenticalRowsTogether) {
  Dataset d = test::synthetic_dataset(400, 2);
  // 65 channels run as 80: these two rows encode identically and must land
  // on the same side whatever the seed.
  auto a = test::conv3x3(Device::VPU_2_7, 65);
  auto b = test::conv3x3(Device::VPU_2_7, 80);
  for (int i = 0; i < 20; ++i) {
    d.workloads.push_back(i % 2 ? a : b);
    d.cycles.push_back(5000);
  }
  const auto first = split_for_validation(d, 0.25, 9);
  EXPECT_EQ(first.validation, split_for_validation(d, 0.25, 9).validation);
  EXPECT_NE(first.validation, split_for_validation(d, 0.25, 10).validation);
  EXPECT_NEAR(double(first.validation.size()), 0.25 * 420, 21.0);
  EXPECT_EQ(first.train.size() + first.validation.size(), d.size());
  for (unsigned seed = 0; seed < 10; ++seed) {
    const auto s = split_for_validation(d, 0.5, seed);
    const std::set<std::size_t> val(s.validation.begin(), s.validation.end());
    std::size_t in_val = 0;
    for (std::size_t r = 400; r < 420; ++r) in_val += val.count(r);
    EXPECT_TRUE(in_val == 0 || in_val == 20) << "seed " << seed;
  }
  EXPECT_TRUE(split_for_validation(d, 0.0, 1).validation.empty());
  EXPECT_THROW(split_for_validation(d, 1.0, 1), Error);
}

TEST(TrainingData, DualSparsityRowsCarryBothVariants) {
  const Dataset d = test::sparse_synthetic_dataset(300, 3);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < d.size(); r += 2) rows.push_back(r);  // every other row
  const EncodedRows enc = encode_rows(d, rows);
  std::size_t expected = 0;
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const auto dual = dual_sparsity_variants(d.workloads[rows[j]]);
    if (!dual) continue;
    ASSERT_LT(expected, enc.dual.size());
    EXPECT_EQ(enc.dual.columns[expected], j);
    const FeatureVector a = encode_features(dual->input_only);
    const FeatureVector b = encode_features(dual->weight_only);
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      const auto i = static_cast<Eigen::Index>(f);
      EXPECT_EQ(enc.dual.variants(i, static_cast<Eigen::Index>(2 * expected)), a[f]);
      EXPECT_EQ(enc.dual.variants(i, static_cast<Eigen::Index>(2 * expected + 1)), b[f]);
      // Until the trainer reassigns it, the row holds its input-only variant.
      EXPECT_EQ(enc.features(i, static_cast<Eigen::Index>(j)), a[f]);
    }
    ++expected;
  }
  EXPECT_EQ(enc.dual.size(), expected);
  EXPECT_GT(expected, 20u);

  // Concatenation shifts the second part's columns; standardisation scales
  // the variants like the main matrix.
  const EncodedRows both = concatenate(enc, enc);
  ASSERT_EQ(both.dual.size(), 2 * expected);
  EXPECT_EQ(both.dual.columns[expected], enc.dual.columns[0] + rows.size());
  const Normalisation norm = fit_normalisation(both);
  const TrainingSet set = standardise(both, norm);
  const auto c = static_cast<Eigen::Index>(set.dual.columns[0]);
  EXPECT_TRUE(set.x.col(c).isApprox(set.dual.variants.col(0)));
}

TEST(TrainingData, MixedDevicesAreNamed) {
  Dataset d = test::synthetic_dataset(3, 3);
  EXPECT_EQ(single_device(d, "training data"), Device::VPU_2_7);
  d.workloads.push_back(test::conv3x3(Device::VPU_4_0));
  d.cycles.push_back(10);
  try {
    single_device(d, "training data");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mixes devices (VPU_2_7 in row 0, VPU_4_0 in row 3)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(single_device(Dataset{}, "training data"), Error);
}

}  // namespace
}  // namespace vpucost
