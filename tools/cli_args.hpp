#pragma once
// Parsing of the descriptor strings users type on the command line:
// "56x56x64", "3x3", "1,1,1,1" and enum names. Kept apart from the commands
// so the fuzz target can exercise exactly this code.
#include <array>
#include <cstdint>
#include <string_view>

#include "vpucost/workload.hpp"

namespace vpucost::cli {

/// "56x56x64" -> {56, 56, 64} (width x height x channels). `option` names the
/// flag in error messages. Throws vpucost::Error.
std::array<std::int64_t, 3> parse_shape(std::string_view text, std::string_view option);

/// "3x3" -> {3, 3}; a single number "3" means 3x3.
std::array<std::int64_t, 2> parse_pair(std::string_view text, std::string_view option);

/// "1,1,1,1" -> top, bottom, left, right; a single number applies to all four.
Padding parse_padding(std::string_view text, std::string_view option);

/// A positive decimal integer that fits comfortably in 64 bits.
std::int64_t parse_count(std::string_view text, std::string_view option);

}  // namespace vpucost::cli
