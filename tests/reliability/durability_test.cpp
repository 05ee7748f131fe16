// Durability: a writer killed with SIGKILL in the middle of writing (its
// temporary file exists, the rename has not happened) leaves the previous
// file byte for byte as it was, and loadable. SIGKILL cannot be caught, so
// the temporary file stays; it must be a hidden dot-file next to the target
// (".<name>.tmp-<random>") that never replaces it. Also: `vpucost train`
// killed mid-run keeps the previous model, which loads.
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "bad_input_files.hpp"
#include "cli_cases.hpp"
#include "vpucost/checkpoint.hpp"

namespace vpucost {
namespace {

using test::run_in;
using test::TempDir;
namespace fs = std::filesystem;

// Hidden temporaries of `target` in its folder.
std::vector<fs::path> temporaries_of(const fs::path& target) {
  std::vector<fs::path> out;
  const std::string prefix = "." + target.filename().string() + ".tmp-";
  for (const auto& e : fs::directory_iterator(target.parent_path())) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  }
  return out;
}

// Runs the writer and SIGKILLs it as soon as a temporary file of one of
// `targets` exists (it is then writing). Returns false if the writer ended
// before one appeared. Polled often: a temporary file may exist only briefly.
bool kill_while_writing(const std::vector<std::string>& args,
                        const std::vector<fs::path>& targets) {
  test::CliProcess writer(args);
  bool writing = false;
  test::wait_for(
      [&] {
        for (const auto& t : targets) writing = writing || !temporaries_of(t).empty();
        return writing || !writer.running();
      },
      test::kEventDeadline, std::chrono::microseconds(200));
  if (!writing) return false;
  writer.signal(SIGKILL);  // unreaped even if it has just ended: the pid is still its own
  writer.wait();
  return writer.signalled();
}

// Rows of the bundled sample, repeated to `rows` data rows.
std::string big_csv(int rows) {
  const std::string sample = test::sample_rows("vpu_2_7_train.csv", 2000);
  const auto header_end = sample.find('\n') + 1;
  const std::string body = sample.substr(header_end);
  std::string text = sample.substr(0, header_end);
  text.reserve(body.size() * static_cast<std::size_t>(rows / 2000 + 1));
  for (int done = 0; done < rows; done += 2000) text += body;
  return text;
}

void expect_only_hidden_temporaries(const fs::path& target) {
  for (const auto& t : temporaries_of(target)) {
    EXPECT_EQ(t.filename().string()[0], '.') << t;
    fs::remove(t);
  }
}

constexpr int kAttempts = 5;

TEST(Durability, ImportKilledWhileWritingKeepsThePreviousDataset) {
  TempDir dir;
  test::write_text(dir / "small.csv", test::sample_rows("vpu_2_7_train.csv", 50));
  ASSERT_EQ(run_in(dir.path(), "import --csv small.csv --out data.h5").exit_code, 0);
  const std::string old = test::slurp(dir / "data.h5");
  test::write_text(dir / "big.csv", big_csv(300'000));
  int killed = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    killed += kill_while_writing(
        {"import", "--csv", (dir / "big.csv").string(), "--out", (dir / "data.h5").string()},
        {dir / "data.h5"});
    ASSERT_EQ(test::slurp(dir / "data.h5"), old) << "attempt " << attempt;
    expect_only_hidden_temporaries(dir / "data.h5");
  }
  EXPECT_GT(killed, 0) << "the import never got killed while writing";
  const test::CliResult stats = run_in(dir.path(), "stats data.h5 --json");
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("\"rows\": 50"), std::string::npos) << stats.out;
}

TEST(Durability, PredictCsvKilledWhileWritingKeepsThePreviousPredictions) {
  TempDir dir;
  test::write_text(dir / "big.csv", big_csv(200'000));
  test::write_text(dir / "pred.csv", "previous predictions\n");
  int killed = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    killed += kill_while_writing(
        {"predict", "--csv", (dir / "big.csv").string(), "--out", (dir / "pred.csv").string()},
        {dir / "pred.csv"});
    ASSERT_EQ(test::slurp(dir / "pred.csv"), "previous predictions\n");
    expect_only_hidden_temporaries(dir / "pred.csv");
  }
  EXPECT_GT(killed, 0) << "predict never got killed while writing";
}

// Several resolutions: one file each. Whatever the moment of the kill, each
// file is either the previous one or the complete new one.
TEST(Durability, LutKilledWhileWritingLeavesOldOrCompleteFiles) {
  TempDir dir;
  fs::create_directory(dir / "ref");
  fs::create_directory(dir / "luts");
  const std::string resolutions = "128,144,160,176,192,208,224,240,256";
  const test::CliResult ref =
      run_in(dir.path(), "lut --device VPU_2_7 --resolution " + resolutions + " --out ref --quiet");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  std::vector<fs::path> targets;
  for (const auto& e : fs::directory_iterator(dir / "ref")) {
    targets.push_back(dir / "luts" / e.path().filename());
  }
  int killed = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    for (const auto& t : targets) test::write_text(t, "previous table\n");
    killed += kill_while_writing({"lut", "--device", "VPU_2_7", "--resolution", resolutions,
                                  "--out", (dir / "luts").string(), "--quiet"},
                                 targets);
    for (const auto& t : targets) {
      const std::string now = test::slurp(t);
      EXPECT_TRUE(now == "previous table\n" || now == test::slurp(dir / "ref" / t.filename())) << t;
      expect_only_hidden_temporaries(t);
    }
  }
  EXPECT_GT(killed, 0) << "lut never got killed while writing";
}

// Issue #7, item 3: training killed (SIGKILL, no chance to clean up) keeps
// the previous model file, which still loads.
TEST(Durability, TrainingKilledKeepsThePreviousModel) {
  TempDir dir;
  save_model(test::random_model(Device::VPU_2_7), dir / "model.h5");
  const std::string old = test::slurp(dir / "model.h5");
  test::write_text(dir / "data.csv", test::sample_rows("vpu_2_7_train.csv", 2000));
  ASSERT_EQ(run_in(dir.path(), "import --csv data.csv --out data.h5").exit_code, 0);
  // Many epochs: it is still training when killed. The checkpoint is written
  // every epoch, so the kill may also land while one is being written.
  test::CliProcess train({"train", "--data", (dir / "data.h5").string(), "--out",
                          (dir / "model.h5").string(), "--epochs", "100000", "--checkpoint",
                          (dir / "ck.h5").string()});
  ASSERT_TRUE(test::wait_for([&] { return fs::exists(dir / "ck.h5") || !train.running(); }))
      << "no checkpoint after " << test::kEventDeadline.count() << " s";
  ASSERT_TRUE(train.running()) << "train ended before its first checkpoint: " << train.err();
  train.signal(SIGKILL);
  train.wait();
  ASSERT_TRUE(train.signalled());
  EXPECT_EQ(test::slurp(dir / "model.h5"), old);
  EXPECT_EQ(load_model(dir / "model.h5").device(), Device::VPU_2_7);
  EXPECT_TRUE(temporaries_of(dir / "model.h5").empty());
  expect_only_hidden_temporaries(dir / "ck.h5");
  // The checkpoint written before the kill is complete.
  EXPECT_NO_THROW(load_checkpoint(dir / "ck.h5"));
}

}  // namespace
}  // namespace vpucost
