#include "vpucost/network_parts.hpp"

#include "vpucost/error.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {
namespace {

using std::to_string;

std::string shape(std::int64_t size, std::int64_t channels) {
  return to_string(size) + "x" + to_string(size) + "x" + to_string(channels);
}

}  // namespace

std::string_view to_string(PartKind kind) {
  switch (kind) {
    case PartKind::Stem:
      return "stem";
    case PartKind::Block:
      return "block";
    case PartKind::FeatureMix:
      return "feature_mix";
    case PartKind::Logits:
      return "logits";
    case PartKind::Pool:
      return "pool";
    case PartKind::PooledMix:
      return "pooled_mix";
  }
  return "<invalid>";
}

NetPart stem_part(std::int64_t resolution, std::int64_t in_channels, std::int64_t out_channels,
                  std::int64_t kernel, std::int64_t stride) {
  NetPart part{PartKind::Stem, {}, "first_conv", {}, {}, {}};
  part.layers.push_back(
      conv_layer("first_conv", resolution, in_channels, out_channels, kernel, stride));
  validate(part.layers.front());
  part.key = "Conv-input:" + shape(resolution, in_channels) +
             "-output:" + shape(part.layers.front().out_width(), out_channels);
  return part;
}

NetPart block_part(const MBConv& block) {
  NetPart part{PartKind::Block, {}, {}, mbconv_layers(block), {}, {}};
  part.key = "expanded_conv-input:" + shape(block.size, block.in_channels) +
             "-output:" + shape(block.out_size(), block.out_channels) +
             "-expand:" + to_string(block.expand_ratio) + "-kernel:" + to_string(block.kernel) +
             "-stride:" + to_string(block.stride) + "-idskip:" + (block.residual ? "1" : "0");
  return part;
}

NetPart feature_mix_part(std::int64_t size, std::int64_t in_channels, std::int64_t out_channels,
                         std::int64_t kernel) {
  NetPart part{PartKind::FeatureMix, {}, "feature_mix_layer", {}, {}, {}};
  part.layers.push_back(conv_layer("feature_mix", size, in_channels, out_channels, kernel, 1));
  validate(part.layers.front());
  part.key = "Conv_1-input:" + shape(size, in_channels) + "-output:" + shape(size, out_channels);
  return part;
}

NetPart logits_part(std::int64_t size, std::int64_t in_features, std::int64_t out_features) {
  NetPart part{PartKind::Logits, {}, "classifier", {}, {}, {}};
  part.layers.push_back(global_avg_pool_layer("global_avgpool", size, in_features));
  part.layers.push_back(fully_connected_layer("classifier", in_features, out_features));
  for (const Layer& l : part.layers) validate(l);
  part.key = "Logits-input:" + shape(size, in_features) + "-output:" + to_string(out_features);
  return part;
}

std::vector<Layer> global_avg_pool_layers(const std::string& name, std::int64_t size,
                                          std::int64_t channels) {
  constexpr std::int64_t kMaxPoolKernel = 15;  // VPUNN's largest kernel
  if (size <= kMaxPoolKernel) return {global_avg_pool_layer(name, size, channels)};
  for (std::int64_t s = 2; s <= 8; ++s) {
    if (size % s != 0 || size / s > kMaxPoolKernel) continue;
    Layer pre = pool_layer(name + "[pre-pool]", LayerKind::AvgPool, size, channels, s, s);
    pre.padding = {};  // kernel = stride: no overlap, no padding
    return {pre, global_avg_pool_layer(name, size / s, channels)};
  }
  throw Error("global average pool '" + name + "' over a " + to_string(size) + "x" +
              to_string(size) +
              " map: no pre-pool of 2..8 divides it down to 15 or less (VPUNN's largest kernel)");
}

namespace {

std::string mbv3_block_key(const Mbv3Block& b) {
  const MBConv& c = b.conv;
  return "expanded_conv-input:" + shape(c.size, c.in_channels) +
         "-output:" + shape(c.out_size(), c.out_channels) + "-expand:" + to_string(c.mid()) +
         "-kernel:" + to_string(c.kernel) + "-stride:" + to_string(c.stride) +
         "-idskip:" + (c.residual ? "1" : "0") + "-se:" + (b.se ? "1" : "0") +
         "-hs:" + (b.hswish ? "1" : "0");
}

NetPart validated_part(NetPart part) {
  for (const Layer& l : part.layers) validate(l);
  return part;
}

}  // namespace

