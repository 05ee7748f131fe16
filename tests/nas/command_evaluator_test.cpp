// The external-evaluator protocol: the net config on stdin, the score on the
// last line, the environment, and every way a command can fail -- non-zero
// exit, garbage, a signal, a hang (killed with its process group at the
// timeout) -- each a clear error, never a hang, no zombie left behind.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>

#include "../support/test_workloads.hpp"
#include "../support/wait_for.hpp"
#include "nas_test_support.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"
#include "vpucost/net_config.hpp"

namespace vpucost::nas {
namespace {

using namespace std::chrono_literals;

Architecture some_architecture(const SearchSpace& space) {
  Architecture a(space.positions.size());
  for (std::size_t p = 0; p < a.size(); ++p) a[p] = int(p % space.positions[p].candidates.size());
  return a;
}

// The error message of scoring `arch` with `command`, or "" if it scored.
std::string error_of(const std::string& command, std::chrono::milliseconds timeout = 10s) {
  const SearchSpace space = proxyless_space();
  CommandEvaluatorOptions o;
  o.timeout = timeout;
  CommandEvaluator ev(space, command, o);
  try {
    ev.score(some_architecture(space), {3, 1, 1.25});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// No child process of ours is left (running or zombie).
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

// The process whose pid is in `pid_file` is gone (or a zombie waiting for
// init, which is not ours to reap).
void expect_gone(const std::string& pid_file) {
  std::ifstream in(pid_file);
  pid_t pid = 0;
  ASSERT_TRUE(in >> pid);
  std::string state = "gone";
  // Killed, it still needs a moment to go, longer on a busy machine.
  vpucost::test::wait_for(
      [&] {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string skip;
        if (!(stat >> skip >> skip >> state)) state = "gone";
        return state == "gone" || state == "Z";
      },
      vpucost::test::kEventDeadline, 10ms);
  EXPECT_TRUE(state == "gone" || state == "Z") << "pid " << pid << " state " << state;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(ParseScore, TakesTheLastNonEmptyLineAsAFiniteNumber) {
  EXPECT_EQ(parse_score("0.75\n"), 0.75);
  EXPECT_EQ(parse_score("epoch 1 loss 2.3\nvalidation...\n  74.3  \n\n \n"), 74.3);
  EXPECT_EQ(parse_score("-1e-3"), -1e-3);
  for (const char* bad : {"", "\n \n", "accuracy: high", "74.3%", "nan", "inf", "0x1p3", "1e999",
                          "1.2.3", "0.5 0.6", "--1"}) {
    EXPECT_THROW(parse_score(bad), Error) << bad;
  }
}

TEST(CommandEvaluator, ScoresFromTheNetConfigOnStdin) {
  const SearchSpace space = proxyless_space();
  CommandEvaluator ev(space,
                      "echo 'loading supernet' >&2; echo 'progress line';"
                      " tr -d ' \\n' | grep -o '\"kernel_size\":7' | wc -l");
  const Architecture a = some_architecture(space);
  int sevens = 0;
  for (const NetConfigBlock& b : net_config_from_architecture(space, a).blocks) {
    sevens += !b.zero && b.conv.kernel == 7;
  }
  ASSERT_GT(sevens, 0);
  EXPECT_EQ(ev.score(a, {}), double(sevens));
  expect_no_children();
}

TEST(CommandEvaluator, PassesTheArchitectureInTheEnvironment) {
  const SearchSpace space = proxyless_space();
  CommandEvaluator ev(
      space,
      "cat > /dev/null; test \"$VPUCOST_GENERATION\" = 4 && test \"$VPUCOST_STAGE\""
      " = 2 && test \"$VPUCOST_RESOLUTION\" = 224 && test -n \"$VPUCOST_ARCH\" &&"
      " echo \"$VPUCOST_ARCH_NAMES\" | grep -q '^k3_e1,' && echo $VPUCOST_LATENCY_MS");
  EXPECT_EQ(ev.score(some_architecture(space), {4, 2, 1.5}), 1.5);
}

TEST(CommandEvaluator, NonZeroExitNamesTheArchitectureAndStderr) {
  const std::string e = error_of("cat > /dev/null; echo 'CUDA out of memory' >&2; exit 3");
  EXPECT_TRUE(contains(e, "exited with code 3")) << e;
  EXPECT_TRUE(contains(e, "CUDA out of memory")) << e;
  EXPECT_TRUE(contains(e, "generation 3")) << e;
  EXPECT_TRUE(contains(e, "[k3_e1 ")) << e;
  EXPECT_TRUE(contains(e, "exit 3`")) << e;  // the command
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  expect_no_children();
}

TEST(CommandEvaluator, GarbageOutputIsAnError) {
  const std::string e = error_of("echo 'accuracy: high'");
  EXPECT_TRUE(contains(e, "not a number: 'accuracy: high'")) << e;
  EXPECT_TRUE(contains(error_of("true"), "printed no score"));
  EXPECT_TRUE(contains(error_of("echo nan"), "not a number"));
}

TEST(CommandEvaluator, DeathBySignalIsAnError) {
  const std::string e = error_of("echo about to crash >&2; kill -SEGV $$");
  EXPECT_TRUE(contains(e, "killed by signal " + std::to_string(SIGSEGV))) << e;
  EXPECT_TRUE(contains(e, "about to crash")) << e;
  expect_no_children();
}

TEST(CommandEvaluator, MissingProgramIsAnError) {
  const std::string e = error_of("no-such-evaluator-program-xyz");
  EXPECT_TRUE(contains(e, "exited with code 127")) << e;
  EXPECT_TRUE(contains(e, "not found")) << e;
}

TEST(CommandEvaluator, HangIsKilledWithItsProcessGroupAtTheTimeout) {
  vpucost::test::TempDir dir;
  const std::string pid_file = (dir / "pid").string();
  const auto start = std::chrono::steady_clock::now();
  // A background child that would outlive the shell, then a hang.
  const std::string e = error_of(
      "sleep 60 & echo $! > '" + pid_file + "'; echo 'still training' >&2; sleep 60", 300ms);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(contains(e, "timed out after 0.3 s")) << e;
  EXPECT_TRUE(contains(e, "still training")) << e;
  EXPECT_LT(seconds, 30.0);  // not the 60 s of the hang; loose for a busy machine
  expect_no_children();
  expect_gone(pid_file);  // the background sleep was killed too
}

TEST(CommandEvaluator, ACommandThatIgnoresItsInputDoesNotKillUs) {
  // Closes stdin at once: our write gets EPIPE, not a fatal SIGPIPE.
  const SearchSpace space = proxyless_space();
  CommandEvaluator ev(space, "exec 0<&-; sleep 0.1; echo 2.5");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ev.score(some_architecture(space), {}), 2.5);
  expect_no_children();
}

TEST(CommandEvaluator, ALeftoverProcessHoldingStdoutDoesNotBlock) {
  const SearchSpace space = proxyless_space();
  vpucost::test::TempDir dir;
  const std::string group_file = (dir / "group").string();
  // The leftover outlives the command by far more than the time allowed to
  // score, so a busy machine cannot blur the two; it is killed afterwards
  // through the command's process group ($$: the command leads its group).
  CommandEvaluator ev(
      space, "cat > /dev/null; echo $$ > '" + group_file + "'; (sleep 60; echo late) & echo 0.5");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ev.score(some_architecture(space), {}), 0.5);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
  std::ifstream in(group_file);
  pid_t group = 0;
  ASSERT_TRUE(in >> group);
  ASSERT_GT(group, 1);  // kill(0) or kill(-1) would hit far more than the leftover
  ::kill(-group, SIGKILL);
}

volatile std::sig_atomic_t g_test_sigint = 0;
extern "C" void note_sigint(int) {
  g_test_sigint = 1;
}

TEST(CommandEvaluator, CtrlCStopsTheCommandToo) {
  // Our own SIGINT handler stands in for the default (which would end the
  // test): it must run once the command is stopped.
  struct sigaction mine {
  }, previous{};
  mine.sa_handler = note_sigint;
  sigemptyset(&mine.sa_mask);
  ::sigaction(SIGINT, &mine, &previous);
  g_test_sigint = 0;
  vpucost::test::TempDir dir;
  const std::string pid_file = (dir / "pid").string();
  // The signal goes once the command has written its background job's pid:
  // its trap is set by then, and our forwarding (installed before the fork)
  // is in place. A fixed delay instead could fire before either on a busy
  // machine.
  std::atomic<bool> scored{false};
  std::atomic<bool> sent{false};
  std::chrono::steady_clock::time_point sent_at{};
  std::thread interrupter([&] {
    const bool ready = vpucost::test::wait_for([&] {
      std::ifstream in(pid_file);
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      return scored.load() || (!text.empty() && text.back() == '\n');
    });
    if (!ready || scored.load()) return;
    sent_at = std::chrono::steady_clock::now();
    sent = true;
    ::kill(::getpid(), SIGINT);
  });
  const std::string e = error_of("trap 'echo got it >&2; exit 130' INT; sleep 30 & echo $! > '" +
                                 pid_file + "'; wait");
  scored = true;
  interrupter.join();
  ::sigaction(SIGINT, &previous, nullptr);
  ASSERT_TRUE(sent) << "the command never wrote its pid: " << e;
  // Well before the evaluator's 10 s time limit.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - sent_at).count(), 8.0);
  EXPECT_TRUE(contains(e, "interrupted by signal " + std::to_string(SIGINT))) << e;
  EXPECT_TRUE(contains(e, "got it")) << e;  // the command's own handler ran
  EXPECT_EQ(g_test_sigint, 1);
  expect_no_children();
  expect_gone(pid_file);  // its background job, which ignores SIGINT, too
}

TEST(CommandEvaluator, RefusesAnEmptyCommandOrTimeout) {
  EXPECT_THROW(CommandEvaluator(proxyless_space(), "  "), Error);
  CommandEvaluatorOptions o;
  o.timeout = 0ms;
  EXPECT_THROW(CommandEvaluator(proxyless_space(), "echo 1", o), Error);
}

}  // namespace
}  // namespace vpucost::nas
