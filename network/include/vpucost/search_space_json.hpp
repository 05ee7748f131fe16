#pragma once
// User search spaces as JSON: the structure of SearchSpace (search_space.hpp).
//
//   { "format": "vpucost-search-space", "version": 1,
//     "name": "my_space",
//     "stem_channels": 32,
//     "positions": [
//       {"stage": 0, "in_channels": 32, "out_channels": 16, "stride": 1,
//        "candidates": [{"kernel_size": 3, "expand_ratio": 1}, ...]},
//       {"stage": 1, "in_channels": 16, "out_channels": 24, "stride": 1,
//        "candidates": [{"kernel_size": 5, "expand_ratio": 3}, "zero"]},
//       ... ],
//     "feature_mix_channels": 1280,
//     "num_classes": 1000 }
//
// Instead of "positions", a space may be written by stages, each expanded
// into `blocks` positions (the first with `stride`, the others stride 1),
// every position with kernel_sizes x expand_ratios and, where allowed (stride
// 1, same width), the zero op when "zero_op" is true:
//
//     "first_block": {"out_channels": 16, "kernel_sizes": [3], "expand_ratios": [1]},
//     "stages": [ {"width": 24, "blocks": 4, "stride": 2, "kernel_sizes": [3, 5, 7],
//                  "expand_ratios": [3, 6], "zero_op": true}, ... ]
//
// "format", "version", "stage", "first_block", "stem_channels" (32),
// "feature_mix_channels" (1280) and "num_classes" (1000) are optional.
// A once-for-all MobileNetV3-style space adds "family": "mobilenetv3",
// "final_expand_channels" (required then) and, per position or stage, "se"
// and "hswish" (booleans, default false); "family" defaults to
// "proxylessnas", where "se" and "hswish" must stay false. A HURRICANE
// space ("family": "hurricane") gives each candidate "op" (mb, sep, choice,
// choicex; default mb) and "se" (default false); "expand_ratio" may then be
// left out (1).
// write_search_space_json always writes the "positions" form, which reads
// back to an equal SearchSpace. Every reader error is one vpucost::Error
// naming the source and the JSON path.
#include <filesystem>
#include <string>
#include <string_view>

#include "vpucost/search_space.hpp"

namespace vpucost {

/// Parses and validates (validate(SearchSpace)). `source` names the document
/// in messages. A missing "name" becomes "user".
SearchSpace parse_search_space_json(std::string_view json_text,
                                    std::string_view source = "search space");
SearchSpace load_search_space(const std::filesystem::path& path);

std::string search_space_json(const SearchSpace& space);
/// Writes atomically (write_file_atomically).
void save_search_space(const SearchSpace& space, const std::filesystem::path& path);

/// A built-in name ("proxyless", "mobilenetv2") or else a JSON file.
SearchSpace load_space_by_name_or_file(std::string_view name_or_path);

}  // namespace vpucost
