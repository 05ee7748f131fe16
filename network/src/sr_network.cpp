#include "vpucost/sr_network.hpp"

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

// H x W x C, the order the keys use.
std::string hwc(std::int64_t h, std::int64_t w, std::int64_t c) {
  return to_string(h) + "x" + to_string(w) + "x" + to_string(c);
}

// A k x k layer with 'same' padding and stride 1 on an h x w map.
Layer same_layer(std::string name, LayerKind kind, std::int64_t h, std::int64_t w, std::int64_t in,
                 std::int64_t out, std::int64_t k) {
  const std::int64_t p = k / 2;
  Layer l{std::move(name), kind, w, h, in, out, k, k, 1, {p, p, p, p}};
  validate(l);
  return l;
}

Layer conv(std::string name, std::int64_t h, std::int64_t w, std::int64_t in, std::int64_t out,
           std::int64_t k) {
  return same_layer(std::move(name), LayerKind::Convolution, h, w, in, out, k);
}

Layer depthwise(std::string name, std::int64_t h, std::int64_t w, std::int64_t c, std::int64_t k) {
  return same_layer(std::move(name), LayerKind::DepthwiseConvolution, h, w, c, c, k);
}

Layer add(std::string name, std::int64_t h, std::int64_t w, std::int64_t c) {
  return same_layer(std::move(name), LayerKind::EltwiseAdd, h, w, c, c, 1);
}

std::string sr_where(const SearchSpace& space, std::size_t index) {
  return "search space '" + space.name + "', position " + to_string(index) + ": ";
}

}  // namespace

void validate(const SrNet& n) {
  const auto check = [&](const char* field, std::int64_t v, std::int64_t max) {
    if (v < 1 || v > max) {
      throw Error("SR net '" + n.name + "': " + field + " must be in 1.." + to_string(max) +
                  " (got " + to_string(v) + ")");
    }
  };
  check("input height", n.input_height, kMaxSrInputSize);
  check("input width", n.input_width, kMaxSrInputSize);
  check("input channels", n.in_channels, kMaxSpaceChannels);
  check("features", n.features, kMaxSpaceChannels / 4);  // depth-to-space convolves to 4F
  if (n.scale != 2) {
    throw Error("SR net '" + n.name + "': scale " + to_string(n.scale) +
                " is not modelled (only x2: the upsamplers' engine mapping is for x2)");
  }
  if (n.blocks.size() > static_cast<std::size_t>(kMaxPositions)) {
    throw Error("SR net '" + n.name + "': at most " + to_string(kMaxPositions) + " blocks");
  }
  for (std::size_t i = 0; i < n.blocks.size(); ++i) {
    const std::int64_t k = n.blocks[i].kernel, e = n.blocks[i].expand;
    if (e < 1 || e > kMaxExpandRatio || e * n.features > kMaxSpaceChannels) {
      throw Error("SR net '" + n.name + "': blocks[" + to_string(i) + "]: expand ratio " +
                  to_string(e) + " must be in 1.." + to_string(kMaxExpandRatio) +
                  " and keep e x features within " + to_string(kMaxSpaceChannels));
    }
    if (k < 1 || k > kMaxSrKernel || k % 2 == 0) {
      throw Error("SR net '" + n.name + "': blocks[" + to_string(i) +
                  "]: kernel must be odd and in 1.." + to_string(kMaxSrKernel) + " (got " +
                  to_string(k) + ")");
    }
  }
}

NetPart sr_head_part(const SrNet& n) {
  validate(n);
  const std::int64_t h = n.input_height, w = n.input_width;
  NetPart part{PartKind::Stem, {}, "head", {}, {}, {}};
  part.key = "Conv-input:" + hwc(h, w, n.in_channels) + "-output:" + hwc(h, w, n.features);
  part.layers.push_back(conv("head", h, w, n.in_channels, n.features, 3));
  return part;
}

NetPart sr_block_part(const SrNet& n, const SrBlock& b) {
  validate(n);
  SrNet one = n;
  one.blocks = {b};
  validate(one);
  const std::int64_t h = n.input_height, w = n.input_width, f = n.features, k = b.kernel;
  const std::int64_t wide = b.expand * f;  // the activation's channels
  NetPart part{PartKind::Block, {}, {}, {}, {}, {}};
  part.key = "sr_block-input:" + hwc(h, w, f) + "-kernel:" + to_string(k) +
             "-expand:" + to_string(b.expand) + "-conv:" + (b.separable ? "separable" : "normal") +
             "-act:" + std::string(to_string(b.activation));
  // One convolution of the block, in -> out: k x k, or depthwise k x k then 1x1.
  const auto convolve = [&](const std::string& i, std::int64_t in, std::int64_t out) {
    if (b.separable) {
      part.layers.push_back(depthwise("dw" + i, h, w, in, k));
      part.layers.push_back(conv("pw" + i, h, w, in, out, 1));
    } else {
      part.layers.push_back(conv("conv" + i, h, w, in, out, k));
    }
  };
  convolve("1", f, wide);
  // ReLU / LeakyReLU fuse into the layer just added; PReLU runs on SHAVE.
  if (b.activation == SrActivation::prelu) {
    part.shave.push_back(
        {part.layers.back().name + ".prelu", ShaveOp::prelu, w, h, wide, part.layers.size(), 0});
  }
  convolve("2", wide, f);
  part.layers.push_back(add("residual_add", h, w, f));
  return part;
}

