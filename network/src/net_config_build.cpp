// Net configs out of vpucost: the JSON writer, parameter counts, the parts
// a config is costed as, and the config of a search-space architecture.
// (Reading is in net_config.cpp.)
#include <nlohmann/json.hpp>

#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {
namespace {

// Writers keep the field order of the ProxylessNAS files.
using OrderedJson = nlohmann::ordered_json;
using std::to_string;

OrderedJson conv_layer_json(const ConvSpec& c, const char* act_func = "relu6", bool use_bn = true,
                            bool bias = false) {
  return {{"name", "ConvLayer"},
          {"kernel_size", c.kernel},
          {"stride", c.stride},
          {"dilation", 1},
          {"groups", 1},
          {"bias", bias},
          {"has_shuffle", false},
          {"in_channels", c.in_channels},
          {"out_channels", c.out_channels},
          {"use_bn", use_bn},
          {"act_func", act_func ? OrderedJson(act_func) : OrderedJson(nullptr)},
          {"dropout_rate", 0},
          {"ops_order", "weight_bn_act"}};
}

OrderedJson identity_json(std::int64_t channels) {
  return {{"name", "IdentityLayer"},     {"in_channels", {channels}},
          {"out_channels", {channels}},  {"use_bn", false},
          {"act_func", nullptr},         {"dropout_rate", 0},
          {"ops_order", "weight_bn_act"}};
}

}  // namespace

std::string net_config_json(const NetConfig& c) {
  if (c.sr) return sr_config_json(*c.sr);
  // MobileNetV3 in once-for-all's spelling (ResidualBlock / MBConvLayer, as
  // its MobileNetV3 class writes), ProxylessNAS in ProxylessNAS's.
  const bool mbv3 = c.family == SpaceFamily::MobileNetV3;
  const auto act = [](bool hswish) { return hswish ? "h_swish" : "relu"; };
  OrderedJson doc{{"name", c.name}, {"bn", {{"momentum", 0.1}, {"eps", 0.001}}}};
  doc["first_conv"] = mbv3 ? conv_layer_json(c.first_conv, act(c.first_conv_hswish))
                           : conv_layer_json(c.first_conv);
  doc["blocks"] = OrderedJson::array();
  for (const NetConfigBlock& b : c.blocks) {
    // A zero block passes its input through, so leaving it out is the same network.
    // once-for-all's LatencyTable fails on a ZeroLayer block (KeyError 'in_channels')
    // and ProxylessNAS's builder fails on a null one; both read a shorter block list.
    if (b.zero) continue;
    OrderedJson conv{{"name", mbv3 ? "MBConvLayer" : "MBInvertedConvLayer"},
                     {"in_channels", b.conv.in_channels},
                     {"out_channels", b.conv.out_channels},
                     {"kernel_size", b.conv.kernel},
                     {"stride", b.conv.stride},
                     {"expand_ratio", b.conv.expand_ratio},
                     {"mid_channels", b.conv.mid_channels > 0 ? OrderedJson(b.conv.mid_channels)
                                                              : OrderedJson(nullptr)}};
    if (mbv3) {
      conv["act_func"] = act(b.hswish);
      conv["use_se"] = b.se;
    }
    OrderedJson block{{"name", mbv3 ? "ResidualBlock" : "MobileInvertedResidualBlock"},
                      {mbv3 ? "conv" : "mobile_inverted_conv", std::move(conv)}};
    block["shortcut"] = b.conv.residual ? identity_json(b.conv.in_channels) : OrderedJson(nullptr);
    doc["blocks"].push_back(std::move(block));
  }
  if (mbv3) {
    doc["final_expand_layer"] = conv_layer_json(*c.final_expand, act(c.final_expand_hswish));
    doc["feature_mix_layer"] =
        conv_layer_json(*c.feature_mix, act(c.feature_mix_hswish), false, c.feature_mix_bias);
  } else {
    doc["feature_mix_layer"] =
        c.feature_mix ? conv_layer_json(*c.feature_mix) : OrderedJson(nullptr);
  }
  doc["classifier"] = {{"name", "LinearLayer"},
                       {"in_features", c.classifier_in},
                       {"out_features", c.classifier_out},
                       {"bias", c.classifier_bias},
                       {"use_bn", false},
                       {"act_func", nullptr},
                       {"dropout_rate", 0},
                       {"ops_order", "weight_bn_act"}};
  return doc.dump(4) + "\n";
}

std::int64_t parameter_count(const NetConfig& c) {
  if (c.sr) return sr_parameter_count(*c.sr);
  const auto conv = [](std::int64_t in, std::int64_t out, std::int64_t k) {
    return in * out * k * k + 2 * out;  // weights + batch norm
  };
  std::int64_t n = conv(c.first_conv.in_channels, c.first_conv.out_channels, c.first_conv.kernel);
  for (const NetConfigBlock& b : c.blocks) {
    if (b.zero) continue;
    const std::int64_t mid = b.conv.mid();
    if (b.conv.expand_ratio != 1) n += conv(b.conv.in_channels, mid, 1);
    n += mid * b.conv.kernel * b.conv.kernel + 2 * mid;  // depthwise + batch norm
    n += conv(mid, b.conv.out_channels, 1);
    if (b.se) {  // two 1x1 convs with biases, no batch norm
      const std::int64_t se_mid = make_divisible_by_8(double(mid / 4));
      n += 2 * mid * se_mid + se_mid + mid;
    }
  }
  if (c.final_expand) {  // MobileNetV3: feature mix on the pooled map has no batch norm
    n += conv(c.final_expand->in_channels, c.final_expand->out_channels, 1);
    n += c.feature_mix->in_channels * c.feature_mix->out_channels +
         (c.feature_mix_bias ? c.feature_mix->out_channels : 0);
  } else if (c.feature_mix) {
    n += conv(c.feature_mix->in_channels, c.feature_mix->out_channels, c.feature_mix->kernel);
  }
  return n + c.classifier_in * c.classifier_out + (c.classifier_bias ? c.classifier_out : 0);
}

