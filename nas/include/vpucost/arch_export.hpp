#pragma once
// What the NAS module writes and reads:
//
//  - an architecture as a ProxylessNAS / once-for-all net config (what
//    `vpucost net` and those tools read);
//  - the per-block latency table and, given architecture parameters, the
//    current expected latency and its gradient, as JSON for a PyTorch
//    training loop (format in nas/README.md):
//
//      { "format": "vpucost-nas-lut", "version": 1, "space": "proxyless",
//        "device": "VPU_2_7", "dtype": "UINT8", "resolution": 224,
//        "source": "model", "unit": "ms",
//        "fixed_ms": 0.41, "fixed": {"stem": .., "feature_mix": .., "logits": ..,
//                                    "network": .. (device mode only)},
//        "min_latency_ms": .., "max_latency_ms": ..,
//        "positions": [ {"position": 0, "stage": 0, "in_channels": 32,
//                        "out_channels": 16, "stride": 1,
//                        "candidates": ["k3_e1", ...], "ms": [0.12, ...]}, ... ],
//        "expected": { "latency_ms": .., "probabilities": [[..], ..],
//                      "grad_alpha": [[..], ..] } }          (only with alphas)
//
//  - architecture parameters (alphas) as JSON, one array of numbers per
//    position, one number per candidate, either bare or under "alphas":
//      [[0.1, -0.3, 0.0], [0.2, 0.2]]   or   {"alphas": [[...], ...]}
//  - every evaluated candidate as CSV (latency, score, Pareto flag).
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "vpucost/evolution.hpp"
#include "vpucost/expected_latency.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::nas {

/// The net-config JSON of `arch` (net_config_from_architecture +
/// net_config_json; `resolution` only for a super-resolution space, 0 = its
/// own input). Validates `arch`.
std::string architecture_net_config_json(const SearchSpace& space, std::span<const int> arch,
                                         int resolution = 0);

/// The LUT export above; `alpha` (optional) adds "expected". A device-mode
/// table's `network_terms_ms` (what a whole network costs beyond its
/// entries: input fetch, output spill, first weight fetch) is added to
/// "fixed_ms" and listed as "fixed": {"network": ..}, so that fixed_ms + the
/// chosen entries is the network's latency as `vpucost net` costs it.
std::string nas_lut_json(const SearchSpace& space, const LatencyTable& table,
                         const ArchParams* alpha = nullptr, double network_terms_ms = 0.0);

/// Parses architecture parameters. Every error is one vpucost::Error naming
/// `source` and the JSON path ("alphas.json: [3][1]: expected a finite
/// number, got \"x\""). The shape is checked against a space by
/// check_shape (expected_latency.hpp), not here.
ArchParams parse_arch_params_json(std::string_view text, std::string_view source = "alphas");
ArchParams load_arch_params(const std::filesystem::path& path);

/// latency_ms,score,pareto,generation,stage,architecture -- one record per
/// evaluated architecture, in evaluation order; pareto is 1 on the front.
std::string pareto_csv(const SearchSpace& space, std::span<const EvaluatedArchitecture> archs);

}  // namespace vpucost::nas
