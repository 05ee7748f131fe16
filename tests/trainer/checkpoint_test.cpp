#include "vpucost/checkpoint.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "../support/test_workloads.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

Checkpoint sample() {
  Checkpoint c;
  c.settings = {{"lr", "0.001"}, {"seed", "3"}};
  c.device = Device::VPU_4_0;
  c.widths = {34, 8, 1};
  c.activation = Activation::SiLU;
  c.normalisation.feature_mean = Eigen::VectorXf::Constant(34, 0.5f);
  c.normalisation.feature_std = Eigen::VectorXf::Constant(34, 2.0f);
  c.normalisation.output_offset = 7.5f;
  c.normalisation.output_scale = 1.25f;
  c.epochs_done = 3;
  c.step = 300;
  c.params = ParameterVector(34 * 8 + 8 + 8 + 1, 0.25f);
  c.best_params = ParameterVector(c.params.size(), -0.5f);
  c.adam_m = std::vector<float>(c.params.size(), 1e-3f);
  c.adam_v = std::vector<float>(c.params.size(), 1e-6f);
  c.adam_steps = 300;
  c.best_epoch = 2;
  c.best_metric = 0.0312345678901234;
  c.bad_epochs = 1;
  c.plateau = {0.5, 0.03, true, 2};
  c.elapsed_seconds = 12.5;
  EpochReport e;
  e.epoch = 1;
  e.epochs = 10;
  e.train_loss = 0.123456789012345;
  e.val_mape = 0.05;
  e.improved = true;
  c.history = {e, e};
  return c;
}

TEST(Checkpoint, RoundTripKeepsEveryField) {
  test::TempDir dir;
  const Checkpoint c = sample();
  save_checkpoint(c, dir / "c.ckpt");
  const Checkpoint r = load_checkpoint(dir / "c.ckpt");
  EXPECT_EQ(r.settings, c.settings);
  EXPECT_EQ(r.device, Device::VPU_4_0);
  EXPECT_EQ(r.widths, c.widths);
  EXPECT_EQ(r.activation, Activation::SiLU);
  EXPECT_EQ(r.normalisation.feature_mean, c.normalisation.feature_mean);
  EXPECT_EQ(r.normalisation.output_scale, 1.25f);
  EXPECT_EQ(r.epochs_done, 3);
  EXPECT_EQ(r.step, 300u);
  EXPECT_EQ(r.params, c.params);
  EXPECT_EQ(r.best_params, c.best_params);
  EXPECT_EQ(r.adam_m, c.adam_m);
  EXPECT_EQ(r.adam_v, c.adam_v);
  EXPECT_EQ(r.best_metric, c.best_metric);
  EXPECT_EQ(r.plateau.factor, 0.5);
  EXPECT_TRUE(r.plateau.has_best);
  EXPECT_EQ(r.plateau.bad_epochs, 2);
  ASSERT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.history[1].train_loss, c.history[1].train_loss);
  EXPECT_TRUE(r.history[1].improved);
}

TEST(Checkpoint, AModelFileIsNotACheckpoint) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "m.h5");
  try {
    load_checkpoint(dir / "m.h5");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a vpucost checkpoint"), std::string::npos);
  }
  EXPECT_THROW(load_checkpoint(dir / "missing.ckpt"), Error);
}

TEST(Checkpoint, DamagedHistoryIsRefusedNotCast) {
  // Found by fuzzing: an epoch stored as 5e180 was cast to int (undefined).
  test::TempDir dir;
  save_checkpoint(sample(), dir / "c.ckpt");
  {
    auto guard = h5::lock();
    H5::H5File f((dir / "c.ckpt").string(), H5F_ACC_RDWR);
    H5::DataSet history = f.openDataSet("history");
    std::vector<double> rows(2 * 9, 1.0);
    rows[9] = 5e180;  // row 1, epoch
    history.write(rows.data(), H5::PredType::NATIVE_DOUBLE);
  }
  try {
    load_checkpoint(dir / "c.ckpt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "history row 1 has epoch 5e+180, not a whole number from 1 to 10000000"),
              std::string::npos)
        << e.what();
  }
}

TEST(Checkpoint, NonFiniteValuesAreRefused) {
  // Found by fuzzing: a NaN slipped through Fletcher-32's blind spot (a
  // 16-bit word 0x0000 turned 0xFFFF) and the checkpoint loaded.
  test::TempDir dir;
  save_checkpoint(sample(), dir / "c.ckpt");
  {
    auto guard = h5::lock();
    H5::H5File f((dir / "c.ckpt").string(), H5F_ACC_RDWR);
    std::vector<float> values(34 * 8 + 8 + 8 + 1, -0.5f);
    values[202] = std::numeric_limits<float>::quiet_NaN();
    f.openDataSet("best_params").write(values.data(), H5::PredType::NATIVE_FLOAT);
  }
  try {
    load_checkpoint(dir / "c.ckpt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint array 'best_params' holds nan at index 202"),
              std::string::npos)
        << e.what();
  }
}

TEST(Checkpoint, ResumeCheckNamesTheDifferentSetting) {
  const Checkpoint c = sample();
  EXPECT_NO_THROW(check_resumable(c, c.settings, "c.ckpt"));
  try {
    check_resumable(c, {{"lr", "0.001"}, {"seed", "4"}}, "c.ckpt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("seed = 3 but this run has seed = 4"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(check_resumable(c, {{"lr", "0.001"}}, "c.ckpt"), Error);
}

TEST(Checkpoint, AFailedWriteKeepsThePreviousFile) {
  test::TempDir dir;
  save_checkpoint(sample(), dir / "c.ckpt");
  Checkpoint bad = sample();
  EXPECT_THROW(save_checkpoint(bad, dir / "no-such-dir" / "c.ckpt"), Error);
  EXPECT_EQ(load_checkpoint(dir / "c.ckpt").epochs_done, 3);
}

}  // namespace
}  // namespace vpucost