namespace {

// MobileNetV3 (net_config.hpp): the parts once-for-all's MBv3 tables key.
std::vector<NetPart> mobilenetv3_parts(const NetConfig& c, int resolution) {
  std::vector<NetPart> parts;
  parts.push_back(mbv3_stem_part(resolution, c.first_conv.out_channels, c.first_conv_hswish));
  std::int64_t size = parts.back().layers.front().out_width();
  for (std::size_t i = 0; i < c.blocks.size(); ++i) {
    if (c.blocks[i].zero) continue;
    Mbv3Block block{c.blocks[i].conv, c.blocks[i].se, c.blocks[i].hswish};
    block.conv.size = size;
    if (block.conv.mid_channels == 0) block.conv.mid_channels = block.conv.mid();
    parts.push_back(mbv3_block_part(block));
    parts.back().name = "blocks[" + to_string(i) + "]";
    size = block.conv.out_size();
  }
  parts.push_back(mbv3_final_expand_part(size, c.final_expand->in_channels,
                                         c.final_expand->out_channels, c.final_expand_hswish));
  parts.push_back(mbv3_pool_part(size, c.final_expand->out_channels));
  parts.push_back(mbv3_pooled_mix_part(c.feature_mix->in_channels, c.feature_mix->out_channels,
                                       c.feature_mix_hswish));
  parts.push_back(mbv3_logits_part(c.classifier_in, c.classifier_out));
  return parts;
}

}  // namespace

std::vector<NetPart> net_parts(const NetConfig& c, int resolution) {
  if (c.sr) return sr_parts(*c.sr);
  check_resolution(resolution);
  if (c.family == SpaceFamily::MobileNetV3) return mobilenetv3_parts(c, resolution);
  std::vector<NetPart> parts;
  parts.push_back(stem_part(resolution, c.first_conv.in_channels, c.first_conv.out_channels,
                            c.first_conv.kernel, c.first_conv.stride));
  std::int64_t size = parts.back().layers.front().out_width();
  for (std::size_t i = 0; i < c.blocks.size(); ++i) {
    if (c.blocks[i].zero) continue;
    MBConv block = c.blocks[i].conv;
    block.size = size;
    parts.push_back(block_part(block));
    parts.back().name = "blocks[" + to_string(i) + "]";
    size = block.out_size();
  }
  if (c.feature_mix) {
    parts.push_back(feature_mix_part(size, c.feature_mix->in_channels, c.feature_mix->out_channels,
                                     c.feature_mix->kernel));
  }
  parts.push_back(logits_part(size, c.classifier_in, c.classifier_out));
  return parts;
}

void require_net_config_space(const SearchSpace& space) {
  if (space.family == SpaceFamily::Hurricane) {
    throw Error("search space '" + space.name +
                "' has HURRICANE's ShuffleNetV2 and separable blocks, which a ProxylessNAS / "
                "once-for-all net config cannot hold: use nas-space, lut or nas-export with it");
  }
}

NetConfig net_config_from_architecture(const SearchSpace& space, std::span<const int> arch,
                                       int resolution) {
  require_net_config_space(space);
  NetConfig c;
  if (space.family == SpaceFamily::SuperResolution) {
    c.family = SpaceFamily::SuperResolution;
    c.sr = sr_net_from_architecture(space, arch, resolution > 0 ? resolution : space.input_height);
    c.name = c.sr->name;
    return c;
  }
  validate(space);
  validate(space, arch);
  const bool mbv3 = space.family == SpaceFamily::MobileNetV3;
  if (mbv3) {
    c.name = "MobileNetV3";
    c.family = SpaceFamily::MobileNetV3;
    c.first_conv_hswish = true;
  }
  c.first_conv = {3, space.stem_channels, 3, 2};
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const Position& p = space.positions[i];
    const Candidate& cand = p.candidates[static_cast<std::size_t>(arch[i])];
    NetConfigBlock b;
    b.zero = cand.zero;
    b.conv.in_channels = p.in_channels;
    b.conv.out_channels = p.out_channels;
    b.conv.stride = p.stride;
    b.conv.kernel = cand.zero ? 3 : cand.kernel;
    b.conv.expand_ratio = cand.zero ? 1 : cand.expand_ratio;
    b.conv.residual = p.residual();
    if (mbv3 && !cand.zero) {
      b.conv.mid_channels = middle_channels(space, p, cand);
      b.se = p.se;
      b.hswish = p.hswish;
    }
    c.blocks.push_back(b);
  }
  const int last = space.positions.back().out_channels;
  if (mbv3) {
    c.final_expand = ConvSpec{last, space.final_expand_channels, 1, 1};
    c.feature_mix = ConvSpec{space.final_expand_channels, space.feature_mix_channels, 1, 1};
  } else {
    c.feature_mix = ConvSpec{last, space.feature_mix_channels, 1, 1};
  }
  c.classifier_in = space.feature_mix_channels;
  c.classifier_out = space.num_classes;
  return c;
}

}  // namespace vpucost
