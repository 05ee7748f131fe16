// `vpucost train / predict / eval / info` with SHAVE recordings (issue #15),
// end to end on the bundled v2 samples, and the refusals across kinds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kShave = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/shave/";

TEST(CliShave, TrainPredictEvalInfoOnTheBundledSample) {
  test::TempDir dir;
  const std::string model = (dir / "shave.h5").string();
  const auto train =
      run_cli({"train", "--data", kShave + "npu_5_0_train.csv", "--out", model, "--json"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const auto summary = nlohmann::json::parse(train.out);
  EXPECT_EQ(summary["kind"], "shave");
  EXPECT_EQ(summary["device"], "NPU_5_0");
  EXPECT_EQ(summary["train_rows"], 2000);
  EXPECT_LT(summary["metrics"]["train_mape"].get<double>(), 0.03);

  // predict: the CLI's cycles are the library's.
  const auto p = run_cli({"predict", "--model", model, "--op", "hswish", "--input", "56x56x64",
                          "--dtype", "FLOAT16", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto j = nlohmann::json::parse(p.out);
  const Tensor t{56, 56, 64, DType::FLOAT16};
  const double expected =
      load_shave_model(model).predict_cycles({Device::NPU_5_0, ShaveOp::hswish, t, t, 0});
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), expected);
  EXPECT_DOUBLE_EQ(j["microseconds"].get<double>(), expected / 1950.0);
  const auto text = run_cli({"predict", "--model", model, "--op", "depth_to_space", "--input",
                             "32x32x64", "--dtype", "UINT8"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("NPU_5_0 SHAVE depth_to_space 32x32x64 -> 64x64x16 UINT8 block 2"),
            std::string::npos)
      << text.out;

  // eval on held-out rows, per operation.
  const auto e =
      run_cli({"eval", "--model", model, "--data", kShave + "npu_5_0_test.csv", "--json"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto ev = nlohmann::json::parse(e.out);
  EXPECT_EQ(ev["n"], 500);
  EXPECT_LT(ev["mape"].get<double>(), 0.05);
  EXPECT_TRUE(ev["per_operation"].contains("softmax"));

  const auto info = run_cli({"info", model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("kind:             SHAVE operations"), std::string::npos);
}

TEST(CliShave, KindsAreNotMixed) {
  test::TempDir dir;
  const std::string model = (dir / "shave.h5").string();
  ASSERT_EQ(run_cli({"train", "--data", kShave + "vpu_2_7_train.csv", "--out", model}).exit_code,
            0);
  const auto line = [](const test::CliResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(test::line_count(r.err), 1) << r.err;
    return r.err;
  };
  EXPECT_NE(line(run_cli({"predict", "--kind", "dpu", "--model", model, "--op", "CONVOLUTION",
                          "--input", "8x8x16", "--output", "8x8x16"}))
                .find("holds a shave model, not a DPU workload model"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--op", "relu", "--input", "8x8x16"}))
                .find("was not fitted on relu FLOAT16"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"predict", "--model", model, "--op", "gelu", "--input", "8x8x16",
                          "--kernel", "3x3"}))
                .find("--kernel describes a DPU workload, not a SHAVE operation"),
            std::string::npos);
  EXPECT_NE(line(run_cli({"train", "--data", kShave + "vpu_2_7_train.csv", "--out",
                          (dir / "x.h5").string(), "--epochs", "5"}))
                .find("--epochs does not apply to SHAVE models"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
  const std::string dpu_csv = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/vpu_2_7_test.csv";
  EXPECT_NE(
      line(run_cli({"eval", "--model", model, "--data", dpu_csv}))
          .find("vpu_2_7_test.csv records DPU workloads, not SHAVE operations (by its header)"),
      std::string::npos);
}

}  // namespace
}  // namespace vpucost
