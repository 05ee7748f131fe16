#pragma once
// Fixed networks in the net-config JSON of ProxylessNAS and once-for-all
// (the `net.config` / `proxyless_mobile.config` files their tools write):
//
//   { "name": "ProxylessNASNets",
//     "first_conv": {"name": "ConvLayer", "in_channels": 3, "out_channels": 32,
//                    "kernel_size": 3, "stride": 2, ...},
//     "blocks": [ {"name": "MobileInvertedResidualBlock",
//                  "mobile_inverted_conv": {"name": "MBInvertedConvLayer",
//                      "in_channels": 32, "out_channels": 16, "kernel_size": 3,
//                      "stride": 1, "expand_ratio": 1, "mid_channels": null, ...},
//                  "shortcut": null | {"name": "IdentityLayer", ...}}, ... ],
//     "feature_mix_layer": {"name": "ConvLayer", "in_channels": 320,
//                           "out_channels": 1280, "kernel_size": 1, ...},
//     "classifier": {"name": "LinearLayer", "in_features": 1280,
//                    "out_features": 1000, ...} }
//
// Accepted spellings: once-for-all's newer "conv" / "MBConvLayer" /
// "ResidualBlock" as well. A block whose conv is null or a "ZeroLayer" is
// skipped (the block passes its input through). Fields not listed (bn,
// act_func, ops_order, dropout_rate, ...) do not change DPU cycles and are
// ignored; squeeze-and-excitation (use_se: true) is refused. Every error
// names the JSON path, e.g. "blocks[3].mobile_inverted_conv.kernel_size:
// expected a positive integer, got -3".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/network_parts.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {

struct ConvSpec {
  std::int64_t in_channels = 3;
  std::int64_t out_channels = 32;
  std::int64_t kernel = 3;
  std::int64_t stride = 2;
};

struct NetConfigBlock {
  bool zero = false;  ///< null or ZeroLayer: skipped
  /// in/out channels, kernel, stride, expand ratio, mid channels and
  /// residual (= the config has a shortcut); `size` is set when costing.
  MBConv conv;
};

struct NetConfig {
  std::string name = "ProxylessNASNets";
  ConvSpec first_conv;
  std::vector<NetConfigBlock> blocks;
  /// The 1x1 convolution before pooling; a config may leave it null.
  std::optional<ConvSpec> feature_mix = ConvSpec{320, 1280, 1, 1};
  std::int64_t classifier_in = 1280;
  std::int64_t classifier_out = 1000;
  bool classifier_bias = true;
};

/// `source` names the document in error messages (usually the file name).
NetConfig parse_net_config(std::string_view json_text, std::string_view source = "net config");
NetConfig load_net_config(const std::filesystem::path& path);

/// The config as ProxylessNAS-format JSON (what parse_net_config reads back).
std::string net_config_json(const NetConfig& config);

/// Trainable parameters as the papers count them: convolution weights (no
/// bias), two per channel for every batch norm (after each convolution),
/// classifier weights and bias. ProxylessNAS-mobile: 4.08M.
std::int64_t parameter_count(const NetConfig& config);

/// The parts of the network at `resolution` in execution order: stem,
/// every non-zero block, feature mix, logits, with their LUT keys.
std::vector<NetPart> net_parts(const NetConfig& config, int resolution);

/// The network an architecture of a search space picks (zero-op positions
/// become skipped blocks), e.g. to hand a NAS result to other tools.
NetConfig net_config_from_architecture(const SearchSpace& space, std::span<const int> arch);

}  // namespace vpucost
