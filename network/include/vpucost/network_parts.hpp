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
//
// once-for-all's MobileNetV3 tables key the middle width as `expand`, add
// `-se:0|1-hs:0|1` to every block and have three head parts:
//
//   Conv_1-input:7x7x192-output:7x7x1152                      final expand 1x1 conv
//   AvgPool2D-input:7x7x1152-output:1x1x1152                  global average pool
//   Conv_2-input:1x1x1152-output:1x1x1536                     1x1 conv on the pooled vector
//   Logits-input:1x1x1536-output:1000                          classifier
//
// Their layers follow the v2 teacher's mapping rules: ReLU fuses into the DPU
// layer before it (free on every generation with SHAVE cores); h-swish and
// the SE gate's h-sigmoid are SHAVE operations on the activation's tensor;
// the SE scale is a SHAVE multiply on the block's middle tensor; a global
// pool over a map wider than 15 first pools by the smallest s in 2..8 that
// brings it to 15 or less.
#include <cstdint>
#include <string>
#include <vector>

#include "vpucost/enums.hpp"
#include "vpucost/network.hpp"

namespace vpucost {

/// FeatureMix is the 1x1 conv after the last block (Conv_1: ProxylessNAS's
/// feature mix, MobileNetV3's final expand); Pool and PooledMix are
/// MobileNetV3's AvgPool2D and Conv_2.
enum class PartKind : std::uint8_t { Stem, Block, FeatureMix, Logits, Pool, PooledMix };
std::string_view to_string(PartKind kind);

/// An operation a part runs on the SHAVE cores, on a width x height x
/// channels input tensor (logical channels, as the teacher's mapping rule
/// 10); a binary operation (the SE multiply) reads a second tensor of the
/// same shape. The output is shave_output_of(op, input, param).
struct ShaveStep {
  std::string name;
  ShaveOp op = ShaveOp::hswish;
  std::int64_t width = 1;
  std::int64_t height = 1;
  std::int64_t channels = 1;
  /// How many of the part's DPU layers run before it (its place in order).
  std::size_t after_layers = 0;
  /// depth_to_space: the block size; interpolate: the scale; 0 otherwise.
  int param = 0;
  bool operator==(const ShaveStep&) const = default;
};

/// A copy the DMA engine makes as part of a network (the nearest-neighbour
/// upsampling of a super-resolution net): it writes a width x height x
/// channels tensor, costed as one CMX-to-DDR transfer of that tensor (the
/// written side is the larger one; the DMA model has no DDR-to-DDR curve).
struct DmaStep {
  std::string name;
  std::int64_t width = 1;
  std::int64_t height = 1;
  std::int64_t channels = 1;
  std::size_t after_layers = 0;  ///< as ShaveStep::after_layers
  bool operator==(const DmaStep&) const = default;
};

struct NetPart {
  PartKind kind = PartKind::Block;
  std::string key;               ///< the look-up-table key
  std::string name;              ///< where it is in a net config ("blocks[3]"); may be empty
  std::vector<Layer> layers;     ///< DPU layers, in order
  std::vector<ShaveStep> shave;  ///< SHAVE operations (MobileNetV3, HURRICANE SE, SR parts)
  std::vector<DmaStep> dma;      ///< DMA copies (SR nearest upsampling only)
};

/// A MobileNetV3 block: an MBConv with its middle width given (mid_channels
/// > 0), and its SE module and activation.
struct Mbv3Block {
  MBConv conv;
  bool se = false;
  bool hswish = false;
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

/// The DPU layers of a global average pool over size x size: one AVEPOOL, or
/// a pre-pool (kernel = stride = the smallest s in 2..8 dividing `size` that
/// brings it to 15 or less) then the pool, when size > 15 (VPUNN's kernels
/// stop at 15). Throws vpucost::Error when no such s exists.
std::vector<Layer> global_avg_pool_layers(const std::string& name, std::int64_t size,
                                          std::int64_t channels);

/// Appends a squeeze-and-excitation module on a size x size x channels
/// tensor (after the part's current layers): global pool, 1x1 to
/// make_divisible_by_8(channels / 4) + ReLU, 1x1 back, h-sigmoid and the
/// multiply on SHAVE. Layer and step names start with `name`.
void append_se(NetPart& part, const std::string& name, std::int64_t size, std::int64_t channels);

/// MobileNetV3 parts (keys as once-for-all's MBv3 tables).
/// Stem: the conv, then h-swish on SHAVE (`hswish`; else a fused ReLU).
NetPart mbv3_stem_part(std::int64_t resolution, std::int64_t out_channels, bool hswish = true);
/// Block: expand 1x1 (absent at expand 1) and depthwise, each followed by its
/// activation (ReLU fused, or h-swish on SHAVE); with SE: global pool of the
/// depthwise output, 1x1 to make_divisible_by_8(mid / 4) + ReLU, 1x1 back to
/// mid, h-sigmoid and the multiply on SHAVE; project 1x1; residual add.
NetPart mbv3_block_part(const Mbv3Block& block);
/// Conv_1: the final expand 1x1 conv and h-swish.
NetPart mbv3_final_expand_part(std::int64_t size, std::int64_t in_channels,
                               std::int64_t out_channels, bool hswish = true);
/// AvgPool2D: the global pool.
NetPart mbv3_pool_part(std::int64_t size, std::int64_t channels);
/// Conv_2: a 1x1 conv on the pooled 1x1 map and h-swish.
NetPart mbv3_pooled_mix_part(std::int64_t in_channels, std::int64_t out_channels,
                             bool hswish = true);
/// Logits: the classifier on the 1x1 vector.
NetPart mbv3_logits_part(std::int64_t in_features, std::int64_t out_features);

}  // namespace vpucost
