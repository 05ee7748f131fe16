#pragma once
// Search spaces of MBConv networks (ProxylessNAS / once-for-all style).
//
// A space is a fixed stem (3x3 stride-2 convolution from RGB), an ordered list
// of searchable positions, and a fixed head (1x1 feature-mix convolution,
// global average pool, classifier). Each position is one block with fixed
// input/output channels and stride and a list of candidate operations: MBConv
// blocks (kernel x expand ratio) and, where the block could be an identity
// (stride 1, same width), the zero op that skips it. An architecture picks one
// candidate per position.
//
// Two families. ProxylessNAS (and MobileNetV2): ReLU6 blocks, key field
// `expand` = expand ratio, head = feature mix -> pool + classifier.
// once-for-all's MobileNetV3: per position a squeeze-and-excitation module
// and h-swish or ReLU activations (fixed by the stage, not searched), the
// middle width rounded to a multiple of 8, key field `expand` = middle
// channels plus `se` and `hs`, head = final expand 1x1 (Conv_1) -> global
// pool (AvgPool2D) -> 1x1 on the pooled vector (Conv_2) -> classifier.
//
// Built in: "proxyless" (the ProxylessNAS ImageNet supernet), "mobilenetv2"
// (MobileNetV2, one candidate per position) and "ofa-mbv3" (once-for-all's
// MobileNetV3 space at width 1.2). User spaces come from JSON
// (search_space_json.hpp).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vpucost {

/// The block an operation builds (hurricane_space.hpp describes the last three).
enum class BlockOp : std::uint8_t {
  MBConv,           ///< inverted residual: expand 1x1, depthwise, project 1x1
  Sep,              ///< depthwise-separable convolution twice (HURRICANE's SEP)
  Shuffle,          ///< ShuffleNetV2 block (HURRICANE's / SPOS's Choice_k)
  ShuffleXception,  ///< ShuffleNetV2 Xception block (ChoiceX), kernel 3
  SrConv,           ///< super-resolution residual block of two k x k convs (sr_network.hpp)
  SrSep,            ///< the same with depthwise-separable convs
  SrUpsample,       ///< a super-resolution net's tail with one of the upsamplers
};
/// "mb", "sep", "choice", "choicex", "sr_conv", "sr_sep", "sr_upsample".
std::string_view to_string(BlockOp op);

/// A super-resolution block's activation (sr_network.hpp says where each runs).
enum class SrActivation : std::uint8_t { none, relu, lrelu, prelu };
/// "none", "relu", "lrelu", "prelu".
std::string_view to_string(SrActivation a);
/// A super-resolution net's x2 upsampler.
enum class Upsampler : std::uint8_t { nearest, bilinear, bilinear_align_corners, depth_to_space };
/// "nearest", "bilinear", "bilinear_align_corners", "depth_to_space".
std::string_view to_string(Upsampler u);

/// One candidate operation of a position.
struct Candidate {
  bool zero = false;             ///< the zero op: the block is skipped (costs nothing)
  int kernel = 3;                ///< depthwise kernel
  int expand_ratio = 1;          ///< 1 = no expand convolution (MBConv); SR blocks: the wide
                                 ///< activation's ratio
  BlockOp op = BlockOp::MBConv;  ///< not MBConv: HURRICANE family only
  /// HURRICANE family: the operation's SE variant (SE module, h-swish activations).
  bool se = false;
  /// Super-resolution family: a block's activation (SrConv, SrSep) ...
  SrActivation activation = SrActivation::relu;
  /// ... or the tail's upsampler (SrUpsample).
  Upsampler upsampler = Upsampler::nearest;

  static Candidate mbconv(int kernel, int expand_ratio) {
    return {false,
            kernel,
            expand_ratio,
            BlockOp::MBConv,
            false,
            SrActivation::relu,
            Upsampler::nearest};
  }
  static Candidate zero_op() {
    return {true, 0, 0, BlockOp::MBConv, false, SrActivation::relu, Upsampler::nearest};
  }
  /// "k3_e6", "zero"; HURRICANE's ops "sep_k3", "choice_k5", "choicex", and
  /// "_se" appended for an SE variant ("k3_e6_se"); super-resolution blocks
  /// "k3_relu", "k3_e4_relu" (wide activation), "sep_k5_prelu" and upsamplers "up_nearest",
  /// "up_bilinear", "up_bilinear_ac", "up_d2s".
  std::string name() const;
  bool operator==(const Candidate&) const = default;
};

struct Position {
  int stage = 0;  ///< 0 = the first block after the stem; stages count from 1
  int in_channels = 0;
  int out_channels = 0;
  int stride = 1;
  std::vector<Candidate> candidates;
  bool se = false;      ///< MobileNetV3 family: a squeeze-and-excitation module
  bool hswish = false;  ///< MobileNetV3 family: h-swish activations (else ReLU)

  /// Whether the position's MBConv candidates have an identity shortcut
  /// (stride 1 and equal channels): then the zero op is allowed too.
  bool residual() const { return stride == 1 && in_channels == out_channels; }
  bool operator==(const Position&) const = default;
};