NetPart sr_tail_part(const SrNet& n) {
  validate(n);
  const std::int64_t h = n.input_height, w = n.input_width, f = n.features;
  const std::int64_t oh = h * n.scale, ow = w * n.scale;
  NetPart part{PartKind::Block, {}, "tail", {}, {}, {}};
  part.key = "sr_tail-input:" + hwc(h, w, f) + "-output:" + hwc(oh, ow, n.in_channels) +
             "-upsampler:" + std::string(to_string(n.upsampler));
  part.layers.push_back(conv("body_end", h, w, f, f, 3));
  part.layers.push_back(add("global_add", h, w, f));
  switch (n.upsampler) {
    case Upsampler::nearest:
      part.dma.push_back({"upsample.nearest", ow, oh, f, part.layers.size()});
      break;
    case Upsampler::bilinear:
      // nearest x2 read through storage-element pointers, then [1 2 1]/4 x [1 2 1]/4.
      part.layers.push_back(depthwise("upsample.bilinear", oh, ow, f, 3));
      break;
    case Upsampler::bilinear_align_corners:
      part.shave.push_back(
          {"upsample.interpolate", ShaveOp::interpolate, w, h, f, part.layers.size(), 2});
      break;
    case Upsampler::depth_to_space:
      part.layers.push_back(conv("upsample.conv", h, w, f, 4 * f, 3));
      part.shave.push_back(
          {"upsample.depth_to_space", ShaveOp::depth_to_space, w, h, 4 * f, part.layers.size(), 2});
      break;
  }
  part.layers.push_back(conv("output_conv", oh, ow, f, n.in_channels, 3));
  return part;
}

std::vector<NetPart> sr_parts(const SrNet& n) {
  std::vector<NetPart> parts{sr_head_part(n)};
  for (std::size_t i = 0; i < n.blocks.size(); ++i) {
    parts.push_back(sr_block_part(n, n.blocks[i]));
    parts.back().name = "blocks[" + to_string(i) + "]";
  }
  parts.push_back(sr_tail_part(n));
  return parts;
}

std::int64_t sr_parameter_count(const SrNet& n) {
  validate(n);
  const auto conv_params = [](std::int64_t in, std::int64_t out, std::int64_t k) {
    return in * out * k * k + out;  // weights + bias
  };
  const std::int64_t f = n.features;
  std::int64_t total = conv_params(n.in_channels, f, 3);
  for (const SrBlock& b : n.blocks) {
    const std::int64_t e = b.expand * f, k = b.kernel;
    total += b.separable
                 ? f * (k * k + 1) + conv_params(f, e, 1) + e * (k * k + 1) + conv_params(e, f, 1)
                 : conv_params(f, e, k) + conv_params(e, f, k);
    total += b.activation == SrActivation::prelu ? e : 0;
  }
  total += conv_params(f, f, 3);
  // Only depth-to-space has a trained layer; bilinear's filter is fixed.
  if (n.upsampler == Upsampler::depth_to_space) total += conv_params(f, 4 * f, 3);
  return total + conv_params(f, n.in_channels, 3);
}

SearchSpace sr_edsr_space() {
  SearchSpace space;
  space.name = "sr-edsr";
  space.family = SpaceFamily::SuperResolution;
  space.stem_channels = 32;
  space.feature_mix_channels = 3;  // the output image's channels
  space.num_classes = 3;
  space.input_height = 360;
  space.input_width = 640;
  std::vector<Candidate> blocks;
  const SrActivation acts[] = {SrActivation::relu, SrActivation::lrelu, SrActivation::prelu,
                               SrActivation::none};
  for (const BlockOp op : {BlockOp::SrConv, BlockOp::SrSep}) {
    for (const int e : {1, 4}) {
      for (const int k : {1, 3, 5}) {
        if (op == BlockOp::SrSep && k == 1) continue;  // a 1x1 depthwise is a scale
        for (const SrActivation a : acts) blocks.push_back({false, k, e, op, false, a});
      }
    }
  }
  blocks.push_back(Candidate::zero_op());
  for (int i = 0; i < 8; ++i) space.positions.push_back({i + 1, 32, 32, 1, blocks});
  Position tail{9, 32, 32, 1, {}};
  for (const Upsampler u : {Upsampler::nearest, Upsampler::bilinear,
                            Upsampler::bilinear_align_corners, Upsampler::depth_to_space}) {
    Candidate c;  // the other fields at their defaults, as the space JSON reads them back
    c.op = BlockOp::SrUpsample;
    c.upsampler = u;
    tail.candidates.push_back(c);
  }
  space.positions.push_back(std::move(tail));
  return space;
}

