// Fuzzes the reader of an external evaluator's output (vpucost nas
// --evaluator: the score is the last non-empty line of what the command
// prints): any output must either give a finite number or throw
// vpucost::Error. A score, printed back with full precision as the last line
// after arbitrary earlier lines, must read back as the same number.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  double score = 0.0;
  try {
    score = vpucost::nas::parse_score(text);
  } catch (const vpucost::Error&) {
    return 0;
  }
  if (!std::isfinite(score)) __builtin_trap();
  char printed[64];
  std::snprintf(printed, sizeof printed, "%.17g", score);
  const std::string again = std::string(text) + "\n  " + printed + " \r\n\n";
  if (vpucost::nas::parse_score(again) != score) __builtin_trap();
  return 0;
}
