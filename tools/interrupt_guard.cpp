#include "interrupt_guard.hpp"

#include <unistd.h>

#include <atomic>

namespace vpucost::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
// The message of the exit-at-once phase, or null outside it. Atomic (and
// lock-free, so usable in the handler): the handler may run on any thread.
std::atomic<const char*> g_exit_message{nullptr};
std::atomic<std::size_t> g_exit_message_size{0};
static_assert(std::atomic<const char*>::is_always_lock_free &&
              std::atomic<std::size_t>::is_always_lock_free);

extern "C" void on_interrupt(int) {
  if (const char* message = g_exit_message.load()) {
    // Only async-signal-safe calls: write(2) and _exit(2).
    [[maybe_unused]] const auto n = ::write(2, message, g_exit_message_size.load());
    ::_exit(130);
  }
  g_interrupted = 1;
}

}  // namespace

InterruptGuard::InterruptGuard(bool second_signal_kills) {
  g_interrupted = 0;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: reads and writes in progress go on; the flag is checked
  // between blocks of work.
  sa.sa_flags = SA_RESTART | (second_signal_kills ? SA_RESETHAND : 0);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  check_from_here();
}

void InterruptGuard::exit_at_once(std::string message) {
  check_from_here();  // the handler must not see the old text while it is replaced
  exit_message_ = std::move(message);
  g_exit_message_size.store(exit_message_.size());
  g_exit_message.store(exit_message_.c_str());
}

void InterruptGuard::check_from_here() {
  g_exit_message.store(nullptr);
}

bool InterruptGuard::interrupted() {
  return g_interrupted != 0;
}

}  // namespace vpucost::cli