void validate_sr_space(const SearchSpace& space) {
  const auto fail = [&](const std::string& what) {
    throw Error("search space '" + space.name + "': " + what);
  };
  if (space.input_height < 1 || space.input_height > kMaxSrInputSize || space.input_width < 1 ||
      space.input_width > kMaxSrInputSize) {
    fail("the input must be 1.." + to_string(kMaxSrInputSize) + " in both directions");
  }
  if (space.stem_channels < 1 || space.stem_channels > kMaxSpaceChannels / 4) {
    fail("features must be in 1.." + to_string(kMaxSpaceChannels / 4));
  }
  if (space.positions.size() < 1 || space.positions.size() > kMaxPositions) {
    fail("must have 1.." + to_string(kMaxPositions) + " positions (the last is the tail)");
  }
  for (std::size_t i = 0; i < space.positions.size(); ++i) {
    const Position& p = space.positions[i];
    const bool tail = i + 1 == space.positions.size();
    const std::string at = sr_where(space, i);
    if (p.in_channels != space.stem_channels || p.out_channels != space.stem_channels ||
        p.stride != 1) {
      throw Error(at + "an SR position keeps the features: " + to_string(space.stem_channels) +
                  " -> " + to_string(space.stem_channels) + ", stride 1");
    }
    if (p.se || p.hswish) throw Error(at + "SE and h-swish belong to the mobilenetv3 family");
    if (p.candidates.empty() || p.candidates.size() > kMaxCandidates) {
      throw Error(at + "must have 1.." + to_string(kMaxCandidates) + " candidates");
    }
    for (std::size_t c = 0; c < p.candidates.size(); ++c) {
      const Candidate& cand = p.candidates[c];
      const std::string cat = at + "candidate " + to_string(c) + " (" + cand.name() + "): ";
      for (std::size_t d = 0; d < c; ++d) {
        if (p.candidates[d] == cand) throw Error(cat + "listed twice");
      }
      if (tail != (!cand.zero && cand.op == BlockOp::SrUpsample)) {
        throw Error(cat + (tail ? "the last position chooses the upsampler"
                                : "only the last position chooses the upsampler"));
      }
      if (cand.zero || tail) continue;
      if (cand.op != BlockOp::SrConv && cand.op != BlockOp::SrSep) {
        throw Error(cat + "an SR block position takes SR blocks and the zero op");
      }
      if (cand.kernel < 1 || cand.kernel > kMaxSrKernel || cand.kernel % 2 == 0) {
        throw Error(cat + "kernel must be odd and in 1.." + to_string(kMaxSrKernel));
      }
      if (cand.expand_ratio < 1 || cand.expand_ratio > kMaxExpandRatio ||
          std::int64_t(cand.expand_ratio) * space.stem_channels > kMaxSpaceChannels) {
        throw Error(cat + "expand ratio must be in 1.." + to_string(kMaxExpandRatio) +
                    " and keep the wide width within " + to_string(kMaxSpaceChannels));
      }
    }
  }
}

std::int64_t sr_input_width(const SearchSpace& space, int resolution) {
  check_resolution(resolution);
  const std::int64_t scaled = std::int64_t(resolution) * space.input_width;
  if (space.input_height <= 0 || scaled % space.input_height != 0) {
    throw Error("search space '" + space.name + "' keeps its " + to_string(space.input_height) +
                "x" + to_string(space.input_width) + " aspect: input height " +
                to_string(resolution) + " gives no whole width (try " +
                to_string(space.input_height) + ")");
  }
  return scaled / space.input_height;
}

SrNet sr_base_net(const SearchSpace& space, int resolution) {
  SrNet n;
  n.input_height = resolution;
  n.input_width = sr_input_width(space, resolution);
  n.features = space.stem_channels;
  n.in_channels = space.feature_mix_channels;  // the image's channels
  return n;
}

SrNet sr_net_from_architecture(const SearchSpace& space, std::span<const int> arch,
                               int resolution) {
  validate(space);
  validate(space, arch);
  SrNet n = sr_base_net(space, resolution);
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const Candidate& c = space.positions[i].candidates[static_cast<std::size_t>(arch[i])];
    if (c.zero) continue;
    if (c.op == BlockOp::SrUpsample) {
      n.upsampler = c.upsampler;
    } else {
      n.blocks.push_back({c.kernel, c.op == BlockOp::SrSep, c.activation, c.expand_ratio});
    }
  }
  validate(n);
  return n;
}

NetPart sr_candidate_part(const SearchSpace& space, int resolution, int position, int candidate) {
  const Position& p = space.positions.at(static_cast<std::size_t>(position));
  const Candidate& c = p.candidates.at(static_cast<std::size_t>(candidate));
  SrNet n = sr_base_net(space, resolution);
  if (c.op == BlockOp::SrUpsample) {
    n.upsampler = c.upsampler;
    return sr_tail_part(n);
  }
  return sr_block_part(n, {c.kernel, c.op == BlockOp::SrSep, c.activation, c.expand_ratio});
}

}  // namespace vpucost
