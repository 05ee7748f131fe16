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
// ops_order, dropout_rate, ...) do not change the cycles and are ignored.
//
// once-for-all's MobileNetV3 configs ("name": "MobileNetV3", recognised by
// their "final_expand_layer") are read too: blocks with "mid_channels",
// "use_se" and "act_func" ("relu" / "relu6" fused on the DPU, "h_swish" on
// SHAVE), then final_expand_layer (1x1 conv), global pool,
// feature_mix_layer (1x1 conv on the pooled 1x1 map) and classifier;
// network_parts.hpp says how each becomes DPU layers and SHAVE steps. SE and
// h-swish are refused in ProxylessNAS-form configs. Every error names the
// JSON path, e.g. "blocks[3].mobile_inverted_conv.kernel_size: expected a
// positive integer, got -3".
//
// Super-resolution configs (recognised by their "upsampler"; format in
// sr_network.hpp) fix their own input size: the resolution does not apply.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/network_parts.hpp"
#include "vpucost/search_space.hpp"
#include "vpucost/sr_network.hpp"

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
  /// A MobileNetV3 config's fractional expand ratio (200 / 80 = 2.5) is
  /// kept as its ceiling: only "is it 1" matters once mid_channels is set.
  MBConv conv;
  bool se = false;      ///< MobileNetV3: squeeze-and-excitation module
  bool hswish = false;  ///< MobileNetV3: h-swish activations
};

struct NetConfig {
  std::string name = "ProxylessNASNets";
  /// MobileNetV3 when the config has a final_expand_layer.
  SpaceFamily family = SpaceFamily::ProxylessNAS;
  ConvSpec first_conv;
  bool first_conv_hswish = false;  ///< MobileNetV3: h-swish after the first conv
  std::vector<NetConfigBlock> blocks;
  /// MobileNetV3: the 1x1 conv after the blocks, before pooling (h-swish).
  std::optional<ConvSpec> final_expand;
  bool final_expand_hswish = true;  ///< MobileNetV3: its activation is h-swish (else ReLU)
  /// ProxylessNAS: the 1x1 convolution before pooling; a config may leave it
  /// null. MobileNetV3: the 1x1 conv on the pooled vector (required).
  std::optional<ConvSpec> feature_mix = ConvSpec{320, 1280, 1, 1};
  bool feature_mix_hswish = true;  ///< MobileNetV3: its activation is h-swish (else ReLU)
  bool feature_mix_bias = false;   ///< MobileNetV3: counted in parameter_count
  std::int64_t classifier_in = 1280;
  std::int64_t classifier_out = 1000;
  bool classifier_bias = true;
  /// SuperResolution: the whole net (the fields above are unused).
  std::optional<SrNet> sr;
};

/// `source` names the document in error messages (usually the file name).
NetConfig parse_net_config(std::string_view json_text, std::string_view source = "net config");
NetConfig load_net_config(const std::filesystem::path& path);

/// The config as ProxylessNAS-format JSON (what parse_net_config reads back).
/// Zero blocks are left out (the same network): once-for-all's LatencyTable
/// cannot read a ZeroLayer block and ProxylessNAS's builder cannot build a
/// null one, while both read the shorter list.
std::string net_config_json(const NetConfig& config);

/// Trainable parameters as the papers count them: convolution weights (no
/// bias), two per channel for every batch norm (after each convolution),
/// classifier weights and bias. ProxylessNAS-mobile: 4.08M. MobileNetV3: SE
/// convolutions with their biases, no batch norm after feature_mix_layer
/// (as once-for-all builds it); torchvision's mobilenet_v3_large: 5.48M.
std::int64_t parameter_count(const NetConfig& config);

/// The parts of the network at `resolution` in execution order: stem,
/// every non-zero block, feature mix, logits, with their LUT keys. An SR
/// config's parts at its own input size (sr_parts; `resolution` unused).
std::vector<NetPart> net_parts(const NetConfig& config, int resolution);

/// Throws vpucost::Error unless a net config can hold the architectures of
/// `space`: HURRICANE's ShuffleNetV2 and separable blocks have no net-config
/// form (its spaces go to nas-space, lut and nas-export).
void require_net_config_space(const SearchSpace& space);

/// The network an architecture of a search space picks (zero-op positions
/// become skipped blocks), e.g. to hand a NAS result to other tools.
/// `resolution` matters only to an SR space (its input height; 0 = the
/// space's own). Throws vpucost::Error for a space require_net_config_space
/// refuses.
NetConfig net_config_from_architecture(const SearchSpace& space, std::span<const int> arch,
                                       int resolution = 0);

}  // namespace vpucost
