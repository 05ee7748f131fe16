// VPUCOST_CPU (cpu_kernels.hpp) from the command line: it forces the kernels'
// path, every path this CPU runs predicts and trains as the widest does to
// float rounding, and a value naming no path is one line and exit 1.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "vpucost/cpu_kernels.hpp"

namespace vpucost {
namespace {

using test::run_cli;

/// Sets an environment variable (VPUCOST_CPU by default) for the programs
/// this test starts; restores it after.
class ScopedEnv {
 public:
  explicit ScopedEnv(const std::string& value, std::string name = "VPUCOST_CPU")
      : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

std::vector<std::string> runnable_paths() {
  std::vector<std::string> names;
  for (CpuPath p : all_cpu_paths()) {
    if (cpu_supports(p)) names.emplace_back(to_string(p));
  }
  return names;
}

// The predicted_cycles column (the last) of `predict --csv` output.
std::vector<double> predicted_cycles(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.substr(line.rfind(',') + 1), "predicted_cycles");
  std::vector<double> cycles;
  while (std::getline(in, line)) cycles.push_back(std::stod(line.substr(line.rfind(',') + 1)));
  return cycles;
}

TEST(CliCpuPath, VersionNamesThePathAndVpucostCpuForcesIt) {
  auto r = run_cli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string widest(to_string(widest_cpu_path()));
  EXPECT_NE(r.out.find("cpu path: " + widest + " (widest this CPU has: " + widest + ")"),
            std::string::npos)
      << r.out;
  for (const std::string& path : runnable_paths()) {
    const ScopedEnv forced(path);
    r = run_cli({"--version"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("cpu path: " + path + " "), std::string::npos) << r.out;
  }
  const ScopedEnv automatic("auto");
  r = run_cli({"--version"});
  EXPECT_NE(r.out.find("cpu path: " + widest + " "), std::string::npos) << r.out;
}

TEST(CliCpuPath, AValueNamingNoPathIsOneLineAndExit1) {
  const ScopedEnv forced("avx1024");
  const auto r = run_cli({"predict", "--model", VPUCOST_SOURCE_DIR "/models/vpu_4_0.h5", "--csv",
                          VPUCOST_SAMPLES "/v2/vpu_4_0_test.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "vpucost predict: error: VPUCOST_CPU: unknown CPU path 'avx1024' (expected generic, "
            "avx2, avx512 or auto)\n");
}

// VPUCOST_WEIGHTS=bf16 (mlp.hpp): the version line says so, predictions move
// by little; another value is one line and exit 1.
TEST(CliCpuPath, VpucostWeightsChoosesTheHiddenLayersPrecision) {
  const std::vector<std::string> args{"predict", "--model", VPUCOST_SOURCE_DIR "/models/vpu_4_0.h5",
                                      "--csv", VPUCOST_SAMPLES "/v2/vpu_4_0_test.csv"};
  auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<double> fp32 = predicted_cycles(r.out);
  EXPECT_NE(run_cli({"--version"}).out.find("hidden-layer weights: fp32\n"), std::string::npos);
  {
    const ScopedEnv bf16("bf16", "VPUCOST_WEIGHTS");
    EXPECT_NE(run_cli({"--version"}).out.find("hidden-layer weights: bf16\n"), std::string::npos);
    r = run_cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<double> rounded = predicted_cycles(r.out);
    ASSERT_EQ(rounded.size(), fp32.size());
    double mean = 0;
    for (std::size_t i = 0; i < fp32.size(); ++i) mean += std::abs(rounded[i] / fp32[i] - 1.0);
    mean /= static_cast<double>(fp32.size());
    EXPECT_GT(mean, 1e-6);
    EXPECT_LT(mean, 2e-3);
  }
  const ScopedEnv bad("fp16", "VPUCOST_WEIGHTS");
  r = run_cli(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "vpucost predict: error: VPUCOST_WEIGHTS: unknown weight precision 'fp16' (expected "
            "fp32 or bf16)\n");
}

// The bundled v2 test sample of each device through its shipped model.
TEST(CliCpuPath, EveryPathPredictsTheBundledTestSamplesAsTheDefaultDoes) {
  for (const std::string stem : {"vpu_2_0", "vpu_2_7", "vpu_4_0", "npu_5_0"}) {
    const std::vector<std::string> args{"predict", "--model",
                                        VPUCOST_SOURCE_DIR "/models/" + stem + ".h5", "--csv",
                                        VPUCOST_SAMPLES "/v2/" + stem + "_test.csv"};
    const auto base = run_cli(args);
    ASSERT_EQ(base.exit_code, 0) << base.err;
    const std::vector<double> want = predicted_cycles(base.out);
    ASSERT_EQ(want.size(), 1000u) << stem;
    for (const std::string& path : runnable_paths()) {
      const ScopedEnv forced(path);
      const auto r = run_cli(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const std::vector<double> got = predicted_cycles(r.out);
      ASSERT_EQ(got.size(), want.size());
      double worst = 0;
      for (std::size_t i = 0; i < got.size(); ++i) {
        worst = std::max(worst, std::abs(got[i] / want[i] - 1.0));
      }
      EXPECT_LE(worst, 2e-5) << stem << " on " << path;
    }
  }
}

// Training runs the same kernels: a short run on each path ends where the
// widest path's does, to the rounding that 40 epochs accumulate.
TEST(CliCpuPath, EveryPathTrainsTheSameModel) {
  test::TempDir dir;
  std::optional<double> first_mape;
  for (const std::string& path : runnable_paths()) {
    const ScopedEnv forced(path);
    const std::string model = (dir / (path + ".h5")).string();
    auto r = run_cli({"train", "--data", VPUCOST_SAMPLES "/v2/vpu_4_0_train.csv", "--out", model,
                      "--hidden", "32,16", "--epochs", "40", "--seed", "3", "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << path << ": " << r.err;
    r = run_cli(
        {"eval", "--model", model, "--data", VPUCOST_SAMPLES "/v2/vpu_4_0_test.csv", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const double mape = nlohmann::json::parse(r.out)["mape"].get<double>();
    EXPECT_LT(mape, 1.0) << path;
    if (!first_mape) first_mape = mape;
    EXPECT_NEAR(mape, *first_mape, 1e-3 * *first_mape) << path;
  }
}

}  // namespace
}  // namespace vpucost
