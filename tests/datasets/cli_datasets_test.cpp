// End-to-end tests of `vpucost import`, `split`, `stats` and
// `predict --csv`: exit codes, one-line errors, JSON, files written or not.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "../support/run_cli.hpp"
#include "dataset_test_support.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/recording_csv.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost {
namespace {

using test::line_count;
using test::run_cli;
using test::TempDir;

TEST(CliImport, JsonSummaryReconcilesAndRejectsFileListsEveryBadRow) {
  TempDir dir;
  const auto r =
      run_cli({"import", "--csv", test::test_data("bad_rows.csv").string(), "--out",
               (dir / "d.h5").string(), "--rejects", (dir / "rejects.csv").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows_read"], 21);
  EXPECT_EQ(j["rows_written"], 5);
  EXPECT_EQ(j["rows_rejected"], 16);
  EXPECT_EQ(j["duplicates"], 1);
  EXPECT_EQ(j["rows_read"].get<int>(),
            j["rows_written"].get<int>() + j["rows_rejected"].get<int>());
  EXPECT_EQ(j["first_rejects"][0]["line"], 3);
  EXPECT_EQ(read_dataset_file(dir / "d.h5").size(), 5u);
  EXPECT_EQ(read_dataset_info(dir / "d.h5").source_file, "bad_rows.csv");
  const std::string rejects = test::read_text(dir / "rejects.csv");
  EXPECT_EQ(line_count(rejects), 17);  // header + 16
  EXPECT_NE(
      rejects.find("\n8,\"output width 57 does not follow from input width 56, kernel 3, "
                   "stride 1 and padding 1+1 (expected 56)\",\"VPU_2_7,CONVOLUTION,56,56,64,57"),
      std::string::npos);
  // The human summary names the counts; stderr names the first rejects.
  const auto human = run_cli({"import", "--csv", test::test_data("bad_rows.csv").string(), "--out",
                              (dir / "d2.h5").string()});
  ASSERT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("rows rejected: 16"), std::string::npos) << human.out;
  EXPECT_NE(human.err.find("rejected line 3: row has 20 fields"), std::string::npos) << human.err;
  EXPECT_NE(human.err.find("... and 6 more rejected rows; list them all with --rejects FILE"),
            std::string::npos);
}

TEST(CliImport, UnknownColumnsGiveOneWarning) {
  TempDir dir;
  const auto r = run_cli({"import", "--csv", test::sample("vpu_2_7_mbconv_blocks.csv").string(),
                          "--out", (dir / "m.h5").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t warnings = 0;
  for (std::size_t p = 0; (p = r.err.find("warning:", p)) != std::string::npos; ++p) ++warnings;
  EXPECT_EQ(warnings, 1u) << r.err;
  EXPECT_NE(r.err.find("ignoring 13 unknown columns"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(r.out)["duplicates"], 608);
}

TEST(CliImport, FileLevelErrorsAreOneLineAndLeaveNoOutput) {
  TempDir dir;
  std::string header = test::kHeader();
  header.replace(header.find(",cycles"), 7, "");
  test::write_text(dir / "nocycles.csv", header + "\n");
  const auto missing = run_cli(
      {"import", "--csv", (dir / "nocycles.csv").string(), "--out", (dir / "o.h5").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(line_count(missing.err), 1);
  EXPECT_NE(missing.err.find("missing required column 'cycles'"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5"));

  // The rejects file cannot be written: nothing is written at all.
  const auto no_dir =
      run_cli({"import", "--csv", test::test_data("bad_rows.csv").string(), "--out",
               (dir / "o.h5").string(), "--rejects", (dir / "no/such/dir/r.csv").string()});
  EXPECT_EQ(no_dir.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5"));

  // --strict: any rejected row fails the import; the rejects are still listed.
  const auto strict =
      run_cli({"import", "--csv", test::test_data("bad_rows.csv").string(), "--out",
               (dir / "o.h5").string(), "--rejects", (dir / "r.csv").string(), "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("16 of 21 rows"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5"));
  EXPECT_TRUE(std::filesystem::exists(dir / "r.csv"));

  const auto same =
      run_cli({"import", "--csv", (dir / "r.csv").string(), "--out", (dir / "r.csv").string()});
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_NE(same.err.find("--csv and --out name the same file"), std::string::npos) << same.err;

  const auto usage = run_cli({"import", "--csv", "x.csv"});
  EXPECT_EQ(usage.exit_code, 2);
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
}

TEST(CliImport, InterruptedImportLeavesNoFileBehind) {
  TempDir dir;
  // The CSV comes through a named pipe: the import is held waiting for rows
  // while the signal is sent, then gets rows until it stops reading (it
  // checks every 16,384 rows). A fixed delay before the signal instead made
  // the test depend on the machine's speed (finished, or not yet started).
  const auto csv = dir / "big.csv";
  ASSERT_EQ(::mkfifo(csv.c_str(), 0600), 0) << std::strerror(errno);
  test::CliProcess import({"import", "--csv", csv.string(), "--out", (dir / "big.h5").string(),
                           "--rejects", (dir / "rejects.csv").string()});
  // Opening our end without blocking succeeds only once the import has the
  // pipe open for reading: its interrupt handler is installed by then.
  int writer = -1;
  ASSERT_TRUE(test::wait_for([&] {
    writer = ::open(csv.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    return writer >= 0 || !import.running();
  })) << import.err();
  ASSERT_GE(writer, 0) << "the import ended without reading: " << import.err();
  if (import.running()) import.signal(SIGINT);
  // 450,000 rows at most. Blocking writes; SIGPIPE ignored meanwhile, so
  // that once the import has stopped reading a write fails with EPIPE
  // instead of ending the test.
  ::fcntl(writer, F_SETFL, 0);
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  const std::string sample = test::read_text(test::sample("vpu_2_7_train.csv"));
  const std::string_view body = std::string_view(sample).substr(sample.find('\n') + 1);
  const auto write_all = [&](std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(writer, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  };
  bool reading = write_all(sample);
  for (int i = 1; i < 225 && reading; ++i) reading = write_all(body);
  ::close(writer);
  ::sigaction(SIGPIPE, &previous, nullptr);

  EXPECT_EQ(import.wait(), 1) << import.err();
  EXPECT_NE(import.err().find("interrupted; no dataset written"), std::string::npos)
      << import.err();
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    files.insert(e.path().filename().string());
  }
  EXPECT_EQ(files, (std::set<std::string>{"big.csv"}));
}

TEST(CliSplitStats, SplitWritesBothSidesAndStatsDescribesThem) {
  TempDir dir;
  ASSERT_EQ(run_cli({"import", "--csv", test::sample("vpu_2_7_train.csv").string(), "--out",
                     (dir / "d.h5").string()})
                .exit_code,
            0);
  const auto s = run_cli({"split", "--data", (dir / "d.h5").string(), "--train",
                          (dir / "t.h5").string(), "--test", (dir / "v.h5").string(),
                          "--test-fraction", "0.2", "--seed", "1", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j["train_rows"], 1600);
  EXPECT_EQ(j["test_rows"], 400);
  EXPECT_EQ(read_dataset_file(dir / "t.h5").size(), 1600u);
  EXPECT_NE(read_dataset_info(dir / "v.h5").source_file.find("test side of split, seed 1"),
            std::string::npos);
  // Same command, same result.
  const auto again =
      run_cli({"split", "--data", (dir / "d.h5").string(), "--train", (dir / "t2.h5").string(),
               "--test", (dir / "v2.h5").string(), "--seed", "1"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(read_dataset_file(dir / "v2.h5").cycles()[17],
            read_dataset_file(dir / "v.h5").cycles()[17]);

  const auto bad =
      run_cli({"split", "--data", (dir / "d.h5").string(), "--train", (dir / "t3.h5").string(),
               "--test", (dir / "v3.h5").string(), "--test-fraction", "1.5"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "t3.h5"));

  const auto stats = run_cli({"stats", (dir / "v.h5").string(), "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  const auto st = nlohmann::json::parse(stats.out);
  EXPECT_EQ(st["rows"], 400);
  EXPECT_EQ(st["devices"]["VPU_2_7"], 400);
  EXPECT_GT(st["cycles"]["p50"].get<double>(), st["cycles"]["p05"].get<double>());
  EXPECT_TRUE(st["ranges"].contains("input_width"));
  const auto human = run_cli({"stats", (dir / "d.h5").string()});
  ASSERT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("rows per device and operation"), std::string::npos);
  EXPECT_NE(human.out.find("VPU_2_7"), std::string::npos);
  const auto csv_stats = run_cli({"stats", test::test_data("bad_rows.csv").string(), "--json"});
  ASSERT_EQ(csv_stats.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(csv_stats.out)["rows"], 5);
  EXPECT_NE(csv_stats.err.find("16 of 21 rows rejected"), std::string::npos) << csv_stats.err;
  EXPECT_EQ(run_cli({"stats", (dir / "missing.h5").string()}).exit_code, 1);
}

TEST(CliPredictCsv, EveryValidRowIsPredictedAndEveryInvalidOneNamed) {
  TempDir dir;
  const ModelParts parts = test::random_model(Device::VPU_2_7);
  save_model(parts, dir / "m.h5");
  const auto r = run_cli({"predict", "--model", (dir / "m.h5").string(), "--csv",
                          test::test_data("bad_rows.csv").string(), "--out",
                          (dir / "p.csv").string(), "--rejects", (dir / "r.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Cycles are not needed for prediction: rows whose only fault is in cycles
  // (lines 9, 10, 11, 14, 15, 22) are predicted; the VPU_2_0 and VPU_4_0 rows
  // are named as not the model's device.
  const CostModel model(parts);
  CsvReader out(dir / "p.csv");
  CsvLine line;
  ASSERT_TRUE(out.next(line));
  EXPECT_EQ(line.fields.back(), "predicted_cycles");
  EXPECT_EQ(line.fields.size(), 22u);
  std::size_t rows = 0;
  while (out.next(line)) {
    ++rows;
    Workload w;
    w.device = parse<Device>(line.fields[0]);
    ASSERT_EQ(w.device, Device::VPU_2_7) << line.text;
    const double predicted = std::stod(std::string(line.fields.back()));
    EXPECT_GT(predicted, 0.0);
  }
  EXPECT_EQ(rows, 9u);  // lines 2, 9, 10, 11, 13, 14, 15, 20, 22
  const std::string rejects = test::read_text(dir / "r.csv");
  EXPECT_NE(rejects.find("\n21,\"device VPU_2_0, but the model is for VPU_2_7\""),
            std::string::npos)
      << rejects;
  EXPECT_NE(rejects.find("\n7,\"column operation: 'CONV2D'"), std::string::npos);
  EXPECT_NE(r.err.find("predicted 9 of 21 rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rejected line 3: row has 20 fields"), std::string::npos);

  // The prediction of a row equals the library's.
  const auto one = run_cli({"predict", "--model", (dir / "m.h5").string(), "--csv",
                            test::sample("vpu_2_7_test.csv").string(), "--json", "--out",
                            (dir / "q.csv").string()});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["rows_predicted"], 1000);
  const DatasetColumns sample = read_dataset_file([&] {
    const auto h5 = dir / "s.h5";
    EXPECT_EQ(run_cli({"import", "--csv", test::sample("vpu_2_7_test.csv").string(), "--out",
                       h5.string()})
                  .exit_code,
              0);
    return h5;
  }());
  CsvReader q(dir / "q.csv");
  ASSERT_TRUE(q.next(line));
  for (std::size_t i = 0; i < 1000; ++i) {
    ASSERT_TRUE(q.next(line));
    // Batched and single queries round differently in float32.
    const double expected = model.predict_cycles(sample.workload(i));
    EXPECT_NEAR(std::stod(std::string(line.fields.back())), expected, 1e-5 * expected)
        << "row " << i;
  }
}

// v2 rows through a model of feature encoding 2: the rows at their defaults
// are predicted, each row with a field the model never saw is named.
TEST(CliPredictCsv, AnEncoding2ModelNamesEveryRowWithAFieldItNeverSaw) {
  TempDir dir;
  const auto r = run_cli({"predict", "--model",
                          VPUCOST_SOURCE_DIR "/tests/costmodel/data/encoding2/vpu_2_7.h5", "--csv",
                          test::sample("v2/vpu_2_7_test.csv").string(), "--out",
                          (dir / "p.csv").string(), "--rejects", (dir / "r.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ImportResult all = import_csv(test::sample("v2/vpu_2_7_test.csv"));
  std::size_t defaults = 0;
  for (std::size_t i = 0; i < all.columns.size(); ++i) {
    defaults += has_default_compiler_fields(all.columns.workload(i));
  }
  ASSERT_GT(defaults, 100u);
  EXPECT_EQ(line_count(test::read_text(dir / "p.csv")), defaults + 1);
  const std::string rejects = test::read_text(dir / "r.csv");
  EXPECT_EQ(line_count(rejects), 1000 - defaults + 1);
  EXPECT_NE(rejects.find("this model (feature encoding version 2) cannot cost a workload with "),
            std::string::npos)
      << rejects.substr(0, 400);
}

TEST(CliPredictCsv, RooflineToStdoutAndStrictMode) {
  TempDir dir;
  const auto r = run_cli({"predict", "--csv", test::sample("vpu_4_0_test.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(line_count(r.out), 1001);
  EXPECT_NE(r.err.find("(roofline)"), std::string::npos);
  const auto strict = run_cli({"predict", "--csv", test::test_data("bad_rows.csv").string(),
                               "--out", (dir / "p.csv").string(), "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("are invalid (--strict)"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "p.csv"));
  const auto no_file = run_cli({"predict", "--csv", (dir / "none.csv").string()});
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_EQ(line_count(no_file.err), 1);
}

}  // namespace
}  // namespace vpucost
