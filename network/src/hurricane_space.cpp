#include "vpucost/hurricane_space.hpp"

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

// Appends layers to a part; an activated layer gets its h-swish on SHAVE in
// an SE variant (ReLU otherwise, fused: nothing to add).
struct HurricaneBuilder {
  NetPart& part;
  bool hswish;

  void add(Layer l, bool activated) {
    part.layers.push_back(std::move(l));
    const Layer& last = part.layers.back();
    if (activated && hswish) {
      part.shave.push_back({last.name + ".act", ShaveOp::hswish, last.out_width(),
                            last.out_height(), last.out_channels, part.layers.size(), 0});
    }
  }
  void pointwise(const std::string& name, std::int64_t size, std::int64_t in, std::int64_t out) {
    add(conv_layer(name, size, in, out, 1, 1), true);
  }
  void depthwise(const std::string& name, std::int64_t size, std::int64_t channels,
                 std::int64_t kernel, std::int64_t stride) {
    add(depthwise_layer(name, size, channels, kernel, stride), false);  // BN only
  }
};

std::string hurricane_key(const HurricaneBlock& b, std::int64_t out_size) {
  const auto shape = [](std::int64_t s, std::int64_t c) {
    return to_string(s) + "x" + to_string(s) + "x" + to_string(c);
  };
  return std::string(to_string(b.op)) + "-input:" + shape(b.size, b.in_channels) +
         "-output:" + shape(out_size, b.out_channels) + "-kernel:" + to_string(b.kernel) +
         "-expand:" + to_string(b.op == BlockOp::MBConv ? b.expand_ratio : 1) +
         "-stride:" + to_string(b.stride) + "-se:" + (b.se ? "1" : "0");
}

// ShuffleNetV2 blocks: the projection branch of a stride-2 block, then the
// main branch (Choice_k or ChoiceX) on in/2 (stride 1) or in (stride 2).
void shuffle_block(const HurricaneBlock& b, HurricaneBuilder& out) {
  const std::int64_t s = b.size, o = (b.size - 1) / b.stride + 1;
  const std::int64_t mid = b.out_channels / 2;
  const std::int64_t branch_in = b.stride == 1 ? b.in_channels / 2 : b.in_channels;
  const std::int64_t branch_out =
      b.out_channels - (b.stride == 1 ? b.in_channels / 2 : b.in_channels);
  if (b.stride == 2) {
    out.depthwise("proj.dw", s, b.in_channels, b.kernel, 2);
    out.pointwise("proj.pw", o, b.in_channels, b.in_channels);
  }
  if (b.op == BlockOp::Shuffle) {
    out.pointwise("branch.pw1", s, branch_in, mid);
    out.depthwise("branch.dw", s, mid, b.kernel, b.stride);
    if (b.se) append_se(out.part, "branch.se", o, mid);
    out.pointwise("branch.pw2", o, mid, branch_out);
    return;
  }
  out.depthwise("branch.dw1", s, branch_in, 3, b.stride);
  out.pointwise("branch.pw1", o, branch_in, mid);
  out.depthwise("branch.dw2", o, mid, 3, 1);
  out.pointwise("branch.pw2", o, mid, mid);
  out.depthwise("branch.dw3", o, mid, 3, 1);
  if (b.se) append_se(out.part, "branch.se", o, mid);
  out.pointwise("branch.pw3", o, mid, branch_out);
}

}  // namespace

SearchSpace hurricane_space() {
  SearchSpace space;
  space.name = "hurricane";
  space.family = SpaceFamily::Hurricane;
  space.stem_channels = 16;
  space.feature_mix_channels = 1024;
  std::vector<Candidate> ops;
  for (const bool se : {false, true}) {
    for (int k : {3, 5, 7}) ops.push_back({false, k, 1, BlockOp::Sep, se});
    for (int e : {1, 3, 6}) {
      for (int k : {3, 5, 7}) ops.push_back({false, k, e, BlockOp::MBConv, se});
    }
    for (int k : {3, 5, 7}) ops.push_back({false, k, 1, BlockOp::Shuffle, se});
    ops.push_back({false, 3, 1, BlockOp::ShuffleXception, se});
  }
  const struct { int width, layers; } stages[] = {{64, 4}, {160, 4}, {320, 8}, {640, 4}};
  int in = space.stem_channels;
  for (std::size_t s = 0; s < std::size(stages); ++s) {
    for (int l = 0; l < stages[s].layers; ++l) {
      space.positions.push_back(
          {static_cast<int>(s) + 1, in, stages[s].width, l == 0 ? 2 : 1, ops});
      in = stages[s].width;
    }
  }
  return space;
}

NetPart hurricane_block_part(const HurricaneBlock& b) {
  const std::int64_t out_size = (b.size - 1) / b.stride + 1;
  NetPart part{PartKind::Block, hurricane_key(b, out_size), {}, {}, {}, {}};
  HurricaneBuilder out{part, b.se};
  switch (b.op) {
    case BlockOp::MBConv: {
      Mbv3Block m;
      m.conv = {b.size,
                b.in_channels,
                b.out_channels,
                b.kernel,
                b.stride,
                b.expand_ratio,
                b.in_channels * b.expand_ratio,
                residual_possible(b.stride, b.in_channels, b.out_channels)};
      m.se = m.hswish = b.se;
      NetPart mb = mbv3_block_part(m);
      part.layers = std::move(mb.layers);
      part.shave = std::move(mb.shave);
      break;
    }
    case BlockOp::Sep:
      out.depthwise("sep.dw1", b.size, b.in_channels, b.kernel, b.stride);
      out.pointwise("sep.pw1", out_size, b.in_channels, b.out_channels);
      out.depthwise("sep.dw2", out_size, b.out_channels, b.kernel, 1);
      if (b.se) append_se(part, "sep.se", out_size, b.out_channels);
      out.pointwise("sep.pw2", out_size, b.out_channels, b.out_channels);
      break;
    case BlockOp::Shuffle:
    case BlockOp::ShuffleXception:
      if (!shuffle_block_possible(b.stride, b.in_channels, b.out_channels)) {
        throw Error("ShuffleNetV2 block " + part.key + ": " + kShuffleChannelRule);
      }
      shuffle_block(b, out);
      break;
    case BlockOp::SrConv:
    case BlockOp::SrSep:
    case BlockOp::SrUpsample:
      throw Error("block " + part.key + ": super-resolution operations are not HURRICANE blocks");
  }
  for (const Layer& l : part.layers) validate(l);
  return part;
}

}  // namespace vpucost
