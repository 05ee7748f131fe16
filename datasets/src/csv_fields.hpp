#pragma once
// Parsing single CSV fields, shared by the readers of every recording kind
// (DPU workloads, SHAVE operations, DMA transfers) so that they accept the
// same numbers and show bad values the same way.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace vpucost::detail {

enum class NumberStatus { Ok, Empty, NotANumber, OutOfRange };

// Optional sign and decimal digits only: "", "-", "1.0" and "0x10" are not integers.
inline NumberStatus parse_integer(std::string_view s, std::int64_t& out) {
  if (s.empty()) return NumberStatus::Empty;
  // Fast path: up to 9 plain digits cannot overflow.
  if (s.size() <= 9) {
    std::int64_t v = 0;
    std::size_t i = 0;
    for (; i < s.size() && static_cast<unsigned char>(s[i] - '0') <= 9; ++i)
      v = v * 10 + (s[i] - '0');
    if (i == s.size()) {
      out = v;
      return NumberStatus::Ok;
    }
  }
  bool negative = false;
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return NumberStatus::NotANumber;
  std::int64_t value = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return NumberStatus::NotANumber;
    const int digit = c - '0';
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, negative ? -digit : digit, &value)) {
      // Keep scanning so that "123abc..." with many digits is still "not a number".
      for (++i; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return NumberStatus::NotANumber;
      }
      return NumberStatus::OutOfRange;
    }
  }
  out = value;
  return NumberStatus::Ok;
}

inline NumberStatus parse_real(std::string_view s, double& out) {
  if (s.empty()) return NumberStatus::Empty;
  // Fast path: plain integers up to 15 digits are exact in a double.
  if (s.size() <= 15) {
    std::int64_t v = 0;
    bool digits = true;
    for (char c : s) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      v = v * 10 + (c - '0');
    }
    if (digits) {
      out = static_cast<double>(v);
      return NumberStatus::Ok;
    }
  }
  std::string_view t = s;
  if (t[0] == '+') {  // from_chars takes '-' but not '+'
    t.remove_prefix(1);
    if (t.empty() || t[0] == '+' || t[0] == '-') return NumberStatus::NotANumber;
  }
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (ec == std::errc::result_out_of_range) return NumberStatus::OutOfRange;
  if (ec != std::errc() || ptr != t.data() + t.size()) return NumberStatus::NotANumber;
  return NumberStatus::Ok;
}

// The value as shown in a reason: quoted, shortened, control bytes replaced.
inline std::string shown(std::string_view value) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < value.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (value.size() > kMax) out += "...";
  return out + "'";
}

}  // namespace vpucost::detail
