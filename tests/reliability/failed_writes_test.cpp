// Writes that fail: every output of every command, with the file size
// limited to 1 KiB (RLIMIT_FSIZE via `ulimit -f 1`, which makes write() fail
// with EFBIG as a full disk makes it fail with ENOSPC), standard output that
// cannot be written, and a real full disk (a 8 KiB tmpfs in a private mount
// namespace, where the system allows it). Each must end with exit code 1,
// one clear line, the previous file intact and nothing else written.
#include <unistd.h>

#include <string>
#include <vector>

#include "bad_input_files.hpp"
#include "cli_cases.hpp"

namespace vpucost {
namespace {

using test::run_in;
using test::TempDir;

const std::string kOld = "previous content\n";

class FailedWrite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto& d = dir_->path();
    test::write_text(d / "data.csv", test::sample_rows("vpu_2_7_train.csv", 2000));
    ASSERT_EQ(run_in(d, "import --csv data.csv --out data.h5").exit_code, 0);
    save_model(test::random_model(Device::VPU_2_7), d / "model.h5");
    std::filesystem::create_directory(d / "luts");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Runs `args` with writes limited to 1 KiB; `outputs` (relative names)
  // hold kOld before and must hold it after.
  void expect_refused(const std::string& args, const std::vector<std::string>& outputs,
                      const std::string& expected = "File too large",
                      const std::string& prefix = "ulimit -f 1;") {
    const auto& d = dir_->path();
    for (const auto& o : outputs) test::write_text(d / o, kOld);
    const auto before = test::files_except(d, {});
    const test::CliResult r = run_in(d, args, prefix);
    EXPECT_TRUE(test::clean_error(r, args, expected));
    for (const auto& o : outputs) EXPECT_EQ(test::slurp(d / o), kOld) << o << " after " << args;
    EXPECT_EQ(test::files_except(d, before), std::vector<std::string>{}) << args;
  }

  static TempDir* dir_;
};
TempDir* FailedWrite::dir_ = nullptr;

TEST_F(FailedWrite, Import) {
  expect_refused("import --csv data.csv --out old.h5", {"old.h5"});
}

TEST_F(FailedWrite, ImportRejects) {
  // The dataset fits in no file either: neither is written.
  expect_refused("import --csv data.csv --out old.h5 --rejects old.csv", {"old.h5", "old.csv"});
}

TEST_F(FailedWrite, Split) {
  expect_refused("split --data data.h5 --train old.h5 --test old2.h5", {"old.h5", "old2.h5"});
}

TEST_F(FailedWrite, TrainModel) {
  expect_refused("train --data data.h5 --out old.h5 --epochs 1 --hidden 32 --quiet", {"old.h5"});
}

TEST_F(FailedWrite, TrainCheckpoint) {
  expect_refused(
      "train --data data.h5 --out old.h5 --epochs 2 --hidden 32 --quiet --checkpoint old_ck.h5",
      {"old.h5", "old_ck.h5"});
}

TEST_F(FailedWrite, PredictCsv) {
  expect_refused("predict --csv data.csv --out old.csv", {"old.csv"});
}

TEST_F(FailedWrite, Features) {
  expect_refused("features --data data.h5 --out old.csv", {"old.csv"});
}

TEST_F(FailedWrite, LutYaml) {
  expect_refused("lut --device VPU_2_7 --out old.yaml --quiet", {"old.yaml"});
}

TEST_F(FailedWrite, LutCsvAndJson) {
  expect_refused("lut --device VPU_2_7 --format csv --out old.csv --quiet", {"old.csv"});
  expect_refused("lut --device VPU_2_7 --format json --out old.json --quiet", {"old.json"});
}

TEST_F(FailedWrite, LutSeveralResolutions) {
  expect_refused("lut --device VPU_2_7 --resolution 160,224 --out luts --quiet",
                 {"luts/160_lookup_table.yaml", "luts/224_lookup_table.yaml"});
}

TEST_F(FailedWrite, LutSaveSpace) {
  expect_refused("lut --space proxyless --save-space old.json --quiet", {"old.json"});
}

TEST_F(FailedWrite, NasSpace) {
  expect_refused("nas-space --device VPU_2_7 --out old.json --quiet", {"old.json"});
}

TEST_F(FailedWrite, NasExport) {
  expect_refused("nas-export --device VPU_2_7 --out old.json --quiet", {"old.json"});
}

TEST_F(FailedWrite, NasBestArchitecture) {
  expect_refused(
      "nas --device VPU_2_7 --latency-ms 5 --population 6 --top-k 3 --generations 1 "
      "--mutations 2 --crossovers 2 --out old.json --quiet",
      {"old.json"});
}

TEST_F(FailedWrite, EvalPlot) {
  if (std::system("command -v gnuplot > /dev/null") != 0) GTEST_SKIP() << "no gnuplot";
  // The plot's data file (a temporary) is the first to hit the limit.
  expect_refused("eval --model model.h5 --data data.h5 --plot old.png", {"old.png"},
                 "cannot write temporary file");
}

// Standard output that cannot be written (here: beyond the file size
// limit; /dev/full too where it exists): the error is reported, not lost.
TEST_F(FailedWrite, StandardOutputThatCannotBeWritten) {
  const auto& d = dir_->path();
  const bool dev_full = std::filesystem::is_character_file("/dev/full");
  for (const std::string command :
       {"predict --csv data.csv", "stats data.h5 --json",
        "nas-export --device VPU_2_7 --out - --quiet", "lut --device VPU_2_7 --report --quiet",
        "eval --model model.h5 --data data.h5"}) {
    const std::string args = command + " > stdout.txt";
    const test::CliResult r = run_in(d, args, "ulimit -f 1;");
    EXPECT_TRUE(test::clean_error(r, args, "cannot write to standard output: File too large"));
    std::filesystem::remove(d / "stdout.txt");
    if (dev_full) {
      const test::CliResult full = run_in(d, command + " > /dev/full");
      EXPECT_TRUE(test::clean_error(full, command, "cannot write to standard output: No space"));
    }
  }
}

// A real full disk: an 8 KiB tmpfs mounted in a private mount namespace
// (needs the right to mount; skipped where the system does not allow it).
TEST_F(FailedWrite, FullDisk) {
  if (std::system("unshare -m sh -c 'mount -t tmpfs -o size=8k tmpfs /mnt' 2>/dev/null") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN)";
  }
  const auto& d = dir_->path();
  std::filesystem::create_directory(d / "full");
  // Inside the namespace: mount, put the old file there, run, report.
  const std::string script =
      "unshare -m sh -c 'mount -t tmpfs -o size=8k tmpfs full && printf \"previous content\\n\" > "
      "full/old.h5 && " +
      test::shell_quote(VPUCOST_EXE) +
      " import --csv data.csv --out full/old.h5 2> full.err; echo $? > full.code; cat full/old.h5 "
      "> full.old; ls -A full > full.ls'";
  ASSERT_EQ(std::system(("cd " + test::shell_quote(d.string()) + " && " + script).c_str()), 0);
  test::CliResult r;
  r.exit_code = std::stoi(test::slurp(d / "full.code"));
  r.err = test::slurp(d / "full.err");
  EXPECT_TRUE(test::clean_error(r, "import", "No space left on device"));
  EXPECT_EQ(test::slurp(d / "full.old"), kOld);
  EXPECT_EQ(test::slurp(d / "full.ls"), "old.h5\n");
  for (const char* f : {"full.code", "full.err", "full.old", "full.ls"})
    std::filesystem::remove(d / f);
  std::filesystem::remove(d / "full");
}

}  // namespace
}  // namespace vpucost
