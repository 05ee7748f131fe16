#include "vpucost/search_space.hpp"

#include <algorithm>
#include <array>

#include "vpucost/error.hpp"
#include "vpucost/hurricane_space.hpp"
#include "vpucost/sr_network.hpp"

namespace vpucost {
namespace {

using std::to_string;

constexpr std::array<std::string_view, 5> kBuiltinNames{"proxyless", "mobilenetv2", "ofa-mbv3",
                                                        "hurricane", "sr-edsr"};

struct Stage {
  int width;
  int blocks;
  int first_stride;
};

// Positions of a stage list; every position gets the MBConv candidates, and
// the zero op too where the block can be an identity.
void add_stages(SearchSpace& space, std::span<const Stage> stages,
                std::span<const Candidate> mbconv, bool zero_on_residual) {
  int in = space.positions.empty() ? space.stem_channels : space.positions.back().out_channels;
  int stage_index = 1;
  for (const Stage& s : stages) {
    for (int b = 0; b < s.blocks; ++b) {
      Position p;
      p.stage = stage_index;
      p.in_channels = in;
      p.out_channels = s.width;
      p.stride = b == 0 ? s.first_stride : 1;
      p.candidates.assign(mbconv.begin(), mbconv.end());
      if (zero_on_residual && p.residual()) p.candidates.push_back(Candidate::zero_op());
      space.positions.push_back(std::move(p));
      in = s.width;
    }
    ++stage_index;
  }
}

std::string where(const SearchSpace& space, std::size_t index) {
  return "search space '" + space.name + "', position " + to_string(index) + ": ";
}

}  // namespace

std::string_view to_string(BlockOp op) {
  switch (op) {
    case BlockOp::MBConv:
      return "mb";
    case BlockOp::Sep:
      return "sep";
    case BlockOp::Shuffle:
      return "choice";
    case BlockOp::ShuffleXception:
      return "choicex";
    case BlockOp::SrConv:
      return "sr_conv";
    case BlockOp::SrSep:
      return "sr_sep";
    case BlockOp::SrUpsample:
      return "sr_upsample";
  }
  return "<invalid>";
}

std::string_view to_string(SrActivation a) {
  switch (a) {
    case SrActivation::none:
      return "none";
    case SrActivation::relu:
      return "relu";
    case SrActivation::lrelu:
      return "lrelu";
    case SrActivation::prelu:
      return "prelu";
  }
  return "<invalid>";
}

std::string_view to_string(Upsampler u) {
  switch (u) {
    case Upsampler::nearest:
      return "nearest";
    case Upsampler::bilinear:
      return "bilinear";
    case Upsampler::bilinear_align_corners:
      return "bilinear_align_corners";
    case Upsampler::depth_to_space:
      return "depth_to_space";
  }
  return "<invalid>";
}

std::string Candidate::name() const {
  if (zero) return "zero";
  std::string n;
  switch (op) {
    case BlockOp::MBConv:
      n = "k" + to_string(kernel) + "_e" + to_string(expand_ratio);
      break;
    case BlockOp::Sep:
    case BlockOp::Shuffle:
      n = std::string(to_string(op)) + "_k" + to_string(kernel);
      break;
    case BlockOp::ShuffleXception:
      n = "choicex";
      break;
    case BlockOp::SrConv:
    case BlockOp::SrSep:
      n = std::string(op == BlockOp::SrSep ? "sep_" : "") + "k" + to_string(kernel) +
          (expand_ratio != 1 ? "_e" + to_string(expand_ratio) : "") + "_" +
          std::string(vpucost::to_string(activation));
      break;
    case BlockOp::SrUpsample:
      n = upsampler == Upsampler::bilinear_align_corners ? "up_bilinear_ac"
          : upsampler == Upsampler::depth_to_space
              ? "up_d2s"
              : "up_" + std::string(vpucost::to_string(upsampler));
      break;
  }
  return se ? n + "_se" : n;
}

SearchSpace proxyless_space() {
  SearchSpace space;
  space.name = "proxyless";
  space.positions.push_back(
      {0, 32, 16, 1, {Candidate::mbconv(3, 1), Candidate::mbconv(5, 1), Candidate::mbconv(7, 1)}});
  std::vector<Candidate> mbconv;
  for (int e : {3, 6}) {
    for (int k : {3, 5, 7}) mbconv.push_back(Candidate::mbconv(k, e));
  }
  const Stage stages[] = {{24, 4, 2}, {40, 4, 2}, {80, 4, 2}, {96, 4, 1}, {192, 4, 2}, {320, 1, 1}};
  add_stages(space, stages, mbconv, true);
  return space;
}

SearchSpace mobilenetv2_space() {
  SearchSpace space;
  space.name = "mobilenetv2";
  space.positions.push_back({0, 32, 16, 1, {Candidate::mbconv(3, 1)}});
  const Candidate e6[] = {Candidate::mbconv(3, 6)};
  const Stage stages[] = {{24, 2, 2}, {32, 3, 2}, {64, 4, 2}, {96, 3, 1}, {160, 3, 2}, {320, 1, 1}};
  add_stages(space, stages, e6, false);
  return space;
}

SearchSpace ofa_mbv3_space() {
  SearchSpace space;
  space.name = "ofa-mbv3";
  space.family = SpaceFamily::MobileNetV3;
  space.stem_channels = 24;
  Position first{0, 24, 24, 1, {Candidate::mbconv(3, 1)}};
  space.positions.push_back(first);
  std::vector<Candidate> mbconv;
  for (int e : {3, 4, 6}) {
    for (int k : {3, 5, 7}) mbconv.push_back(Candidate::mbconv(k, e));
  }
  struct Mbv3Stage {
    int width, first_stride;
    bool se, hswish;
  };
  // once-for-all's OFAMobileNetV3 (width 1.2): base widths 24, 40, 80, 112,
  // 160 times 1.2, made divisible by 8.
  const Mbv3Stage stages[] = {{32, 2, false, false},
                              {48, 2, true, false},
                              {96, 2, false, true},
                              {136, 1, true, true},
                              {192, 2, true, true}};
  int in = 24;
  for (std::size_t s = 0; s < std::size(stages); ++s) {
    for (int b = 0; b < 4; ++b) {
      Position p{static_cast<int>(s) + 1, in, stages[s].width, b == 0 ? stages[s].first_stride : 1,
                 mbconv};
      p.se = stages[s].se;
      p.hswish = stages[s].hswish;
      // Depth 2-4: the third and fourth blocks of a stage may be left out.
      if (b >= 2) p.candidates.push_back(Candidate::zero_op());
      space.positions.push_back(std::move(p));
      in = stages[s].width;
    }
  }
  space.final_expand_channels = 1152;
  space.feature_mix_channels = 1536;
  return space;
}

std::string_view to_string(SpaceFamily family) {
  switch (family) {
    case SpaceFamily::ProxylessNAS:
      return "proxylessnas";
    case SpaceFamily::MobileNetV3:
      return "mobilenetv3";
    case SpaceFamily::Hurricane:
      return "hurricane";
    case SpaceFamily::SuperResolution:
      return "super_resolution";
  }
  return "<invalid>";
}

bool runs_on_shave(const SearchSpace& space) {
  if (space.family == SpaceFamily::MobileNetV3) return true;
  for (const Position& p : space.positions) {
    if (p.se || p.hswish) return true;
    for (const Candidate& c : p.candidates) {
      if (c.se) return true;
      if (c.zero || space.family != SpaceFamily::SuperResolution) continue;
      if (c.op == BlockOp::SrUpsample ? c.upsampler == Upsampler::bilinear_align_corners ||
                                            c.upsampler == Upsampler::depth_to_space
                                      : c.activation == SrActivation::prelu) {
        return true;
      }
    }
  }
  return false;
}

std::int64_t make_divisible_by_8(double value) {
  auto v = std::max<std::int64_t>(8, static_cast<std::int64_t>(value + 4.0) / 8 * 8);
  if (double(v) < 0.9 * value) v += 8;
  return v;
}

std::int64_t middle_channels(const SearchSpace& space, const Position& position,
                             const Candidate& candidate) {
  const std::int64_t mid = std::int64_t(position.in_channels) * candidate.expand_ratio;
  if (space.family == SpaceFamily::ProxylessNAS || candidate.expand_ratio == 1) return mid;
  return make_divisible_by_8(double(mid));
}

std::span<const std::string_view> builtin_space_names() {
  return kBuiltinNames;
}

SearchSpace builtin_space(std::string_view name) {
  if (name == "proxyless") return proxyless_space();
  if (name == "mobilenetv2") return mobilenetv2_space();
  if (name == "ofa-mbv3") return ofa_mbv3_space();
  if (name == "hurricane") return hurricane_space();
  if (name == "sr-edsr") return sr_edsr_space();
  throw Error("unknown search space '" + std::string(name) +
              "' (built in: proxyless, mobilenetv2, ofa-mbv3, hurricane, sr-edsr; or a JSON file)");
}

void validate(const SearchSpace& space) {
  if (space.family == SpaceFamily::SuperResolution) return validate_sr_space(space);
  const auto check_channels = [&](const std::string& what, int value) {
    if (value < 1 || value > kMaxSpaceChannels) {
      throw Error("search space '" + space.name + "': " + what + " must be in 1.." +
                  to_string(kMaxSpaceChannels) + " (got " + to_string(value) + ")");
    }
  };
  check_channels("stem channels", space.stem_channels);
  check_channels("feature mix channels", space.feature_mix_channels);
  check_channels("number of classes", space.num_classes);
  if (space.family == SpaceFamily::MobileNetV3) {
    check_channels("final expand channels", space.final_expand_channels);
  } else if (space.final_expand_channels != 0) {
    throw Error("search space '" + space.name +
                "': a final expand layer belongs to the mobilenetv3 family");
  }
  if (space.positions.empty() || space.positions.size() > kMaxPositions) {
    throw Error("search space '" + space.name + "' must have 1.." + to_string(kMaxPositions) +
                " positions (got " + to_string(space.positions.size()) + ")");
  }
  int in = space.stem_channels;
  for (std::size_t i = 0; i < space.positions.size(); ++i) {
    const Position& p = space.positions[i];
    const std::string at = where(space, i);
    if (p.in_channels != in) {
      throw Error(at + "input channels " + to_string(p.in_channels) +
                  " do not match the previous output channels " + to_string(in));
    }
    if (p.out_channels < 1 || p.out_channels > kMaxSpaceChannels) {
      throw Error(at + "output channels must be in 1.." + to_string(kMaxSpaceChannels) + " (got " +
                  to_string(p.out_channels) + ")");
    }
    if (p.stride != 1 && p.stride != 2) {
      throw Error(at + "stride must be 1 or 2 (got " + to_string(p.stride) + ")");
    }
    if (p.candidates.empty()) throw Error(at + "has no candidate operations");
    if (space.family != SpaceFamily::MobileNetV3 && (p.se || p.hswish)) {
      throw Error(at + "SE and h-swish belong to the mobilenetv3 family");
    }
    if (p.candidates.size() > kMaxCandidates) {
      throw Error(at + "has " + to_string(p.candidates.size()) + " candidates; at most " +
                  to_string(kMaxCandidates) + " are accepted");
    }
    for (std::size_t c = 0; c < p.candidates.size(); ++c) {
      const Candidate& cand = p.candidates[c];
      const std::string cat = at + "candidate " + to_string(c) + " (" + cand.name() + "): ";
      for (std::size_t d = 0; d < c; ++d) {
        if (p.candidates[d] == cand) throw Error(cat + "listed twice");
      }
      if (cand.op == BlockOp::SrConv || cand.op == BlockOp::SrSep ||
          cand.op == BlockOp::SrUpsample) {
        throw Error(cat + "super-resolution operations belong to the super_resolution family");
      }
      if ((cand.op != BlockOp::MBConv || cand.se) && space.family != SpaceFamily::Hurricane) {
        throw Error(cat + "HURRICANE's operators and SE variants belong to the hurricane family");
      }
      if (cand.op == BlockOp::ShuffleXception && cand.kernel != 3) {
        throw Error(cat + "the Xception block has kernel 3");
      }
      if ((cand.op == BlockOp::Shuffle || cand.op == BlockOp::ShuffleXception) &&
          !shuffle_block_possible(p.stride, p.in_channels, p.out_channels)) {
        throw Error(cat + kShuffleChannelRule);
      }
      if (cand.zero) {
        if (!p.residual()) {
          throw Error(cat + "the zero op needs stride 1 and equal input and output channels");
        }
        continue;
      }
      if (cand.kernel < 1 || cand.kernel > kMaxKernel || cand.kernel % 2 == 0) {
        throw Error(cat + "kernel must be odd and in 1.." + to_string(kMaxKernel));
      }
      if (cand.expand_ratio < 1 || cand.expand_ratio > kMaxExpandRatio) {
        throw Error(cat + "expand ratio must be in 1.." + to_string(kMaxExpandRatio));
      }
      if (static_cast<std::int64_t>(p.in_channels) * cand.expand_ratio > kMaxSpaceChannels) {
        throw Error(cat + "expanded width " + to_string(p.in_channels * cand.expand_ratio) +
                    " exceeds " + to_string(kMaxSpaceChannels));
      }
    }
    in = p.out_channels;
  }
}

void check_resolution(int resolution) {
  if (resolution < kMinResolution || resolution > kMaxResolution) {
    throw Error("resolution must be in " + to_string(kMinResolution) + ".." +
                to_string(kMaxResolution) + " (got " + to_string(resolution) + ")");
  }
}

std::int64_t stem_output_size(int resolution) {
  return (resolution + 1) / 2;
}

std::vector<std::int64_t> feature_sizes(const SearchSpace& space, int resolution) {
  check_resolution(resolution);
  std::vector<std::int64_t> sizes{stem_output_size(resolution)};
  for (const Position& p : space.positions) sizes.push_back((sizes.back() - 1) / p.stride + 1);
  return sizes;
}

void validate(const SearchSpace& space, std::span<const int> arch) {
  if (arch.size() != space.positions.size()) {
    throw Error("architecture has " + to_string(arch.size()) + " choices; search space '" +
                space.name + "' has " + to_string(space.positions.size()) + " positions");
  }
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const auto n = static_cast<int>(space.positions[i].candidates.size());
    if (arch[i] < 0 || arch[i] >= n) {
      throw Error(where(space, i) + "choice " + to_string(arch[i]) +
                  " is not a candidate index 0.." + to_string(n - 1));
    }
  }
}

}  // namespace vpucost
