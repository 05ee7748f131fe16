#include "cli_args.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "vpucost/error.hpp"

namespace vpucost::cli {
namespace {

[[noreturn]] void fail(std::string_view option, std::string_view text, std::string_view expected) {
  throw Error("--" + std::string(option) + " '" + std::string(text) + "' is not " +
              std::string(expected));
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool to_int(std::string_view s, std::int64_t& value) {
  if (s.empty() || s.size() > 18) return false;  // 18 digits cannot overflow int64
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::int64_t parse_count(std::string_view text, std::string_view option) {
  std::int64_t v = 0;
  if (!to_int(text, v)) fail(option, text, "a whole number");
  return v;
}

std::array<std::int64_t, 3> parse_shape(std::string_view text, std::string_view option) {
  const auto parts = split(text, 'x');
  std::array<std::int64_t, 3> out{};
  if (parts.size() != 3) fail(option, text, "a shape WIDTHxHEIGHTxCHANNELS such as 56x56x64");
  for (std::size_t i = 0; i < 3; ++i) {
    if (!to_int(parts[i], out[i]))
      fail(option, text, "a shape WIDTHxHEIGHTxCHANNELS such as 56x56x64");
  }
  return out;
}

std::array<std::int64_t, 2> parse_pair(std::string_view text, std::string_view option) {
  const auto parts = split(text, 'x');
  std::array<std::int64_t, 2> out{};
  if (parts.size() == 1 && to_int(parts[0], out[0])) return {out[0], out[0]};
  if (parts.size() != 2 || !to_int(parts[0], out[0]) || !to_int(parts[1], out[1])) {
    fail(option, text, "a size WIDTHxHEIGHT such as 3x3");
  }
  return out;
}

Padding parse_padding(std::string_view text, std::string_view option) {
  const auto parts = split(text, ',');
  std::int64_t v[4] = {};
  if (parts.size() == 1 && to_int(parts[0], v[0])) return {v[0], v[0], v[0], v[0]};
  if (parts.size() != 4) fail(option, text, "padding TOP,BOTTOM,LEFT,RIGHT such as 1,1,1,1");
  for (std::size_t i = 0; i < 4; ++i) {
    if (!to_int(parts[i], v[i]))
      fail(option, text, "padding TOP,BOTTOM,LEFT,RIGHT such as 1,1,1,1");
  }
  return {v[0], v[1], v[2], v[3]};
}

}  // namespace vpucost::cli
