// End-to-end: once-for-all's MobileNetV3 space through `vpucost lut`, `net`
// and `nas` -- the five tables once-for-all's MBv3 LatencyTable loads, the
// SHAVE rows of a MobileNetV3 net config, and a searched winner that `net`
// costs at the latency the search saw.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"

namespace vpucost {
namespace {

using test::run_cli;
using test::TempDir;

const std::string kMbv3Models = std::string(VPUCOST_SOURCE_DIR) + "/models/";

std::vector<std::string> vpu_4_0_models(std::vector<std::string> args) {
  for (const char* a : {"--model", "vpu_4_0.h5", "--shave-model", "shave_vpu_4_0.h5", "--dma-model",
                        "dma_vpu_4_0.h5"}) {
    const std::string s(a);
    args.push_back(s.ends_with(".h5") ? kMbv3Models + s : s);
  }
  return args;
}

std::set<std::string> top_level_keys(const YAML::Node& doc) {
  std::set<std::string> out;
  for (const auto& e : doc) out.insert(e.first.as<std::string>());
  return out;
}

TEST(CliOfaMbv3, WritesTheFiveTablesOnceForAllLoads) {
  TempDir dir;
  const auto r = run_cli(vpu_4_0_models({"lut", "--space", "ofa-mbv3", "--resolution",
                                         "160,176,192,208,224", "--out", dir.path().string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const int res : {160, 176, 192, 208, 224}) {
    const YAML::Node ours =
        YAML::LoadFile((dir / (std::to_string(res) + "_lookup_table.yaml")).string());
    const YAML::Node published =
        YAML::LoadFile(std::string(VPUCOST_TEST_DATA_DIR) + "/ofa_note10_" + std::to_string(res) +
                       "_lookup_table.yaml");
    EXPECT_EQ(top_level_keys(ours), top_level_keys(published)) << res;
    for (const auto& e : ours) EXPECT_GT(e.second["mean"].as<double>(), 0.0) << e.first;
  }
}

TEST(CliOfaMbv3, WithoutAShaveModelSaysWhatIsMissingOnOneLine) {
  TempDir dir;
  const auto r = run_cli({"lut", "--model", kMbv3Models + "vpu_4_0.h5", "--space", "ofa-mbv3",
                          "--out", (dir / "t.yaml").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(test::line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("needs a SHAVE model of VPU_4_0 (--shave-model)"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "t.yaml"));
  const auto other = run_cli({"lut", "--model", kMbv3Models + "vpu_4_0.h5", "--shave-model",
                              kMbv3Models + "shave_vpu_2_7.h5", "--space", "ofa-mbv3", "--out",
                              (dir / "t.yaml").string()});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("is for VPU_2_7, not VPU_4_0"), std::string::npos) << other.err;
}

TEST(CliOfaMbv3, NetShowsTheShaveStepsOfAMobileNetV3Config) {
  const auto r = run_cli(vpu_4_0_models(
      {"net", "--config", std::string(VPUCOST_SOURCE_DIR) + "/nets/mobilenet_v3_large.json",
       "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["parameters"], 5483032);
  double sum = 0, shave = 0;
  int shave_rows = 0;
  for (const auto& l : j["layers"]) {
    sum += l["cycles"].get<double>();
    if (l["engine"] == "SHAVE") {
      shave += l["cycles"].get<double>();
      ++shave_rows;
    }
  }
  // The teacher's mobilenet_v3_large has 37 SHAVE nodes: 21 h-swish, 8 SE gates, 8 SE scales.
  EXPECT_EQ(shave_rows, 37);
  EXPECT_NEAR(j["total_cycles"].get<double>(), sum, 1e-9 * sum);
  EXPECT_NEAR(j["shave_cycles"].get<double>(), shave, 1e-9 * shave);
}

TEST(CliOfaMbv3, NasWinnerIsAMobileNetV3ConfigThatNetCostsTheSame) {
  TempDir dir;
  const auto best = dir / "best.json";
  const auto r =
      run_cli(vpu_4_0_models({"nas", "--space", "ofa-mbv3", "--latency-ms", "0.12", "--mode",
                              "compute", "--seed", "3", "--out", best.string(), "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out);
  std::ifstream in(best);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().find("ZeroLayer"), std::string::npos);
  const auto config = nlohmann::json::parse(text.str());
  EXPECT_EQ(config["name"], "MobileNetV3");
  EXPECT_TRUE(config.contains("final_expand_layer"));
  const auto net =
      run_cli(vpu_4_0_models({"net", "--config", best.string(), "--mode", "compute", "--json"}));
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const double net_ms = nlohmann::json::parse(net.out)["total_ms"].get<double>();
  EXPECT_LE(net_ms, 0.12);
  EXPECT_EQ(result["best_net_latency_ms"].get<double>(), net_ms);         // SHAVE steps included
  EXPECT_NEAR(result["best"]["latency_ms"].get<double>(), net_ms, 1e-9);  // the table's sum

  // In device mode (the default) the winner is checked as the whole network
  // in order, SHAVE nodes included, as `net` costs it.
  const auto device =
      run_cli(vpu_4_0_models({"nas", "--space", "ofa-mbv3", "--latency-ms", "0.25", "--seed", "3",
                              "--out", best.string(), "--json", "--quiet"}));
  ASSERT_EQ(device.exit_code, 0) << device.err;
  const auto device_result = nlohmann::json::parse(device.out);
  EXPECT_EQ(device_result["mode"], "device");
  const auto device_net = run_cli(vpu_4_0_models({"net", "--config", best.string(), "--json"}));
  ASSERT_EQ(device_net.exit_code, 0) << device_net.err;
  const double device_ms = nlohmann::json::parse(device_net.out)["total_ms"].get<double>();
  EXPECT_LE(device_ms, 0.25);
  EXPECT_EQ(device_result["best_net_latency_ms"].get<double>(), device_ms);
  EXPECT_NEAR(device_result["best"]["latency_ms"].get<double>() / device_ms, 1.0, 0.01);
}

}  // namespace
}  // namespace vpucost
