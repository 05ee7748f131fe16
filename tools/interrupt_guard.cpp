#include "interrupt_guard.hpp"

namespace vpucost::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) {
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
}

bool InterruptGuard::interrupted() {
  return g_interrupted != 0;
}

}  // namespace vpucost::cli
