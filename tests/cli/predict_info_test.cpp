// End-to-end tests of `vpucost predict` and `vpucost info`: exit codes,
// one-line errors and JSON output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::line_count;
using test::run_cli;
using test::with;

const std::vector<std::string> kConv = {
    "predict",  "--device", "VPU_2_7",  "--op",   "CONVOLUTION", "--input", "56x56x64",
    "--output", "56x56x64", "--kernel", "3x3",    "--stride",    "1x1",     "--pad",
    "1,1,1,1",  "--dtype",  "UINT8",    "--mode", "CUBOID_16x16"};

TEST(CliPredict, RooflineWithoutModelSaysSo) {
  const auto r = run_cli(with(kConv, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "roofline");
  EXPECT_GT(j["cycles"].get<double>(), 0.0);
  EXPECT_NEAR(j["microseconds"].get<double>(), j["cycles"].get<double>() / 1300.0, 1e-9);
  EXPECT_EQ(j["execution_mode"], "CUBOID_16x16");
}

TEST(CliPredict, ModelPredictionMatchesLibrary) {
  test::TempDir dir;
  const ModelParts parts = test::random_model(Device::VPU_2_7);
  save_model(parts, dir / "m.h5");
  const auto r = run_cli(with(kConv, {"--model", (dir / "m.h5").string(), "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "model");
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), CostModel(parts).predict_cycles(test::conv3x3()));

  const auto human = run_cli(with(kConv, {"--model", (dir / "m.h5").string()}));
  ASSERT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("cycles:"), std::string::npos);
  EXPECT_NE(human.out.find("microseconds:"), std::string::npos);
}

TEST(CliPredict, OmittedModePicksTheFastest) {
  auto args = kConv;
  args.resize(args.size() - 2);  // drop --mode
  const auto r = run_cli(with(args, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["mode_chosen"].get<bool>());
  for (const char* mode : {"CUBOID_16x16", "CUBOID_8x16", "CUBOID_4x16"}) {
    const auto one = run_cli(with(args, {"--mode", mode, "--json"}));
    EXPECT_LE(j["cycles"].get<double>(), nlohmann::json::parse(one.out)["cycles"].get<double>());
  }
}

TEST(CliPredict, OutputDtypeDefaultsToInputAndCanBeOverridden) {
  const auto a = run_cli(with(kConv, {}));
  EXPECT_NE(a.out.find("UINT8->UINT8"), std::string::npos) << a.out;
  const auto b = run_cli(with(kConv, {"--output-dtype", "FLOAT16"}));
  EXPECT_NE(b.out.find("UINT8->FLOAT16"), std::string::npos) << b.out;
}

TEST(CliPredict, BadInputGivesOneLineErrorAndNonZeroExit) {
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--output", "57x56x64"}, "output width 57 does not follow"},
      {{"--input", "56x56"}, "--input '56x56' is not a shape"},
      {{"--kernel", "3xq"}, "--kernel '3xq' is not a size"},
      {{"--pad", "1,1,1"}, "--pad '1,1,1' is not padding"},
      {{"--mode", "VECTOR"}, "execution mode VECTOR does not exist on VPU_2_7"},
      {{"--dtype", "INT8"}, "unknown dtype 'INT8'"},
      {{"--op", "CONV"}, "unknown operation 'CONV'"},
      {{"--device", "VPU_3_0"}, "unknown device 'VPU_3_0'"},
      {{"--model", "/nonexistent/m.h5"}, "does not exist"},
  };
  for (const auto& c : cases) {
    // Later options override earlier ones in this test by replacing the value.
    auto args = kConv;
    for (std::size_t i = 0; i + 1 < c.extra.size() + 1; i += 2) {
      auto it = std::find(args.begin(), args.end(), c.extra[i]);
      if (it != args.end()) {
        *(it + 1) = c.extra[i + 1];
      } else {
        args.push_back(c.extra[i]);
        args.push_back(c.extra[i + 1]);
      }
    }
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << c.message << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(CliPredict, UnknownOptionIsAUsageError) {
  const auto r = run_cli(with(kConv, {"--frobnicate"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
}

TEST(Cli, HelpForEveryCommandAndUnknownCommand) {
  const auto top = run_cli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* c : {"predict", "info"}) {
    EXPECT_NE(top.out.find(c), std::string::npos);
    const auto r = run_cli({c, "--help"});
    EXPECT_EQ(r.exit_code, 0) << c;
    EXPECT_NE(r.out.find("usage: vpucost"), std::string::npos);
  }
  EXPECT_EQ(run_cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_cli({}).exit_code, 2);
}

TEST(CliInfo, ShowsTrainingRecordAndJson) {
  test::TempDir dir;
  save_model(test::random_model(Device::VPU_4_0), dir / "m.h5");
  const auto r = run_cli({"info", (dir / "m.h5").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("VPU_4_0"), std::string::npos);
  EXPECT_NE(r.out.find("val_mape"), std::string::npos);
  EXPECT_NE(r.out.find(std::to_string(kFeatureCount) + " -> 16 -> 8 -> 1"), std::string::npos)
      << r.out;
  const auto j = nlohmann::json::parse(run_cli({"info", (dir / "m.h5").string(), "--json"}).out);
  EXPECT_EQ(j["device"], "VPU_4_0");
  EXPECT_EQ(j["training"]["rows"], 123);
  EXPECT_EQ(j["parameters"], static_cast<int>(kFeatureCount) * 16 + 16 + 16 * 8 + 8 + 8 + 1);
}

TEST(CliInfo, NonModelFileIsAOneLineError) {
  test::TempDir dir;
  std::ofstream(dir / "x.csv") << "device,operation\n";
  const auto r = run_cli({"info", (dir / "x.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("not an HDF5 file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vpucost
