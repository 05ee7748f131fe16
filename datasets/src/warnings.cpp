#include <iostream>
#include <mutex>

#include "vpucost/dataset_warnings.hpp"

namespace vpucost {
namespace {

std::mutex& handler_mutex() {
  static std::mutex m;
  return m;
}

WarningHandler& current_handler() {
  static WarningHandler handler;
  return handler;
}

}  // namespace

WarningHandler set_warning_handler(WarningHandler handler) {
  std::lock_guard guard(handler_mutex());
  std::swap(current_handler(), handler);
  return handler;
}

void warn(const std::string& message) {
  WarningHandler handler;
  {
    std::lock_guard guard(handler_mutex());
    handler = current_handler();
  }
  if (handler) {
    handler(message);
  } else {
    std::cerr << "vpucost: warning: " << message << "\n";
  }
}

}  // namespace vpucost
