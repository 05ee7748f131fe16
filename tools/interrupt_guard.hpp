#pragma once
// Long-running subcommands (import, train) stop cleanly on Ctrl-C: the signal
// only sets a flag, which the command checks between blocks of work, so it
// can remove its temporary files or finish a checkpoint instead of dying
// half-way through a write.
#include <csignal>
#include <string>

namespace vpucost::cli {

class InterruptGuard {
 public:
  /// While alive, SIGINT and SIGTERM set the flag instead of killing the
  /// process; interrupted system calls are restarted. With
  /// `second_signal_kills`, a second signal kills as usual (for commands
  /// whose clean stop may take a while, such as finishing a training epoch).
  explicit InterruptGuard(bool second_signal_kills = false);
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard();

  /// Until check_from_here(), a signal prints `message` (one line, with its
  /// newline) on stderr and ends the process at once with exit code 130. For
  /// a command's preparation, which only reads: stopping it at once loses
  /// nothing, the user need not wait for a long read to finish, and is told
  /// what happened instead of the process dying without a word.
  void exit_at_once(std::string message);
  /// From here on a signal only sets the flag (work has begun that must be
  /// stopped between blocks).
  void check_from_here();

  /// Whether a signal arrived since this guard was made.
  static bool interrupted();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::string exit_message_;
};

}  // namespace vpucost::cli
