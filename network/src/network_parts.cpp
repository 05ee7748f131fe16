#include "vpucost/network_parts.hpp"

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
  }
  return "<invalid>";
}

NetPart stem_part(std::int64_t resolution, std::int64_t in_channels, std::int64_t out_channels,
                  std::int64_t kernel, std::int64_t stride) {
  NetPart part{PartKind::Stem, {}, "first_conv", {}};
  part.layers.push_back(
      conv_layer("first_conv", resolution, in_channels, out_channels, kernel, stride));
  validate(part.layers.front());
  part.key = "Conv-input:" + shape(resolution, in_channels) +
             "-output:" + shape(part.layers.front().out_width(), out_channels);
  return part;
}

NetPart block_part(const MBConv& block) {
  NetPart part{PartKind::Block, {}, {}, mbconv_layers(block)};
  part.key = "expanded_conv-input:" + shape(block.size, block.in_channels) +
             "-output:" + shape(block.out_size(), block.out_channels) +
             "-expand:" + to_string(block.expand_ratio) + "-kernel:" + to_string(block.kernel) +
             "-stride:" + to_string(block.stride) + "-idskip:" + (block.residual ? "1" : "0");
  return part;
}

NetPart feature_mix_part(std::int64_t size, std::int64_t in_channels, std::int64_t out_channels,
                         std::int64_t kernel) {
  NetPart part{PartKind::FeatureMix, {}, "feature_mix_layer", {}};
  part.layers.push_back(conv_layer("feature_mix", size, in_channels, out_channels, kernel, 1));
  validate(part.layers.front());
  part.key = "Conv_1-input:" + shape(size, in_channels) + "-output:" + shape(size, out_channels);
  return part;
}

NetPart logits_part(std::int64_t size, std::int64_t in_features, std::int64_t out_features) {
  NetPart part{PartKind::Logits, {}, "classifier", {}};
  part.layers.push_back(global_avg_pool_layer("global_avgpool", size, in_features));
  part.layers.push_back(fully_connected_layer("classifier", in_features, out_features));
  for (const Layer& l : part.layers) validate(l);
  part.key = "Logits-input:" + shape(size, in_features) + "-output:" + to_string(out_features);
  return part;
}

}  // namespace vpucost
