// Fuzzes the architecture-parameter (alpha) JSON reader of vpucost nas-export:
// any input must either parse or throw vpucost::Error. Parsed parameters must
// be non-empty rows of finite numbers, and their softmax must sum to one.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "vpucost/arch_export.hpp"
#include "vpucost/error.hpp"
#include "vpucost/expected_latency.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace vpucost;
  nas::ArchParams alpha;
  try {
    alpha = nas::parse_arch_params_json(text, "fuzz");
  } catch (const Error&) {
    return 0;
  }
  if (alpha.empty()) __builtin_trap();
  for (const auto& row : alpha) {
    if (row.empty()) __builtin_trap();
    for (const double v : row) {
      if (!std::isfinite(v)) __builtin_trap();
    }
    double sum = 0.0;
    for (const double p : nas::softmax(row)) sum += p;
    if (std::abs(sum - 1.0) > 1e-9) __builtin_trap();
  }
  return 0;
}
