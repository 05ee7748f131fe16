#pragma once
// Long-running subcommands (import, train) stop cleanly on Ctrl-C: the signal
// only sets a flag, which the command checks between blocks of work, so it
// can remove its temporary files or finish a checkpoint instead of dying
// half-way through a write.
#include <csignal>

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

  /// Whether a signal arrived since this guard was made.
  static bool interrupted();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace vpucost::cli
