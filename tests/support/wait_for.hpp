#pragma once
// Waiting in a test for something another process does (a file appears, a
// line is printed), instead of sleeping for a fixed time and hoping it has
// happened: a fixed sleep is too short on a busy machine and wasted on an
// idle one.
#include <chrono>
#include <thread>

namespace vpucost::test {

/// Generous: the deadline only decides when a test gives up on an event
/// that never comes, never how long a passing test takes.
inline constexpr std::chrono::seconds kEventDeadline{120};

/// Polls `happened()` every `interval` until it returns true (returns true)
/// or `deadline` has passed (returns false).
template <class Event>
bool wait_for(Event happened, std::chrono::steady_clock::duration deadline = kEventDeadline,
              std::chrono::steady_clock::duration interval = std::chrono::milliseconds(2)) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (happened()) return true;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace vpucost::test
