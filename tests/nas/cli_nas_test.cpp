// End-to-end tests of `vpucost nas`, `nas-space` and `nas-export`: the
// winner is a net config `vpucost net` costs at most the limit, progress per
// generation, determinism, one-line errors (unreachable limit, failing or
// hanging evaluator, bad alpha file), the reduced space feeding a search, and
// the PyTorch export read back by Python.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {
namespace {

using test::line_count;
using test::run_cli;
using test::slurp;
using test::TempDir;

const std::string kNets = std::string(VPUCOST_SOURCE_DIR) + "/nets/";

// A short search on the roofline (VPU_2_7) with the proxy.
std::vector<std::string> nas_args(const TempDir& dir, const std::string& limit) {
  return {"nas",
          "--device",
          "VPU_2_7",
          "--latency-ms",
          limit,
          "--population",
          "16",
          "--top-k",
          "5",
          "--generations",
          "3",
          "--mutations",
          "6",
          "--crossovers",
          "6",
          "--out",
          (dir / "best.json").string()};
}

// `vpucost net`'s total for a net config, in `mode` (empty: the default).
double net_ms(const std::string& config, const std::string& mode = "") {
  std::vector<std::string> args{"net", "--device", "VPU_2_7", "--config", config, "--json"};
  if (!mode.empty()) args.insert(args.end(), {"--mode", mode});
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out)["total_ms"].get<double>();
}

