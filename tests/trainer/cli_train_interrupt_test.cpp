// `vpucost train` interrupted (Ctrl-C): before training, during it with and
// without a checkpoint, and resumed. Every signal waits for the event it
// needs (a checkpoint file, a progress line, the data being read), never for
// a fixed time.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include "../support/run_cli.hpp"
#include "../support/test_workloads.hpp"
#include "cli_train_support.hpp"

namespace vpucost {
namespace {

using test::kTrain;
using test::run_cli;
using test::weights;

TEST(CliTrain, InterruptedRunKeepsThePreviousModelAndResumesExactly) {
  test::TempDir dir;
  const std::vector<std::string> base{"train",    "--data",     kTrain,     "--out",  dir / "m.h5",
                                      "--hidden", "32,32",      "--epochs", "150",    "--batch",
                                      "64",       "--patience", "0",        "--quiet"};
  auto uninterrupted = base;
  uninterrupted[4] = dir / "full.h5";
  ASSERT_EQ(run_cli(uninterrupted).exit_code, 0);

  std::ofstream(dir / "m.h5") << "previous model";
  const auto checkpoint = dir / "c.ckpt";
  auto interrupted = base;
  interrupted.pop_back();  // --quiet: its progress lines hold it back (below)
  interrupted.insert(interrupted.end(), {"--checkpoint", checkpoint});
  // Its stderr is held (see CliProcess): with about 40 progress lines unread
  // it waits, so it cannot finish its 150 epochs before the signal, however
  // slow the test is to notice the checkpoint.
  test::CliProcess train(interrupted, test::CliProcess::Stderr::held);
  // SIGINT once the first checkpoint exists (written to a temporary file and
  // renamed, so it is then complete): training is under way, and the run
  // stops after its current epoch. A fixed delay instead fired before the
  // first epoch on a busy machine.
  ASSERT_TRUE(test::wait_for([&] {
    return std::filesystem::exists(checkpoint) || !train.running();
  })) << "no checkpoint after "
      << test::kEventDeadline.count() << " s";
  // Should it end meanwhile, it stays unreaped: the pid is still its own.
  if (train.running()) train.signal(SIGINT);
  const int code = train.wait();
  const std::string err = train.err();
  ASSERT_TRUE(std::filesystem::exists(checkpoint)) << "ended before its first checkpoint: " << err;
  EXPECT_EQ(code, 130) << err;
  EXPECT_NE(err.find("continue with the same command plus --resume " + checkpoint.string()),
            std::string::npos)
      << err;
  EXPECT_EQ(test::slurp(dir / "m.h5"), "previous model");

  auto resumed = interrupted;
  resumed.insert(resumed.end(), {"--resume", checkpoint, "--quiet"});
  const auto r = run_cli(resumed);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(weights(dir / "m.h5"), weights(dir / "full.h5"));
}

TEST(CliTrain, InterruptedRunWithoutCheckpointSaysNothingWasSaved) {
  test::TempDir dir;
  std::ofstream(dir / "m.h5") << "previous model";
  // Not --quiet: the first epoch's progress line shows that training is under
  // way. Far more epochs than can run before the signal.
  test::CliProcess train({"train", "--data", kTrain, "--out", dir / "m.h5", "--hidden", "8",
                          "--epochs", "100000", "--patience", "0"});
  ASSERT_TRUE(test::wait_for([&] {
    return train.err().find("epoch    1/100000") != std::string::npos || !train.running();
  })) << train.err();
  if (train.running()) train.signal(SIGINT);
  EXPECT_EQ(train.wait(), 130) << train.err();
  const std::string err = train.err();
  EXPECT_NE(err.find("vpucost train: interrupted after epoch "), std::string::npos) << err;
  EXPECT_NE(err.find("; no --checkpoint was given, so nothing was saved and " +
                     (dir / "m.h5").string() + " was not written\n"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("--resume"), std::string::npos) << err;
  EXPECT_EQ(test::slurp(dir / "m.h5"), "previous model");
}

TEST(CliTrain, InterruptedBeforeTrainingStartsSaysNothingWasSaved) {
  test::TempDir dir;
  std::ofstream(dir / "m.h5") << "previous model";
  // The data comes through a named pipe that nothing is written to, which
  // holds the run in reading its data, before its first epoch, for as long
  // as the test needs: no timing involved.
  const auto data = dir / "data.csv";
  ASSERT_EQ(::mkfifo(data.c_str(), 0600), 0) << std::strerror(errno);
  test::CliProcess train(
      {"train", "--data", data, "--out", dir / "m.h5", "--checkpoint", dir / "c.ckpt"});
  // Opening our end without blocking succeeds only once train has the pipe
  // open for reading: it is then reading its data.
  int writer = -1;
  ASSERT_TRUE(test::wait_for([&] {
    writer = ::open(data.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    return writer >= 0 || !train.running();
  })) << train.err();
  if (train.running()) train.signal(SIGINT);
  const int code = train.wait();
  if (writer >= 0) ::close(writer);
  EXPECT_EQ(code, 130) << train.err();
  EXPECT_EQ(train.err(),
            "vpucost train: interrupted before training started; nothing was saved and " +
                (dir / "m.h5").string() + " was not written\n");
  EXPECT_EQ(test::slurp(dir / "m.h5"), "previous model");
  EXPECT_FALSE(std::filesystem::exists(dir / "c.ckpt"));
}

}  // namespace
}  // namespace vpucost
