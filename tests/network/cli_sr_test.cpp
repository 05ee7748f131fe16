// End-to-end: the sr-edsr space through `vpucost lut`, `nas` (with a
// PSNR-style evaluator command reading the SR config on stdin) and `net`
// (the winner costed at the search's latency; the DMA copy of nearest
// upsampling in every mode).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"

namespace vpucost {
namespace {

using test::run_cli;
using test::TempDir;

const std::string kSrCliModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

std::vector<std::string> sr_models(std::vector<std::string> args, const std::string& device) {
  for (const std::string prefix : {"", "shave_", "dma_"}) {
    args.push_back(prefix.empty()       ? "--model"
                   : prefix == "shave_" ? "--shave-model"
                                        : "--dma-model");
    args.push_back(kSrCliModels + prefix + device + ".h5");
  }
  return args;
}

std::string sr_read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CliSr, NasWithAnEvaluatorWritesAnSrConfigThatNetCostsTheSame) {
  TempDir dir;
  const auto best = dir / "best.json";
  const auto seen = dir / "seen.txt";
  // A stand-in for a PSNR evaluator: it reads the SR config and scores the
  // number of blocks ('{' count), remembering that it saw an upsampler.
  const std::string evaluator =
      "tee -a " + test::shell_quote(seen.string()) + " | tr -cd '{' | wc -c";
  const auto r = run_cli(sr_models(
      {"nas",         "--space",       "sr-edsr", "--latency-ms", "9",       "--seed",
       "2",           "--generations", "3",       "--population", "12",      "--mutations",
       "6",           "--crossovers",  "6",       "--evaluator",  evaluator, "--out",
       best.string(), "--json",        "--quiet"},
      "vpu_4_0"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("up_bilinear_ac left out of space 'sr-edsr' on VPU_4_0"), std::string::npos)
      << r.err;
  const auto result = nlohmann::json::parse(r.out);
  EXPECT_EQ(result["resolution"], 360);
  EXPECT_NE(sr_read(seen).find("\"upsampler\""), std::string::npos);
  const auto config = nlohmann::json::parse(sr_read(best));
  EXPECT_EQ(config["input_size"], nlohmann::json::array({360, 640}));
  // The score is the evaluator's: 1 + 1 (input_size is an array) + blocks.
  EXPECT_EQ(result["best"]["score"].get<double>(), 1.0 + config["blocks"].size());

  const auto net = run_cli(sr_models({"net", "--config", best.string(), "--json"}, "vpu_4_0"));
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const auto j = nlohmann::json::parse(net.out);
  const double net_ms = j["total_ms"].get<double>();
  EXPECT_LE(net_ms, 9.0);
  EXPECT_EQ(result["best_net_latency_ms"].get<double>(), net_ms);
  EXPECT_NEAR(result["best"]["latency_ms"].get<double>(), net_ms, 1e-9 * net_ms);
  EXPECT_EQ(j["input_size"], "360x640");
}

TEST(CliSr, NearestUpsamplingIsADmaRowInEveryMode) {
  TempDir dir;
  const auto config = dir / "sr.json";
  std::ofstream(config) << R"({"name": "tiny", "input_size": [90, 160], "n_feats": 16,
    "blocks": [{"kernel_size": 3, "conv": "separable", "act_func": "prelu"}],
    "upsampler": "nearest"})";
  double dma_cycles = -1;
  for (const char* mode : {"compute", "ddr", "device", "dpu"}) {
    const auto r = run_cli(
        sr_models({"net", "--config", config.string(), "--mode", mode, "--json"}, "npu_5_0"));
    ASSERT_EQ(r.exit_code, 0) << mode << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out);
    int dma_rows = 0, shave_rows = 0;
    for (const auto& l : j["layers"]) {
      if (l["engine"] == "DMA") {
        ++dma_rows;
        EXPECT_EQ(l["output"], nlohmann::json::array({320, 180, 16}));
        if (dma_cycles < 0) dma_cycles = l["cycles"].get<double>();
        EXPECT_EQ(l["cycles"].get<double>(), dma_cycles) << mode;  // the copy is the same
      }
      shave_rows += l["engine"] == "SHAVE";
    }
    EXPECT_EQ(dma_rows, 1) << mode;
    EXPECT_EQ(shave_rows, 1) << mode;  // the PReLU
    EXPECT_EQ(j["dma_cycles"].get<double>(), dma_cycles) << mode;
  }
  EXPECT_GT(dma_cycles, 0);
}

TEST(CliSr, ResolutionDoesNotApplyToAnSrConfigAndLutWritesItsKeys) {
  TempDir dir;
  const auto config = dir / "sr.json";
  std::ofstream(config) << R"({"input_size": [90, 160], "n_feats": 16, "blocks": [],
    "upsampler": "bilinear"})";
  const auto r =
      run_cli({"net", "--device", "VPU_4_0", "--config", config.string(), "--resolution", "720"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--resolution does not apply"), std::string::npos) << r.err;

  const auto yaml = dir / "sr.yaml";
  const auto lut = run_cli(sr_models(
      {"lut", "--space", "sr-edsr", "--resolution", "180", "--out", yaml.string(), "--quiet"},
      "npu_5_0"));
  ASSERT_EQ(lut.exit_code, 0) << lut.err;
  const std::string text = sr_read(yaml);
  EXPECT_NE(text.find("Conv-input:180x320x3-output:180x320x32:"), std::string::npos);
  EXPECT_NE(text.find("sr_block-input:180x320x32-kernel:5-expand:4-conv:separable-act:prelu:"),
            std::string::npos);
  EXPECT_NE(text.find("sr_tail-input:180x320x32-output:360x640x3-upsampler:depth_to_space:"),
            std::string::npos);
  // 40 block keys + head + 4 tails.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3 + 4 * (1 + 40 + 4) - 1) << text;

  const auto odd = run_cli(sr_models(
      {"lut", "--space", "sr-edsr", "--resolution", "224", "--out", yaml.string()}, "npu_5_0"));
  EXPECT_EQ(odd.exit_code, 1);
  EXPECT_NE(odd.err.find("gives no whole width"), std::string::npos) << odd.err;
}

}  // namespace
}  // namespace vpucost
