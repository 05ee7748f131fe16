// End-to-end tests of `vpucost train`, `vpucost eval` and `vpucost
// features` on the bundled sample recordings: exit codes, one-line errors,
// JSON keys, interruption and resume.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "cli_train_support.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/plot.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/trainable_mlp.hpp"
#include "vpucost/trainer.hpp"

namespace vpucost {
namespace {

using test::run_cli;

using test::kSamples;
using test::kTest;
using test::kTrain;
using test::weights;

std::vector<std::string> quick_train(const std::string& out, std::vector<std::string> more = {}) {
  std::vector<std::string> a{"train", "--data",   kTrain, "--out",   out,   "--hidden",
                             "24,16", "--epochs", "4",    "--batch", "128", "--quiet"};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

TEST(CliTrain, TrainsAModelThatLoadsAndRecordsHowItWasMade) {
  test::TempDir dir;
  const auto r = run_cli(quick_train(dir / "m.h5", {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["device"], "VPU_2_7");
  EXPECT_EQ(j["network"], std::to_string(kFeatureCount) + ",24,16,1");
  EXPECT_EQ(j["epochs_run"], 4);
  EXPECT_EQ(j["train_rows"].get<int>() + j["validation_rows"].get<int>(), 2000);
  EXPECT_TRUE(j["metrics"].contains("val_mape"));
  const CostModel m = load_model(dir / "m.h5");
  const auto& t = m.parts().training;
  EXPECT_EQ(m.device(), Device::VPU_2_7);
  EXPECT_NE(t.command.find("vpucost train --data"), std::string::npos);
  EXPECT_EQ(t.dataset, kTrain);
  EXPECT_EQ(t.notes.at("seed"), "1");
  EXPECT_EQ(t.notes.at("threads"), "1");
  EXPECT_EQ(t.notes.at("loss"), "mse");
  EXPECT_EQ(t.created.size(), 20u);  // 2026-11-21T10:00:00Z
  EXPECT_GT(m.predict_cycles(test::conv3x3()), 1.0);
  // The same command gives the same weights.
  ASSERT_EQ(run_cli(quick_train(dir / "again.h5")).exit_code, 0);
  EXPECT_EQ(weights(dir / "m.h5"), weights(dir / "again.h5"));
}

// v1 recordings (no compiler columns) next to v2 ones of the same device.
TEST(CliTrain, TrainsOnSeveralRecordingsOfOneDevice) {
  test::TempDir dir;
  const std::string v1 = kSamples + "vpu_4_0_train.csv";
  const std::string v2 = kSamples + "v2/vpu_4_0_train.csv";
  auto r = run_cli({"train", "--data", v1 + "," + v2, "--out", (dir / "m.h5").string(), "--hidden",
                    "8", "--epochs", "2", "--val-fraction", "0", "--json", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["train_rows"], 4000);
  EXPECT_EQ(load_model(dir / "m.h5").parts().training.dataset, v1 + "," + v2);
  r = run_cli({"train", "--data", v1 + "," + kSamples + "v2/npu_5_0_train.csv", "--out",
               (dir / "x.h5").string(), "--epochs", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("mixes devices (VPU_4_0 in row 0, NPU_5_0 in row 2000)"), std::string::npos)
      << r.err;
  r = run_cli({"train", "--data", v1 + ",", "--out", (dir / "x.h5").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("an empty item"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

TEST(CliTrain, ProgressGoesToStderrOnePerEpoch) {
  test::TempDir dir;
  auto args = quick_train(dir / "m.h5");
  args.pop_back();  // --quiet
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("model " + std::to_string(kFeatureCount) + ",24,16,1"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("epoch    4/4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("val MAPE"), std::string::npos);
  EXPECT_NE(r.err.find("ETA"), std::string::npos);
  EXPECT_NE(r.out.find("validation: MAPE"), std::string::npos) << r.out;
}

TEST(CliTrain, HelpStatesTheLibraryDefaults) {
  const auto r = run_cli({"train", "--help"});
  ASSERT_EQ(r.exit_code, 0);
  const TrainOptions d;
  const auto has = [&](const std::string& text) { return r.out.find(text) != std::string::npos; };
  EXPECT_TRUE(has("epochs (default " + std::to_string(d.epochs) + ")")) << r.out;
  EXPECT_TRUE(has("mini-batch size (default " + std::to_string(d.batch_size) + ")"));
  EXPECT_TRUE(has(std::string(to_string(d.activation)) + " (default)"));
  EXPECT_TRUE(has(std::string(to_string(d.schedule)) + " (default)"));
  EXPECT_TRUE(has("(default " + std::to_string(d.patience) + "; 0: off)"));
  EXPECT_EQ(d.learning_rate, 1e-3);
  EXPECT_TRUE(has("peak learning rate (default 0.001;"));
}

TEST(CliTrain, EveryOptionIsAccepted) {
  test::TempDir dir;
  const auto r = run_cli(quick_train(dir / "m.h5", {"--activation",
                                                    "silu",
                                                    "--lr",
                                                    "0.002",
                                                    "--schedule",
                                                    "plateau",
                                                    "--min-lr-ratio",
                                                    "0.05",
                                                    "--warmup",
                                                    "0.5",
                                                    "--plateau-factor",
                                                    "0.3",
                                                    "--plateau-patience",
                                                    "2",
                                                    "--weight-decay",
                                                    "0",
                                                    "--beta1",
                                                    "0.8",
                                                    "--beta2",
                                                    "0.99",
                                                    "--clip-norm",
                                                    "5",
                                                    "--loss",
                                                    "huber",
                                                    "--huber-delta",
                                                    "0.1",
                                                    "--patience",
                                                    "3",
                                                    "--seed",
                                                    "9",
                                                    "--threads",
                                                    "2",
                                                    "--checkpoint",
                                                    dir / "c.h5",
                                                    "--checkpoint-every",
                                                    "2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto notes = load_model(dir / "m.h5").parts().training.notes;
  EXPECT_EQ(notes.at("huber_delta"), "0.1");
  EXPECT_EQ(notes.at("schedule"), "plateau");
  EXPECT_EQ(notes.at("threads"), "2");
  EXPECT_TRUE(std::filesystem::exists(dir / "c.h5"));
}

TEST(CliTrain, BadInputIsOneLineAndExitCode) {
  test::TempDir dir;
  auto r = run_cli({"train", "--out", dir / "m.h5"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_cli({"train", "--data", kTrain, "--out", dir / "m.h5", "--hidden", "24,x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--hidden '24,x'"), std::string::npos) << r.err;
  r = run_cli({"train", "--data", dir / "missing.csv", "--out", dir / "m.h5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(test::line_count(r.err), 1) << r.err;
  r = run_cli(quick_train(dir / "m.h5", {"--val", kTest, "--val-fraction", "0.2"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("either --val or --val-fraction"), std::string::npos) << r.err;
  r = run_cli(quick_train(dir / "m.h5", {"--val", kSamples + "vpu_4_0_test.csv"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is for VPU_4_0 but the training data is for VPU_2_7"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "m.h5"));
}

TEST(CliTrain, FineTunesFromAModelOfAnotherDevice) {
  test::TempDir dir;
  ASSERT_EQ(run_cli(quick_train(dir / "base.h5")).exit_code, 0);
  auto r =
      run_cli({"train", "--init-from", dir / "base.h5", "--data", kSamples + "vpu_4_0_train.csv",
               "--out", dir / "tuned.h5", "--epochs", "2", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CostModel tuned = load_model(dir / "tuned.h5");
  EXPECT_EQ(tuned.device(), Device::VPU_4_0);
  EXPECT_EQ(tuned.parts().training.notes.at("init_from_device"), "VPU_2_7");
  EXPECT_EQ(tuned.parts().training.notes.at("lr"), "0.0003");
  EXPECT_EQ(tuned.parts().feature_mean, load_model(dir / "base.h5").parts().feature_mean);

  r = run_cli({"train", "--init-from", dir / "base.h5", "--data", kSamples + "vpu_4_0_train.csv",
               "--out", dir / "x.h5", "--hidden", "32,32"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--hidden 32,32 differs from the --init-from model's 24,16"),
            std::string::npos)
      << r.err;
}

TEST(CliTrain, DistilsFromTeachersOnSyntheticWorkloads) {
  test::TempDir dir;
  ASSERT_EQ(run_cli(quick_train(dir / "t1.h5")).exit_code, 0);
  ASSERT_EQ(run_cli(quick_train(dir / "t2.h5", {"--seed", "2"})).exit_code, 0);
  const std::string teachers = (dir / "t1.h5").string() + "," + (dir / "t2.h5").string();
  auto r =
      run_cli(quick_train(dir / "s.h5", {"--teachers", teachers, "--synthetic", "3000", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // 1,800 recorded training rows (10 % of 2,000 held out) and the synthetic ones.
  EXPECT_EQ(j["train_rows"].get<int>(), 1800 + 3000);
  EXPECT_EQ(j["validation_rows"].get<int>(), 200);
  const CostModel student = load_model(dir / "s.h5");
  const auto& notes = student.parts().training.notes;
  EXPECT_EQ(notes.at("teachers"), teachers);
  EXPECT_EQ(notes.at("synthetic_rows"), "3000");
  // `info` tells the recorded rows from the teacher-labelled ones.
  r = run_cli({"info", (dir / "s.h5").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(1800 rows and 3000 teacher-labelled workloads)"), std::string::npos)
      << r.out;

  r = run_cli(quick_train(dir / "x.h5", {"--teachers", teachers}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("distillation needs both --teachers and --synthetic"), std::string::npos)
      << r.err;
  save_model(test::random_model(Device::VPU_4_0), dir / "other.h5");
  r = run_cli(
      quick_train(dir / "x.h5", {"--teachers", (dir / "other.h5").string(), "--synthetic", "10"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("teacher 1 is a VPU_4_0 model, the data is for VPU_2_7"), std::string::npos)
      << r.err;
  r = run_cli(quick_train(dir / "x.h5", {"--teachers", teachers, "--synthetic", "1000000000"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--synthetic 1000000000 is more than 20000000 workloads"), std::string::npos)
      << r.err;
  r = run_cli(quick_train(dir / "x.h5", {"--teachers", teachers + ",", "--synthetic", "10"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("an empty item"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

// A model of an older encoding (the encoding-2 VPU_2_7 model of issue #4)
// is widened: the fine-tuned model has the current encoding, keeps the old
// model's scaling of the features it had and takes the data's for the rest.
TEST(CliTrain, FineTuningWidensAModelOfAnOlderEncoding) {
  test::TempDir dir;
  const std::string old =
      std::string(VPUCOST_SOURCE_DIR) + "/tests/costmodel/data/encoding2/vpu_2_7.h5";
  const auto r = run_cli({"train", "--init-from", old, "--data", kSamples + "v2/vpu_2_7_train.csv",
                          "--out", dir / "new.h5", "--epochs", "1", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ModelParts before = load_model(old).parts();
  const ModelParts after = load_model(dir / "new.h5").parts();
  EXPECT_EQ(before.feature_version, 2);
  EXPECT_EQ(after.feature_version, kFeatureEncodingVersion);
  const auto n2 = static_cast<Eigen::Index>(feature_count(2));
  EXPECT_EQ(after.feature_mean.head(n2), before.feature_mean);
  EXPECT_EQ(after.feature_std.head(n2), before.feature_std);
  // The last feature (64-channel use) varies over the data: fitted, not 0 / 1.
  const auto last = static_cast<Eigen::Index>(kFeatureCount) - 1;
  EXPECT_GT(after.feature_mean[last], 0.0f);
  EXPECT_NE(after.feature_std[last], 1.0f);
}

TEST(CliTrain, FineTuneRejectsAnotherEncodingVersion) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "old.h5");
  {
    auto guard = h5::lock();
    H5::H5File file(std::string(dir / "old.h5"), H5F_ACC_RDWR);
    H5::Group root = file.openGroup("/");
    root.removeAttr("feature_encoding_version");
    h5::write_attribute(root, "feature_encoding_version", std::int64_t{0});
  }
  const auto r = run_cli({"train", "--init-from", dir / "old.h5", "--data", kTrain, "--out",
                          dir / "new.h5", "--epochs", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(test::line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("cannot fine-tune from"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("feature encoding version 0"), std::string::npos) << r.err;
}

TEST(CliEval, JsonHasTheDocumentedKeysAsFractions) {
  test::TempDir dir;
  ASSERT_EQ(run_cli(quick_train(dir / "m.h5")).exit_code, 0);
  for (const std::string& model : {(dir / "m.h5").string(), std::string("roofline")}) {
    const auto r = run_cli({"eval", "--model", model, "--data", kTest, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"n", "mape", "median_ape", "within_10", "within_25", "per_operation"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["n"], 1000);
    EXPECT_GT(j["within_25"].get<double>(), 0.0);
    EXPECT_LE(j["within_25"].get<double>(), 1.0);
    EXPECT_EQ(j["per_operation"].size(), 6u);
    for (const auto& [op, s] : j["per_operation"].items()) {
      for (const char* key : {"n", "mape", "median_ape", "within_10", "within_25"}) {
        EXPECT_TRUE(s.contains(key)) << op << " " << key;
      }
    }
    EXPECT_EQ(j["worst"].size(), 10u);
    // The v1 sample is dense throughout.
    ASSERT_EQ(j["per_sparsity"].size(), 1u);
    EXPECT_EQ(j["per_sparsity"]["dense"]["n"], 1000);
  }
}

TEST(CliEval, RooflineMetricsMatchTheLibrary) {
  const auto r = run_cli({"eval", "--model", "roofline", "--data", kTest, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Dataset d = load_dataset(kTest);
  const RooflineModel roofline;
  double sum = 0;
  int within = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double ape = std::abs(roofline.predict_cycles(d.workloads[i]) / d.cycles[i] - 1.0);
    sum += ape;
    within += ape <= 0.10;
  }
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["mape"].get<double>(), sum / double(d.size()), 1e-12);
  EXPECT_NEAR(j["within_10"].get<double>(), within / double(d.size()), 1e-12);
}

TEST(CliEval, TextReportPlotAndErrors) {
  test::TempDir dir;
  ASSERT_EQ(run_cli(quick_train(dir / "m.h5")).exit_code, 0);
  auto r = run_cli({"eval", "--model", dir / "m.h5", "--data", kTest});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("10 worst predictions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DW_CONVOLUTION"), std::string::npos);
  r = run_cli({"eval", "--model", dir / "m.h5", "--data", kTest, "--plot", dir / "p.png"});
  if (find_gnuplot().empty()) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("gnuplot not found: install gnuplot-nox"), std::string::npos) << r.err;
  } else {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string png = test::slurp(dir / "p.png");
    ASSERT_GT(png.size(), 1000u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
  }

  r = run_cli({"eval", "--model", dir / "m.h5", "--data", kSamples + "vpu_4_0_test.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is for VPU_2_7 but the test data"), std::string::npos) << r.err;
  r = run_cli({"eval", "--model", dir / "m.h5"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliFeatures, WritesTheEncodingAsCsv) {
  test::TempDir dir;
  const auto r = run_cli({"features", "--data", kTest, "--out", dir / "f.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::slurp(dir / "f.csv");
  EXPECT_EQ(test::line_count(csv), 1001);
  EXPECT_EQ(csv.rfind("device,operation,op_convolution,", 0), 0u);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), static_cast<long>(kFeatureCount) + 2);
}

}  // namespace
}  // namespace vpucost
