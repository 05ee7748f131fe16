#pragma once
// Super-resolution networks (issue #17 item 4): EDSR-style x2 nets at
// 360x640 and the "sr-edsr" search space over them.
//
// Network (EDSR, Lim et al. 2017, with WDSR-A's wide activation, Yu et al.
// 2018, as a per-block expand ratio e):
//   head      3x3 conv, 3 -> F, on the H x W input
//   blocks    residual blocks on H x W x F; each is
//               normal:    k x k conv F -> eF -> activation -> k x k conv
//                          eF -> F -> + input
//               separable: (k x k depthwise on F, 1x1 conv F -> eF) ->
//                          activation -> (k x k depthwise on eF, 1x1 conv
//                          eF -> F) -> + input
//   tail      3x3 conv F -> F, + head output (EDSR's global skip),
//             the x2 upsampler, 3x3 conv F -> 3 at 2H x 2W
// Batch norm is absent (EDSR removed it); convolutions have biases.
//
// Engines, by the v2 teacher's mapping rules and the whitepaper:
//  - ReLU and LeakyReLU (one slope) fuse into the DPU layer before them
//    (rule 1: free); PReLU (a slope per channel) is a SHAVE `prelu` on the
//    activation's tensor (rule 2); none is nothing;
//  - upsamplers: nearest = a DMA copy writing the 2H x 2W x F tensor
//    (DmaStep); bilinear = a 3x3 depthwise convolution on the DPU over the
//    2H x 2W map read through the DPU's storage-element pointers (no copy):
//    bilinear x2 with half-pixel centres is exactly nearest x2 followed by
//    the separable [1 2 1]/4 filter in both directions; bilinear with align
//    corners = SHAVE `interpolate` (scale 2); depth-to-space = a 3x3 conv
//    F -> 4F then SHAVE `depth_to_space` (block 2), EDSR's own upsampler.
//
// Not every device runs every SHAVE kernel: VPUNN has no PReLU kernel on
// VPU_2_7 and no interpolate kernel on VPU_4_0, so a SHAVE model of those
// devices cannot answer (drop_candidates_without_kernel).
//
// Net config JSON (net_config.hpp reads it when it has an "upsampler"):
//   { "name": "EDSR", "input_size": [360, 640], "in_channels": 3,
//     "n_feats": 32, "scale": 2,
//     "blocks": [ {"kernel_size": 3, "expand_ratio": 1 (optional),
//                  "conv": "normal" | "separable",
//                  "act_func": "relu" | "leaky_relu" | "prelu" | "none"}, ... ],
//     "upsampler": "nearest" | "bilinear" | "bilinear_align_corners" |
//                  "depth_to_space" }
// input_size is [height, width].
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vpucost/network.hpp"
#include "vpucost/network_parts.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {

/// One residual block of an SR net.
struct SrBlock {
  std::int64_t kernel = 3;
  bool separable = false;
  SrActivation activation = SrActivation::relu;
  std::int64_t expand = 1;  ///< e: the activation runs on e x F channels (WDSR-A)
  bool operator==(const SrBlock&) const = default;
};

struct SrNet {
  std::string name = "EDSR";
  std::int64_t input_height = 360;
  std::int64_t input_width = 640;
  std::int64_t in_channels = 3;
  std::int64_t features = 32;  ///< F
  std::int64_t scale = 2;      ///< only x2 is modelled
  std::vector<SrBlock> blocks;
  Upsampler upsampler = Upsampler::depth_to_space;
  bool operator==(const SrNet&) const = default;
};

/// Limits of an SR net (the output, 2x the input, stays within a layer's).
inline constexpr std::int64_t kMaxSrInputSize = kMaxLayerDimension / 2;
inline constexpr std::int64_t kMaxSrKernel = 7;

/// Throws vpucost::Error naming the field (sizes, channels, kernel, scale).
void validate(const SrNet& net);

/// The parts in execution order: "head" (Stem), "blocks[i]" (Block) and
/// "tail" (Block: the global skip, the upsampler and the output conv).
/// Keys: "Conv-input:360x640x3-output:360x640x32",
///       "sr_block-input:360x640x32-kernel:3-expand:1-conv:normal-act:relu",
///       "sr_tail-input:360x640x32-output:720x1280x3-upsampler:nearest"
/// (shapes H x W x C). Validates the net.
std::vector<NetPart> sr_parts(const SrNet& net);
NetPart sr_head_part(const SrNet& net);
NetPart sr_block_part(const SrNet& net, const SrBlock& block);
NetPart sr_tail_part(const SrNet& net);

/// Trainable parameters: convolution weights and biases, PReLU slopes.
std::int64_t sr_parameter_count(const SrNet& net);

/// The sr-edsr space: 360x640 input, F = 32, 8 residual-block positions of
/// 41 candidates each (normal k = 1/3/5 and separable k = 3/5, each with
/// expand 1 (EDSR) or 4 (WDSR-A's wide activation) and ReLU / LeakyReLU /
/// PReLU / none, and the zero op: depth 0..8), then the tail position with
/// the four upsamplers. Its `resolution` is the input
/// height (the width keeps the 16:9 shape: 360 -> 640, 720 -> 1280).
SearchSpace sr_edsr_space();

/// Checks an SR space: the input, F, every block position F -> F stride 1
/// with SR block candidates (and the zero op), the last position the
/// upsamplers. Throws vpucost::Error naming the position. (validate(space)
/// calls it for the family.)
void validate_sr_space(const SearchSpace& space);

/// The input width of an SR space at `resolution` (its input height).
/// Throws vpucost::Error unless the space's aspect ratio gives a whole width.
std::int64_t sr_input_width(const SearchSpace& space, int resolution);

/// The net of an SR space at `resolution` before any block or upsampler is
/// chosen: its input, features and image channels (no blocks).
SrNet sr_base_net(const SearchSpace& space, int resolution);

/// The net an architecture of an SR space picks at `resolution` (zero-op
/// positions left out).
SrNet sr_net_from_architecture(const SearchSpace& space, std::span<const int> arch, int resolution);
/// The part of an SR space's (position, candidate) at `resolution`.
NetPart sr_candidate_part(const SearchSpace& space, int resolution, int position, int candidate);

/// The net config JSON above.
std::string sr_config_json(const SrNet& net);

}  // namespace vpucost
