// `vpucost advise`: every rule measured, and its figures equal what `lut`
// gives for the same blocks (ProxylessNAS and once-for-all MobileNetV3
// table entries), in the mode the rule is measured in.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kAdviseModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

std::vector<std::string> with_vpu_4_0(std::vector<std::string> args, bool shave = true) {
  args.insert(args.end(), {"--model", kAdviseModels + "vpu_4_0.h5", "--dma-model",
                           kAdviseModels + "dma_vpu_4_0.h5"});
  if (shave) args.insert(args.end(), {"--shave-model", kAdviseModels + "shave_vpu_4_0.h5"});
  return args;
}

// key -> cycles of a `lut --format csv` table.
std::map<std::string, double> lut_cycles(const std::string& space, const std::string& mode) {
  test::TempDir dir;
  const auto r = run_cli(with_vpu_4_0({"lut", "--space", space, "--mode", mode, "--format", "csv",
                                       "--quiet", "--out", (dir / "t.csv").string()}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, double> out;
  std::istringstream in(test::slurp(dir / "t.csv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream row(line);
    for (std::string f; fields.size() < 12 && std::getline(row, f, ',');) fields.push_back(f);
    out[fields[6]] = std::stod(fields[11]);
  }
  return out;
}

const nlohmann::json& rule(const nlohmann::json& j, const std::string& id) {
  for (const auto& r : j["rules"]) {
    if (r["id"] == id) return r;
  }
  throw std::runtime_error("no rule " + id);
}

TEST(CliAdvise, FiguresEqualTheTablesOfTheSameBlocks) {
  const auto r = run_cli(with_vpu_4_0({"advise", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rules"].size(), 5u);
  for (const auto& rl : j["rules"]) {
    EXPECT_TRUE(rl["measured"].get<bool>()) << rl["id"];
    for (const auto& m : rl["measurements"]) {
      EXPECT_NEAR(m["ratio"].get<double>(),
                  m["a_cycles"].get<double>() / m["b_cycles"].get<double>(), 1e-12);
    }
  }
  // large_kernel (ddr mode): ProxylessNAS's 7x7x192 expand-6 entries.
  const auto proxyless = lut_cycles("proxyless", "ddr");
  const auto& k7 = rule(j, "large_kernel")["measurements"][4];
  ASSERT_EQ(k7["where"], "7x7x192");
  const std::string key = k7["a"]["key"];
  ASSERT_TRUE(proxyless.count(key)) << key;
  EXPECT_NEAR(k7["a_cycles"].get<double>(), proxyless.at(key), 1e-9 * proxyless.at(key));
  const std::string k3 = k7["b"]["key"];
  EXPECT_NEAR(k7["b_cycles"].get<double>(), proxyless.at(k3), 1e-9 * proxyless.at(k3));
  EXPECT_TRUE(rule(j, "large_kernel")["holds"].get<bool>());  // 1.20x on 7x7 (issue #16)

  // SE and h-swish (compute mode): once-for-all MobileNetV3 entries.
  const auto ofa = lut_cycles("ofa-mbv3", "compute");
  for (const auto& [id, index] : {std::pair{"se_block", 1}, std::pair{"shave_activation", 2}}) {
    const auto& m = rule(j, id)["measurements"][index];
    const std::string k = m["a"]["key"];
    ASSERT_TRUE(ofa.count(k)) << id << " " << k;
    EXPECT_NEAR(m["a_cycles"].get<double>(), ofa.at(k), 1e-9 * ofa.at(k)) << id;
    EXPECT_GT(m["ratio"].get<double>(), 1.0) << id;
  }
}

TEST(CliAdvise, MarkdownAndWhatIsNotMeasuredWithoutAShaveModel) {
  const auto md = run_cli(with_vpu_4_0({"advise"}));
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("# Design rules on VPU_4_0"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("**separable_stream**"), std::string::npos);

  const auto no_shave = run_cli(with_vpu_4_0({"advise", "--json"}, false));
  ASSERT_EQ(no_shave.exit_code, 0) << no_shave.err;
  const auto j = nlohmann::json::parse(no_shave.out);
  EXPECT_FALSE(rule(j, "se_block")["measured"].get<bool>());
  EXPECT_NE(rule(j, "se_block")["verdict"].get<std::string>().find("--shave-model"),
            std::string::npos);
  EXPECT_TRUE(rule(j, "large_kernel")["measured"].get<bool>());

  const auto mode = run_cli(with_vpu_4_0({"advise", "--mode", "ddr"}));
  EXPECT_EQ(mode.exit_code, 1);
  EXPECT_EQ(test::line_count(mode.err), 1) << mode.err;
}

}  // namespace
}  // namespace vpucost
