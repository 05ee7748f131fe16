#include "vpucost/json_limits.hpp"

#include <algorithm>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

// Deepest bracket nesting outside strings, counted by a flat scan.
int nesting_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

void check_json_limits(std::string_view text, std::string_view source, std::size_t max_bytes,
                       int max_depth) {
  if (text.size() > max_bytes) {
    throw Error(std::string(source) + ": is " + std::to_string(text.size()) + " bytes; at most " +
                std::to_string(max_bytes) + " are accepted");
  }
  if (nesting_depth(text) > max_depth) {
    throw Error(std::string(source) + ": nests deeper than " + std::to_string(max_depth) +
                " levels");
  }
}

}  // namespace vpucost
