#pragma once
// The parts of an MBConv network that latency tables key, with their layers
// and their ProxylessNAS / once-for-all look-up-table keys:
//
//   Conv-input:224x224x3-output:112x112x32                    stem convolution
//   expanded_conv-input:112x112x16-output:56x56x24-expand:3-kernel:5-stride:2-idskip:0
//   Conv_1-input:7x7x320-output:7x7x1280                      feature-mix 1x1 conv
//   Logits-input:7x7x1280-output:1000                          global average pool + classifier
//
// Shapes are HxWxC with logical (unpadded) channels; `expand` is the expand
// ratio and `idskip` 1 when the block has its identity shortcut.
#include <cstdint>
#include <string>
#include <vector>

#include "vpucost/network.hpp"

namespace vpucost {

enum class PartKind : std::uint8_t { Stem, Block, FeatureMix, Logits };
std::string_view to_string(PartKind kind);

struct NetPart {
  PartKind kind = PartKind::Block;
  std::string key;   ///< the look-up-table key
  std::string name;  ///< where it is in a net config ("blocks[3]"); may be empty
  std::vector<Layer> layers;
};

/// k x k convolution with 'same' padding on a resolution x resolution image.
NetPart stem_part(std::int64_t resolution, std::int64_t in_channels, std::int64_t out_channels,
                  std::int64_t kernel = 3, std::int64_t stride = 2);
/// An MBConv block (mbconv_layers). The key's expand field is block.expand_ratio.
NetPart block_part(const MBConv& block);
/// k x k convolution with 'same' padding, stride 1 (1x1 in ProxylessNAS).
NetPart feature_mix_part(std::int64_t size, std::int64_t in_channels, std::int64_t out_channels,
                         std::int64_t kernel = 1);
/// Global average pool over size x size, then a fully connected layer.
NetPart logits_part(std::int64_t size, std::int64_t in_features, std::int64_t out_features);

}  // namespace vpucost
