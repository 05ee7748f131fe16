// End-to-end tests of the compiler's fields (activation, sparsity, output
// write tiles, ISI strategy) and of NPU_5_0 through the vpucost program:
// predict options and --json, and NPU_5_0 from import to a latency table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::run_cli;
using test::with;

const std::string kSamples = VPUCOST_SAMPLES;

std::vector<std::string> conv(const std::string& device) {
  return {"predict",  "--device", device,     "--op", "CONVOLUTION", "--input", "56x56x64",
          "--output", "56x56x64", "--kernel", "3x3",  "--pad",       "1,1,1,1"};
}

TEST(CliCompilerFields, PredictTakesEachFieldAndShowsIt) {
  test::TempDir dir;
  ModelParts parts = test::random_model(Device::VPU_4_0);
  save_model(parts, dir / "m.h5");
  const auto args = with(conv("VPU_4_0"),
                         {"--model", (dir / "m.h5").string(), "--mode", "CUBOID_16x16",
                          "--activation", "LRELU", "--input-sparsity", "0.25", "--weight-sparsity",
                          "0.5", "--output-write-tiles", "4", "--isi", "SPLIT_OVER_K"});
  const auto r = run_cli(with(args, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["activation"], "LRELU");
  EXPECT_EQ(j["input_sparsity"], 0.25);
  EXPECT_EQ(j["weight_sparsity"], 0.5);
  EXPECT_EQ(j["output_write_tiles"], 4);
  EXPECT_EQ(j["isi_strategy"], "SPLIT_OVER_K");
  Workload w = test::conv3x3(Device::VPU_4_0);
  w.activation = ActivationFunction::LRELU;
  w.input_sparsity = 0.25;
  w.weight_sparsity = 0.5;
  w.output_write_tiles = 4;
  w.isi_strategy = IsiStrategy::SPLIT_OVER_K;
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), CostModel(parts).predict_cycles(w));

  const auto human = run_cli(args);
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("LRELU isp0.25 wsp0.5 owt4 SPLIT_OVER_K"), std::string::npos)
      << human.out;
}

TEST(CliCompilerFields, DefaultsAreADenseWorkloadAsBefore) {
  const auto r = run_cli(with(conv("VPU_2_7"), {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["activation"], "NONE");
  EXPECT_EQ(j["input_sparsity"], 0.0);
  EXPECT_EQ(j["output_write_tiles"], 1);
  EXPECT_EQ(j["isi_strategy"], "CLUSTERING");
  const auto human = run_cli(conv("VPU_2_7"));
  // Nothing is appended to the description of a default-field workload.
  EXPECT_NE(human.out.find("UINT8->UINT8 CUBOID_"), std::string::npos);
  EXPECT_EQ(human.out.find("owt"), std::string::npos) << human.out;
}

TEST(CliCompilerFields, Npu50PicksTheFastestModeTheOperationRunsIn) {
  // Depthwise runs only as CUBOID_16x16 on NPU_5_0, ELTWISE only as CUBOID_8x16.
  for (const auto& [op, mode] :
       {std::pair{"DW_CONVOLUTION", "CUBOID_16x16"}, std::pair{"ELTWISE", "CUBOID_8x16"}}) {
    const std::string kernel = std::string(op) == "ELTWISE" ? "1x1" : "3x3";
    const auto r = run_cli({"predict", "--device", "NPU_5_0", "--op", op, "--input", "28x28x64",
                            "--kernel", kernel, "--dtype", "HF8", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["execution_mode"], mode) << op;
  }
}

TEST(CliCompilerFields, InfoSaysWhatAnEncoding2ModelRefuses) {
  const auto r = run_cli({"info", VPUCOST_SOURCE_DIR "/tests/costmodel/data/encoding2/vpu_2_7.h5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("feature encoding: version 2 (before the compiler's fields"),
            std::string::npos)
      << r.out;
}

// NPU_5_0 from recordings to a latency table: import, train, eval, predict,
// and a ProxylessNAS table from the trained model and from the roofline.
TEST(CliNpu50, ImportTrainEvalPredictAndLut) {
  test::TempDir dir;
  const std::string train_csv = kSamples + "/v2/npu_5_0_train.csv";
  const std::string test_csv = kSamples + "/v2/npu_5_0_test.csv";
  auto r = run_cli({"import", "--csv", train_csv, "--out", (dir / "train.h5").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["rows_written"], 2000);
  r = run_cli({"stats", (dir / "train.h5").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto stats = nlohmann::json::parse(r.out);
  EXPECT_EQ(stats["schema_version"], 2);
  EXPECT_EQ(stats["devices"]["NPU_5_0"], 2000);
  EXPECT_GT(stats["input_dtypes"]["HF8"].get<int>(), 500);
  EXPECT_GT(stats["isi_strategies"]["SPLIT_OVER_K"].get<int>(), 100);
  EXPECT_EQ(stats["isi_strategies"]["SPLIT_OVER_H"], 0);
  EXPECT_GT(stats["input_sparsity"]["rows"].get<int>(), 100);

  r = run_cli({"train", "--data", (dir / "train.h5").string(), "--out", (dir / "m.h5").string(),
               "--hidden", "32,16", "--activation", "silu", "--epochs", "200", "--lr", "0.003",
               "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli({"eval", "--model", (dir / "m.h5").string(), "--data", test_csv, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto eval = nlohmann::json::parse(r.out);
  EXPECT_EQ(eval["n"], 1000);
  // A small network on 1,800 rows: far from the shipped accuracy, far better than chance.
  EXPECT_LT(eval["mape"].get<double>(), 0.5);
  r = run_cli({"eval", "--model", "roofline", "--data", test_csv, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(nlohmann::json::parse(r.out)["mape"].get<double>(), eval["mape"].get<double>());

  r = run_cli({"predict",
               "--model",
               (dir / "m.h5").string(),
               "--op",
               "CONVOLUTION",
               "--input",
               "56x56x64",
               "--output",
               "56x56x64",
               "--kernel",
               "3x3",
               "--pad",
               "1,1,1,1",
               "--dtype",
               "HF8",
               "--output-write-tiles",
               "3",
               "--isi",
               "SPLIT_OVER_K",
               "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto p = nlohmann::json::parse(r.out);
  EXPECT_EQ(p["device"], "NPU_5_0");
  EXPECT_NEAR(p["microseconds"].get<double>(), p["cycles"].get<double>() / 1950.0, 1e-9);

  for (const std::string& model : {(dir / "m.h5").string(), std::string("roofline")}) {
    const auto out = dir / ("lut_" + std::to_string(model.size()) + ".yaml");
    r = run_cli({"lut", "--model", model, "--device", "NPU_5_0", "--dtype", "HF8", "--out",
                 out.string(), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string yaml = test::slurp(out);
    EXPECT_NE(yaml.find("NPU_5_0 HF8"), std::string::npos) << yaml.substr(0, 200);
    EXPECT_NE(yaml.find("Conv-input:224x224x3-output:112x112x32:"), std::string::npos);
  }
}

}  // namespace
}  // namespace vpucost
