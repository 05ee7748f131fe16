#pragma once
// Running one shell command with input, captured output and a hard time
// limit (private to vpucost::nas). POSIX only: fork + execve of /bin/sh,
// pipes polled without blocking, the command in its own process group so that
// a timeout kills everything it started.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vpucost::nas::detail {

struct ProcessResult {
  int exit_code = -1;      ///< when it exited normally
  int signal = 0;          ///< the signal that ended it, or 0
  bool timed_out = false;  ///< killed (with its process group) at the time limit
  int interrupted_by = 0;  ///< SIGINT / SIGTERM / SIGHUP that reached us while it ran
  std::string out;         ///< stdout (its last max_output bytes)
  std::string err;         ///< stderr (its last max_error bytes)
};

struct ProcessLimits {
  std::chrono::milliseconds timeout{600'000};
  std::size_t max_output = 1 << 20;
  std::size_t max_error = 4096;
  /// After the command has exited, how long to keep reading pipes that a
  /// process it left behind still holds open.
  std::chrono::milliseconds drain_after_exit{500};
  /// After an interrupt was passed on, how long the command may take to exit.
  std::chrono::milliseconds grace_after_interrupt{2000};
};

/// Runs `/bin/sh -c command` with `input` on stdin and `environment`
/// ("NAME=value" entries) added to (or replacing in) this process's
/// environment. Throws vpucost::Error only when the process cannot be
/// started; a failing command is reported in the result. Blocks SIGPIPE for
/// the calling thread while it runs (a command that does not read its
/// input must not kill the caller) and reaps the child on every path.
/// SIGINT, SIGTERM and SIGHUP that arrive meanwhile are passed on to the
/// command's process group; once it is gone the previous handlers are
/// restored and the signal is raised again (see subprocess.cpp).
ProcessResult run_shell_command(const std::string& command, std::string_view input,
                                const std::vector<std::string>& environment,
                                const ProcessLimits& limits);

}  // namespace vpucost::nas::detail