// In compute mode a network is exactly the sum of its table entries.
TEST(CliNas, WinnerIsANetConfigThatMeetsTheLimit) {
  TempDir dir;
  const double limit = net_ms(kNets + "mobilenetv2.json", "compute");
  auto args = nas_args(dir, std::to_string(limit));
  args.insert(args.end(),
              {"--mode", "compute", "--pareto", (dir / "front.csv").string(), "--json"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  const double reported = summary["best"]["latency_ms"].get<double>();
  EXPECT_LE(reported, std::stod(std::to_string(limit)));
  EXPECT_NE(summary["evaluator"].get<std::string>().find("proxy"), std::string::npos);
  // What `vpucost net` says about the written file.
  const double costed = net_ms((dir / "best.json").string(), "compute");
  EXPECT_NEAR(costed, reported, 1e-9 * reported);
  EXPECT_EQ(costed, summary["best_net_latency_ms"].get<double>());
  EXPECT_LE(costed, std::stod(std::to_string(limit)));  // exactly, as `net` computes it
  // Progress: one line per generation (0..3) on stderr.
  int generations = 0;
  for (std::size_t at = 0; (at = r.err.find("generation ", at)) != std::string::npos; ++at) {
    ++generations;
  }
  EXPECT_EQ(generations, 4) << r.err;
  // The Pareto CSV: one record per evaluated architecture, a front marked.
  const std::string csv = slurp(dir / "front.csv");
  EXPECT_EQ(line_count(csv), 1 + summary["evaluated"].get<int>());
  EXPECT_NE(csv.find(",1,"), std::string::npos);
}

// In device mode (the default) a network costs more than its table entries
// (its input fetch, output spill, first weight fetch; where each block's
// first fetch hides): the search adds those terms, and the winner written
// is checked as the whole network `vpucost net` costs.
TEST(CliNas, DeviceModeWinnerMeetsTheLimitAsAWholeNetwork) {
  TempDir dir;
  const double limit = net_ms(kNets + "mobilenetv2.json");
  EXPECT_GT(limit, net_ms(kNets + "mobilenetv2.json", "compute"));
  auto args = nas_args(dir, std::to_string(limit));
  args.insert(args.end(), {"--json", "--quiet"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["mode"], "device");
  const double reported = summary["best"]["latency_ms"].get<double>();
  const double costed = net_ms((dir / "best.json").string());
  EXPECT_EQ(costed, summary["best_net_latency_ms"].get<double>());
  EXPECT_LE(costed, std::stod(std::to_string(limit)));
  // The search's latency (entries + the network's terms on the fastest
  // architecture) is within a fraction of a percent of the whole network.
  EXPECT_NEAR(reported / costed, 1.0, 0.005);
  EXPECT_GT(summary["network_terms_ms"].get<double>(), 0.0);
}

TEST(CliNas, LatencyOfANetAndTheTableOutput) {
  TempDir dir;
  auto args = nas_args(dir, "0");
  args[3] = "--latency-of";  // replaces --latency-ms
  args[4] = kNets + "proxylessnas_mobile.json";
  args.push_back("--quiet");
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("rank"), std::string::npos) << r.out;
  EXPECT_LE(net_ms((dir / "best.json").string()),
            net_ms(kNets + "proxylessnas_mobile.json") * (1 + 1e-12));
}

TEST(CliNas, SameSeedSameWinner) {
  TempDir a, b, c;
  for (const TempDir* d : {&a, &b, &c}) {
    auto args = nas_args(*d, "3.0");
    args.insert(args.end(), {"--seed", d == &c ? "8" : "7", "--quiet"});
    ASSERT_EQ(run_cli(args).exit_code, 0);
  }
  EXPECT_EQ(slurp(a / "best.json"), slurp(b / "best.json"));
}

TEST(CliNas, TwoStageSearch) {
  TempDir dir;
  auto args = nas_args(dir, "5.0");
  args.insert(args.end(), {"--two-stage", "8", "--json"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stage 2/2 generation"), std::string::npos) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["two_stage"], 8);
}

TEST(CliNas, UnreachableLimitIsOneLineError) {
  TempDir dir;
  const auto r = run_cli(nas_args(dir, "0.01"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("below the fastest architecture"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "best.json"));
}

TEST(CliNas, FailingEvaluatorIsOneLineError) {
  TempDir dir;
  auto args = nas_args(dir, "3.0");
  args.insert(args.end(), {"--evaluator", "cat >/dev/null; echo 'model file missing' >&2; exit 2"});
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 2) << r.err;  // the header line, then the error
  EXPECT_NE(r.err.find("exited with code 2; stderr: model file missing"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("generation 0"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "best.json"));
}

TEST(CliNas, HangingEvaluatorTimesOut) {
  TempDir dir;
  auto args = nas_args(dir, "3.0");
  args.insert(args.end(), {"--evaluator", "sleep 60", "--evaluator-timeout", "0.3", "--quiet"});
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_cli(args);
  // Not the 60 s of the hang; loose for a busy machine or a sanitizer build.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("timed out after 0.3 s"), std::string::npos) << r.err;
}

TEST(CliNas, ExternalEvaluatorDrivesTheSearch) {
  TempDir dir;
  // Score: the number of 7x7 kernels in the net config (from stdin).
  auto args = nas_args(dir, "4.0");
  args.insert(args.end(), {"--evaluator", "tr -d ' \\n' | grep -o '\"kernel_size\":7' | wc -l",
                           "--json", "--quiet"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  int sevens = 0;
  for (const auto& name : j["best"]["architecture"]) sevens += name.get<std::string>()[1] == '7';
  EXPECT_EQ(j["best"]["score"].get<double>(), double(sevens));
  EXPECT_GT(sevens, 3);
}

TEST(CliNasSpace, ReducedSpaceFeedsASearch) {
  TempDir dir;
  const std::string reduced = (dir / "reduced.json").string();
  const auto r = run_cli(
      {"nas-space", "--device", "VPU_2_7", "--keep", "2", "--explore-last", "4", "--out", reduced});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("position 21"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("kept"), std::string::npos) << r.err;
  auto args = nas_args(dir, "3.0");
  args.insert(args.end(), {"--space", reduced, "--quiet"});
  const auto s = run_cli(args);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto j = run_cli({"nas-space", "--device", "VPU_2_7", "--json", "--quiet"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(nlohmann::json::parse(j.out)["positions"].size(), 22u);
}

// HURRICANE's space on VPU_2_7 with the shipped models: the reduced space
// keeps 4 operators per layer (+1 exploring in the last 4), SE variants only
// as exploring ops (nas/README.md section 2); a table of the reduced space
// is built from its JSON; `nas` refuses the space in one line (no net-config
// form for ShuffleNetV2 blocks).
TEST(CliNasSpace, HurricaneSpaceOnTheVpu) {
  TempDir dir;
  const std::string models = std::string(VPUCOST_SOURCE_DIR) + "/models/";
  const std::vector<std::string> costing{"--model",       models + "vpu_2_7.h5",
                                         "--shave-model", models + "shave_vpu_2_7.h5",
                                         "--dma-model",   models + "dma_vpu_2_7.h5"};
  const std::string reduced = (dir / "reduced.json").string();
  std::vector<std::string> args{"nas-space", "--space", "hurricane", "--explore-last",
                                "4",         "--out",   reduced,     "--json"};
  args.insert(args.end(), costing.begin(), costing.end());
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["positions"].size(), 20u);
  int kept = 0, se_kept = 0, se_exploring = 0;
  for (const auto& p : j["positions"]) {
    for (const auto& c : p["candidates"]) {
      if (!c["kept"].get<bool>()) continue;
      ++kept;
      const bool se = c["candidate"].get<std::string>().ends_with("_se");
      se_kept += se;
      se_exploring += se && c["exploring"].get<bool>();
    }
  }
  EXPECT_EQ(kept, 20 * 4 + 4);
  EXPECT_EQ(se_kept, se_exploring);  // SE variants only where the score is not what keeps them

  std::vector<std::string> lut{
      "lut", "--space", reduced, "--format", "csv", "--out", (dir / "r.csv").string(), "--quiet"};
  lut.insert(lut.end(), costing.begin(), costing.end());
  EXPECT_EQ(run_cli(lut).exit_code, 0);
  EXPECT_EQ(line_count(slurp(dir / "r.csv")), 1 + 1 + 84 + 2);  // header, stem, blocks, head

  std::vector<std::string> nas{
      "nas", "--space", "hurricane", "--latency-ms", "1", "--out", (dir / "best.json").string()};
  nas.insert(nas.end(), costing.begin(), costing.end());
  const auto refused = run_cli(nas);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(line_count(refused.err), 1) << refused.err;
  EXPECT_NE(refused.err.find("cannot hold"), std::string::npos) << refused.err;
}

TEST(CliNasExport, JsonForPyTorchReadByPython) {
  TempDir dir;
  const std::string alphas = (dir / "alphas.json").string();
  nlohmann::json rows = nlohmann::json::array();
  const SearchSpace space = proxyless_space();
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    std::vector<double> row;
    for (std::size_t c = 0; c < space.positions[p].candidates.size(); ++c) {
      row.push_back(0.3 * std::sin(double(3 * p + c)));
    }
    rows.push_back(row);
  }
  std::ofstream(alphas) << nlohmann::json{{"alphas", rows}}.dump();
  const std::string out = (dir / "lut.json").string();
  const auto r = run_cli({"nas-export", "--device", "VPU_2_7", "--alpha", alphas, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(out));
  ASSERT_TRUE(j.contains("expected"));
  if (std::system("python3 -c 'import json, math' > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 not available";
  }
  const std::string check = std::string(VPUCOST_NAS_TEST_DIR) + "/check_lut_json.py";
  const int status =
      std::system(("python3 '" + check + "' '" + out + "' '" + alphas + "'").c_str());
  EXPECT_EQ(status, 0);
}

// In device mode (the default) the export's fixed latency holds the
// network's own terms, so fixed_ms + the chosen entries is the latency of
// the whole network as `vpucost net` costs it (to a fraction of a per cent:
// where each block's first weight fetch hides); compute mode has no such
// term and is exact.
TEST(CliNasExport, FixedLatencyMakesTheSumAWholeNetwork) {
  for (const std::string mode : {"device", "compute"}) {
    // An architecture and its net config: a short search's winner.
    TempDir dir;
    auto args = nas_args(dir, "3.0");
    args.insert(args.end(), {"--mode", mode, "--json", "--quiet"});
    const auto search = run_cli(args);
    ASSERT_EQ(search.exit_code, 0) << search.err;
    const auto indices = nlohmann::json::parse(search.out)["best"]["indices"];
    const auto r =
        run_cli({"nas-export", "--device", "VPU_2_7", "--mode", mode, "--out", "-", "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lut = nlohmann::json::parse(r.out);
    double parts = 0;
    for (const auto& [name, ms] : lut["fixed"].items()) parts += ms.get<double>();
    EXPECT_NEAR(lut["fixed_ms"].get<double>(), parts, 1e-12) << mode;
    EXPECT_EQ(lut["fixed"].contains("network"), mode == "device") << mode;
    double arch_ms = lut["fixed_ms"].get<double>();
    for (std::size_t p = 0; p < indices.size(); ++p) {
      arch_ms += lut["positions"][p]["ms"][indices[p].get<std::size_t>()].get<double>();
    }
    EXPECT_NEAR(arch_ms / net_ms((dir / "best.json").string(), mode), 1.0,
                mode == "device" ? 3e-3 : 1e-9)
        << mode;
  }
}

TEST(CliNasExport, BadAlphaFileIsOneLineError) {
  TempDir dir;
  const std::string alphas = (dir / "alphas.json").string();
  std::ofstream(alphas) << "[[0.1, 0.2]]";
  const auto r = run_cli({"nas-export", "--device", "VPU_2_7", "--alpha", alphas, "--out",
                          (dir / "lut.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(alphas + ": architecture parameters have 1 positions; the space has 22"),
            std::string::npos)
      << r.err;
  std::ofstream(alphas) << "[[0.1, oops]]";
  const auto s = run_cli({"nas-export", "--device", "VPU_2_7", "--alpha", alphas, "--out", "-"});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_NE(s.err.find("not valid JSON"), std::string::npos) << s.err;
}

TEST(CliNas, HelpAndMissingOptions) {
  for (const char* cmd : {"nas", "nas-space", "nas-export"}) {
    const auto r = run_cli({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("usage: vpucost"), std::string::npos);
  }
  TempDir dir;
  EXPECT_EQ(run_cli({"nas", "--device", "VPU_2_7", "--latency-ms", "3"}).exit_code, 1);  // --out
  const auto r = run_cli({"nas", "--device", "VPU_2_7", "--out", (dir / "b.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--latency-ms"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vpucost
