// `vpucost select` end to end: the selected rows are the pool's own lines,
// the pool's labels cannot change the selection (they are never read), the
// target's workloads come first, and bad options are one line each.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"

namespace vpucost {
namespace {

using test::run_cli;
using test::TempDir;

const std::string kSelectSamples = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/v2/";
const std::string kSelectModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

std::vector<std::string> select_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The pool with its cycles column replaced: `text` in every row, or the
// column removed when `text` is empty.
std::filesystem::path relabelled(const TempDir& dir, const std::string& name,
                                 const std::string& text) {
  const auto lines = select_lines(kSelectSamples + "npu_5_0_train.csv");
  const auto path = dir / name;
  std::ofstream out(path);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    const std::string head = l.substr(0, l.rfind(','));
    out << (text.empty() ? head : head + "," + (i == 0 ? "cycles" : text)) << "\n";
  }
  return path;
}

std::vector<std::string> select_args(const std::filesystem::path& pool,
                                     const std::filesystem::path& out) {
  return {"select", "--models",    kSelectModels + "vpu_4_0.h5," + kSelectModels + "vpu_2_7.h5",
          "--pool", pool.string(), "--budget",
          "120",    "--seed",      "3",
          "--out",  out.string(),  "--quiet"};
}

TEST(CliSelect, WritesPoolLinesAndTheLabelsCannotChangeTheChoice) {
  TempDir dir;
  const auto with_labels = dir / "a.csv";
  auto r = run_cli(select_args(kSelectSamples + "npu_5_0_train.csv", with_labels));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto chosen = select_lines(with_labels);
  ASSERT_EQ(chosen.size(), 121u);
  const auto pool = select_lines(kSelectSamples + "npu_5_0_train.csv");
  EXPECT_EQ(chosen[0], pool[0]);
  for (std::size_t i = 1; i < chosen.size(); ++i) {
    EXPECT_NE(std::find(pool.begin() + 1, pool.end(), chosen[i]), pool.end()) << chosen[i];
  }
  // Scrambled labels (text a reader of cycles would refuse) and no labels:
  // the same rows, in the same order.
  for (const std::string label : {"banana", "-1", ""}) {
    const auto pool2 = relabelled(dir, "pool_" + label + ".csv", label);
    const auto out2 = dir / ("b_" + label + ".csv");
    r = run_cli(select_args(pool2, out2));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto again = select_lines(out2);
    ASSERT_EQ(again.size(), chosen.size());
    for (std::size_t i = 1; i < again.size(); ++i) {
      EXPECT_EQ(again[i].substr(0, again[i].rfind(label.empty() ? '\n' : ',')),
                chosen[i].substr(0, chosen[i].rfind(',')))
          << "label '" << label << "' row " << i;
    }
  }
}

TEST(CliSelect, TargetRowsFirstAndAReport) {
  TempDir dir;
  const auto pool = select_lines(kSelectSamples + "npu_5_0_train.csv");
  const auto target = dir / "target.csv";
  std::ofstream(target) << pool[0] << "\n" << pool[300] << "\n" << pool[9] << "\n";
  const auto out = dir / "out.csv";
  const auto report = dir / "report.csv";
  auto args = select_args(kSelectSamples + "npu_5_0_train.csv", out);
  for (const std::string& a :
       {std::string("--target"), target.string(), std::string("--report"), report.string()}) {
    args.push_back(a);
  }
  const auto r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto chosen = select_lines(out);
  EXPECT_EQ(chosen[1], pool[300]);
  EXPECT_EQ(chosen[2], pool[9]);
  const auto rep = select_lines(report);
  ASSERT_EQ(rep.size(), 121u);
  EXPECT_EQ(rep[0], "pool_line,reason,uncertainty,distance");
  EXPECT_EQ(rep[1].substr(0, rep[1].find(',', 4)), "301,target");
  EXPECT_EQ(rep[3].substr(rep[3].find(',') + 1, 11), "informative");
}

TEST(CliSelect, BadOptionsAreOneLine) {
  TempDir dir;
  const auto out = dir / "o.csv";
  auto args = select_args(kSelectSamples + "npu_5_0_train.csv", out);
  args[6] = "0";  // --budget 0
  auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--budget must be at least 1"), std::string::npos) << r.err;
  args[6] = "10";
  args.push_back("--strategy");
  args.push_back("smart");
  r = run_cli(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown selection strategy 'smart'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace vpucost
