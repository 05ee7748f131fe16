#pragma once
// Non-fatal problems found while loading data (rows rejected from a CSV,
// unknown columns ignored) go through one handler, so that a program decides
// where they are shown. By default each is one line on stderr:
// "vpucost: warning: <message>".
#include <functional>
#include <string>

namespace vpucost {

using WarningHandler = std::function<void(const std::string& message)>;

/// Installs `handler` (an empty one restores the default) and returns the
/// previous one. Thread-safe.
WarningHandler set_warning_handler(WarningHandler handler);

/// Reports `message` through the current handler.
void warn(const std::string& message);

}  // namespace vpucost