void append_se(NetPart& part, const std::string& name, std::int64_t size, std::int64_t channels) {
  const std::int64_t reduced = make_divisible_by_8(double(channels / 4));
  for (Layer& pool : global_avg_pool_layers(name + ".avgpool", size, channels)) {
    part.layers.push_back(std::move(pool));
  }
  part.layers.push_back(fully_connected_layer(name + ".reduce", channels, reduced));  // + ReLU
  part.layers.push_back(fully_connected_layer(name + ".expand", reduced, channels));
  part.shave.push_back(
      {name + ".hsigmoid", ShaveOp::hsigmoid, 1, 1, channels, part.layers.size(), 0});
  part.shave.push_back(
      {name + ".scale", ShaveOp::mul, size, size, channels, part.layers.size(), 0});
}

NetPart mbv3_stem_part(std::int64_t resolution, std::int64_t out_channels, bool hswish) {
  NetPart part = stem_part(resolution, 3, out_channels);
  const Layer& conv = part.layers.front();
  if (hswish)
    part.shave.push_back({"first_conv.act", ShaveOp::hswish, conv.out_width(), conv.out_height(),
                          out_channels, 1, 0});
  return part;
}

NetPart mbv3_block_part(const Mbv3Block& b) {
  const MBConv& c = b.conv;
  NetPart part{PartKind::Block, mbv3_block_key(b), {}, {}, {}, {}};
  // mbconv_layers checks the block and gives expand, depthwise, project, add.
  const std::vector<Layer> base = mbconv_layers(c);
  const std::int64_t mid = c.mid();
  for (const Layer& l : base) {
    if (l.name == "project") {
      if (b.se) append_se(part, "se", c.out_size(), mid);
    }
    part.layers.push_back(l);
    if (b.hswish && (l.name == "expand" || l.name == "depthwise")) {
      part.shave.push_back({l.name + ".act", ShaveOp::hswish, l.out_width(), l.out_height(), mid,
                            part.layers.size(), 0});
    }
  }
  return validated_part(std::move(part));
}

NetPart mbv3_final_expand_part(std::int64_t size, std::int64_t in_channels,
                               std::int64_t out_channels, bool hswish) {
  NetPart part = feature_mix_part(size, in_channels, out_channels);
  part.name = "final_expand_layer";
  part.layers.front().name = "final_expand";
  if (hswish)
    part.shave.push_back({"final_expand.act", ShaveOp::hswish, size, size, out_channels, 1, 0});
  return part;
}

NetPart mbv3_pool_part(std::int64_t size, std::int64_t channels) {
  NetPart part{PartKind::Pool,
               "AvgPool2D-input:" + shape(size, channels) + "-output:" + shape(1, channels),
               "global_avg_pool",
               global_avg_pool_layers("global_avgpool", size, channels),
               {},
               {}};
  return validated_part(std::move(part));
}

NetPart mbv3_pooled_mix_part(std::int64_t in_channels, std::int64_t out_channels, bool hswish) {
  NetPart part{PartKind::PooledMix,
               "Conv_2-input:" + shape(1, in_channels) + "-output:" + shape(1, out_channels),
               "feature_mix_layer",
               {fully_connected_layer("feature_mix", in_channels, out_channels)},
               {},
               {}};
  if (hswish) part.shave.push_back({"feature_mix.act", ShaveOp::hswish, 1, 1, out_channels, 1, 0});
  return validated_part(std::move(part));
}

NetPart mbv3_logits_part(std::int64_t in_features, std::int64_t out_features) {
  NetPart part{PartKind::Logits,
               "Logits-input:" + shape(1, in_features) + "-output:" + to_string(out_features),
               "classifier",
               {fully_connected_layer("classifier", in_features, out_features)},
               {},
               {}};
  return validated_part(std::move(part));
}

}  // namespace vpucost
