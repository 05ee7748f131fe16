#pragma once
// HURRICANE's hardware-aware search space (Zhang et al., "Fast
// Hardware-aware Neural Architecture Search", CVPRW 2020): SPOS's backbone
// with a pool of 32 candidate operators per learnable layer.
//
// Backbone (SPOS, at 224): first conv 3x3 stride 2, 3 -> 16 (ReLU); 20
// learnable layers with outputs 56x56x64 x4, 28x28x160 x4, 14x14x320 x8,
// 7x7x640 x4 (each stage's first layer stride 2); last conv 1x1 640 -> 1024
// (ReLU), global average pool, classifier 1024 -> 1000 (the ProxylessNAS
// head, so its keys are Conv, Conv_1 and Logits).
//
// Operators, each plain and as an SE variant (16 x 2 = 32):
//  - SEP_k (k = 3, 5, 7): depthwise-separable convolution twice -- depthwise
//    k x k (the layer's stride), pointwise in -> out, depthwise k x k,
//    pointwise out -> out, each pointwise followed by the activation; no
//    shortcut (as DARTS's sep_conv).
//  - MB_k_e (k = 3, 5, 7; e = 1, 3, 6): MBConv with expand ratio e and the
//    identity shortcut where the layer allows one.
//  - Choice_k (k = 3, 5, 7): SPOS's ShuffleNetV2 block with mid = out / 2.
//    Stride 1: channel split, branch pointwise in/2 -> mid, depthwise k,
//    pointwise mid -> out/2; concat and channel shuffle. Stride 2: a
//    projection branch (depthwise k stride 2 on the input, pointwise in ->
//    in) next to the main branch (pointwise in -> mid, depthwise k stride 2,
//    pointwise mid -> out - in). Split, concat and shuffle are layout
//    operations and cost nothing (the v2 teacher's mapping rule 9).
//  - ChoiceX: SPOS's Xception block, kernel 3: the branch is three
//    (depthwise 3 x 3, pointwise) pairs, the first depthwise with the stride.
// The SE variant ("as MobileNetV3", reduction 4) adds an SE module on the
// tensor after the last depthwise convolution of the main branch (before
// its last pointwise) and uses h-swish for every activation of the block;
// the SE gate is a hard sigmoid. h-swish, h-sigmoid and the SE multiply run
// on the SHAVE cores (network_parts.hpp); ReLU fuses into the DPU layer.
//
// Keys, one grammar for all operators:
//   <op>-input:56x56x64-output:28x28x160-kernel:5-expand:3-stride:2-se:1
// with op mb, sep, choice or choicex (expand 1 except for mb).
#include <cstdint>

#include "vpucost/network_parts.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {

/// Whether a ShuffleNetV2 block (Choice_k, ChoiceX) can split these channels:
/// even output channels, equal to the input at stride 1 (the split halves)
/// and more than the input at stride 2 (the projection branch keeps `in`).
/// The space's validation and hurricane_block_part both ask it.
constexpr bool shuffle_block_possible(std::int64_t stride, std::int64_t in_channels,
                                      std::int64_t out_channels) {
  return out_channels % 2 == 0 &&
         (stride == 1 ? in_channels == out_channels : out_channels > in_channels);
}
inline constexpr const char* kShuffleChannelRule =
    "a ShuffleNetV2 block needs even output channels, equal to the input at stride 1 and more "
    "than the input at stride 2";

/// The SPOS backbone with HURRICANE's 32 operators at each of its 20 positions.
SearchSpace hurricane_space();

/// One HURRICANE layer with its operator.
struct HurricaneBlock {
  BlockOp op = BlockOp::MBConv;
  std::int64_t size = 1;  ///< input width = height
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
  std::int64_t expand_ratio = 1;  ///< MBConv only
  bool se = false;                ///< the SE variant (SE module, h-swish)
};

/// The layers and SHAVE steps of `block`, as the header describes. Throws
/// vpucost::Error naming what is wrong (e.g. a ShuffleNetV2 block whose
/// channels do not split).
NetPart hurricane_block_part(const HurricaneBlock& block);

}  // namespace vpucost
