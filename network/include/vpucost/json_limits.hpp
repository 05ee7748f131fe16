#pragma once
// Limits every JSON reader in vpucost (net configs, search spaces, NAS
// architecture parameters) applies to the text before any parser sees it,
// so that a hostile document can neither exhaust memory nor make recursive
// parsing code run deep.
#include <cstddef>
#include <string_view>

namespace vpucost {

/// Throws vpucost::Error naming `source` if `text` is longer than
/// `max_bytes` ("<source>: is N bytes; at most M are accepted") or nests
/// brackets outside strings deeper than `max_depth` levels ("<source>: nests
/// deeper than D levels").
void check_json_limits(std::string_view text, std::string_view source, std::size_t max_bytes,
                       int max_depth);

}  // namespace vpucost
