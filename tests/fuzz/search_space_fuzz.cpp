// Fuzzes the user search-space JSON reader: any input must either parse (to
// a valid space) or throw vpucost::Error. A space that parses must write back
// to JSON that reads to an equal space, and its first candidates must give
// their layers at a resolution.
#include <cstdint>
#include <string_view>

#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/search_space_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace vpucost;
  SearchSpace space;
  try {
    space = parse_search_space_json(text, "fuzz");
  } catch (const Error&) {
    return 0;
  }
  if (!(parse_search_space_json(search_space_json(space), "written") == space)) __builtin_trap();
  try {
    for (int p = 0; p < 4 && p < static_cast<int>(space.positions.size()); ++p) {
      const auto& candidates = space.positions[static_cast<std::size_t>(p)].candidates;
      for (int c = 0; c < 2 && c < static_cast<int>(candidates.size()); ++c) {
        if (!candidates[static_cast<std::size_t>(c)].zero) candidate_part(space, 224, p, c);
      }
    }
  } catch (const Error&) {
  }
  return 0;
}