/// HURRICANE: SPOS's backbone (ProxylessNAS-style head: 1x1 conv, pool,
/// classifier) with HURRICANE's operator pool (hurricane_space.hpp).
/// SuperResolution: EDSR-style x2 nets (sr_network.hpp): head conv,
/// residual-block positions, a tail position choosing the upsampler.
enum class SpaceFamily : std::uint8_t { ProxylessNAS, MobileNetV3, Hurricane, SuperResolution };
/// "proxylessnas", "mobilenetv3", "hurricane" or "super_resolution".
std::string_view to_string(SpaceFamily family);

struct SearchSpace {
  std::string name;
  SpaceFamily family = SpaceFamily::ProxylessNAS;
  int stem_channels = 32;  ///< output channels of the 3x3 stride-2 first conv
  std::vector<Position> positions;
  /// ProxylessNAS: the 1x1 conv after the last position. MobileNetV3: the 1x1
  /// on the pooled vector (Conv_2, h-swish).
  int feature_mix_channels = 1280;
  /// MobileNetV3 only: the final expand 1x1 conv after the last position
  /// (Conv_1, h-swish), before the global pool.
  int final_expand_channels = 0;
  int num_classes = 1000;  ///< classifier outputs
  /// SuperResolution only: the native input (height = its default
  /// resolution; the width follows the same aspect at other resolutions).
  int input_height = 0;
  int input_width = 0;
  bool operator==(const SearchSpace&) const = default;
};

/// Whether some part of the space runs on the SHAVE cores (MobileNetV3's
/// stem and head, an SE or h-swish position, a HURRICANE SE variant, an SR
/// block with PReLU, an SR upsampler on SHAVE).
bool runs_on_shave(const SearchSpace& space);

/// once-for-all's make_divisible(v, 8): v rounded to the nearest multiple
/// of 8, at least 8, never below 90 % of v.
std::int64_t make_divisible_by_8(double value);
/// The middle (expanded) width of a candidate at a position: in x expand
/// (ProxylessNAS) or make_divisible_by_8(in x expand) (MobileNetV3).
std::int64_t middle_channels(const SearchSpace& space, const Position& position,
                             const Candidate& candidate);

/// One candidate index per position.
using Architecture = std::vector<int>;

/// Resolutions a space can be costed at. ProxylessNAS and once-for-all use
/// 128..224; the wider range lets users go beyond.
inline constexpr int kMinResolution = 32;
inline constexpr int kMaxResolution = 1024;
/// Limits on a space's numbers (far beyond real networks).
inline constexpr int kMaxSpaceChannels = 16384;
inline constexpr int kMaxKernel = 15;
inline constexpr int kMaxExpandRatio = 32;
inline constexpr int kMaxPositions = 1024;
inline constexpr int kMaxCandidates = 256;  ///< per position

/// ProxylessNAS ImageNet supernet: stem 3->32 (3x3, stride 2); first block
/// 32->16 expand 1 kernel 3/5/7; stages of widths 24, 40, 80, 96, 192, 320
/// with 4, 4, 4, 4, 4, 1 blocks and first strides 2, 2, 2, 1, 2, 1; every
/// position MBConv kernel 3/5/7 x expand 3/6, plus the zero op on stride-1
/// same-width positions; feature mix 320->1280; classifier 1280->1000.
SearchSpace proxyless_space();
/// MobileNetV2 1.0: its standard block list (t, c, n, s) = (1,16,1,1),
/// (6,24,2,2), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1),
/// all kernel 3, one candidate per position.
SearchSpace mobilenetv2_space();
/// once-for-all's MobileNetV3 space at width multiplier 1.2 (the one its
/// published latency tables are for): stem 3->24 (h-swish); first block
/// 24->24 expand 1 kernel 3 (ReLU, identity shortcut); stages of widths 32,
/// 48, 96, 136, 192 with first strides 2, 2, 2, 1, 2, activations ReLU,
/// ReLU, h-swish, h-swish, h-swish and SE on stages 2, 4, 5; 4 positions per
/// stage, kernel 3/5/7 x expand 3/4/6, the zero op on the third and fourth
/// (depth 2-4); final expand 192->1152, Conv_2 1152->1536, classifier 1000.
SearchSpace ofa_mbv3_space();
/// "proxyless", "mobilenetv2", "ofa-mbv3", "hurricane" (hurricane_space.hpp)
/// or "sr-edsr" (sr_network.hpp); throws vpucost::Error listing the names.
SearchSpace builtin_space(std::string_view name);
std::span<const std::string_view> builtin_space_names();

/// Checks channel chaining (each position's input = the previous output, the
/// first = stem_channels), strides 1/2, odd kernels, expand ratios, limits,
/// non-empty candidate lists without duplicates, and the zero op only on
/// residual positions. Throws vpucost::Error naming the position.
void validate(const SearchSpace& space);

/// Throws vpucost::Error unless kMinResolution <= resolution <= kMaxResolution.
void check_resolution(int resolution);
/// Feature-map size after the stem: (resolution + 1) / 2, as ProxylessNAS
/// and once-for-all compute it.
std::int64_t stem_output_size(int resolution);
/// Input feature-map size of every position, plus (last element) the size
/// after the last position. A stride-s block maps n to (n - 1) / s + 1.
std::vector<std::int64_t> feature_sizes(const SearchSpace& space, int resolution);

/// Throws vpucost::Error unless `arch` has one valid candidate index per position.
void validate(const SearchSpace& space, std::span<const int> arch);

}  // namespace vpucost
