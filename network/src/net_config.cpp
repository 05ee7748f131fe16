#include "vpucost/net_config.hpp"

#include <fstream>
#include <sstream>

#include "json_reader.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using json_reader::Json;
using json_reader::Path;
// Writers keep the field order of the ProxylessNAS files.
using OrderedJson = nlohmann::ordered_json;
using std::to_string;

constexpr std::int64_t kMaxChannels = kMaxSpaceChannels;
constexpr std::size_t kMaxBlocks = kMaxPositions;

void expect_name(const Json& obj, const Path& at, std::initializer_list<std::string_view> names,
                 const char* what) {
  const std::string name =
      json_reader::string(json_reader::member(obj, at, "name"), at.field("name"));
  for (const std::string_view n : names) {
    if (name == n) return;
  }
  std::string list;
  for (const std::string_view n : names) list += (list.empty() ? "" : " or ") + std::string(n);
  at.field("name").fail("unknown " + std::string(what) + " '" + name + "' (expected " + list + ")");
}

std::int64_t channels(const Json& obj, const Path& at, std::string_view key) {
  return json_reader::integer(json_reader::member(obj, at, key), at.field(key), 1, kMaxChannels);
}

std::int64_t kernel_size(const Json& obj, const Path& at, std::int64_t fallback) {
  const Json* v = json_reader::optional_member(obj, "kernel_size");
  if (!v) return fallback;
  const std::int64_t k = json_reader::integer(*v, at.field("kernel_size"), 1, kMaxKernel);
  if (k % 2 == 0) at.field("kernel_size").fail("expected an odd kernel size, got " + to_string(k));
  return k;
}

std::int64_t stride(const Json& obj, const Path& at, std::int64_t fallback) {
  const Json* v = json_reader::optional_member(obj, "stride");
  return v ? json_reader::integer(*v, at.field("stride"), 1, 2) : fallback;
}

// Options a ConvLayer may carry that would change the operator.
void expect_plain_conv(const Json& obj, const Path& at) {
  for (const char* key : {"groups", "dilation"}) {
    if (const Json* v = json_reader::optional_member(obj, key)) {
      if (json_reader::integer(*v, at.field(key), 1, kMaxChannels) != 1) {
        at.field(key).fail("only 1 is supported, got " + json_reader::show(*v));
      }
    }
  }
}

ConvSpec conv_layer_spec(const Json& obj, const Path& at, std::int64_t default_kernel,
                         std::int64_t default_stride) {
  json_reader::object(obj, at);
  expect_name(obj, at, {"ConvLayer"}, "layer type");
  expect_plain_conv(obj, at);
  return {channels(obj, at, "in_channels"), channels(obj, at, "out_channels"),
          kernel_size(obj, at, default_kernel), stride(obj, at, default_stride)};
}

void expect_channels(std::int64_t got, std::int64_t expected, const Path& at) {
  if (got != expected) {
    at.fail(to_string(got) + " does not match the " + to_string(expected) +
            " channels the previous layer outputs");
  }
}

NetConfigBlock parse_block(const Json& obj, const Path& at, std::int64_t in_channels) {
  json_reader::object(obj, at);
  if (json_reader::optional_member(obj, "name")) {
    expect_name(obj, at, {"MobileInvertedResidualBlock", "ResidualBlock"}, "block type");
  }
  const char* conv_key = obj.contains("mobile_inverted_conv") ? "mobile_inverted_conv"
                         : obj.contains("conv")               ? "conv"
                                                              : nullptr;
  if (!conv_key) at.field("mobile_inverted_conv").fail("missing");
  const Path cp = at.field(conv_key);
  const Json* conv = json_reader::optional_member(obj, conv_key);
  const Json* shortcut = json_reader::optional_member(obj, "shortcut");
  if (shortcut) {
    json_reader::object(*shortcut, at.field("shortcut"));
    expect_name(*shortcut, at.field("shortcut"), {"IdentityLayer"}, "shortcut type");
  }

  NetConfigBlock block;
  block.conv.in_channels = block.conv.out_channels = in_channels;
  block.conv.residual = shortcut != nullptr;
  if (!conv) {
    block.zero = true;
    return block;
  }
  json_reader::object(*conv, cp);
  expect_name(*conv, cp, {"MBInvertedConvLayer", "MBConvLayer", "ZeroLayer"}, "layer type");
  if (conv->at("name") == "ZeroLayer") {
    if (stride(*conv, cp, 1) != 1) {
      cp.field("stride").fail("a ZeroLayer block passes its input through; its stride must be 1");
    }
    block.zero = true;
    return block;
  }
  if (const Json* se = json_reader::optional_member(*conv, "use_se")) {
    if (json_reader::boolean(*se, cp.field("use_se"))) {
      cp.field("use_se").fail("squeeze-and-excitation blocks are not supported");
    }
  }
  MBConv& b = block.conv;
  b.in_channels = channels(*conv, cp, "in_channels");
  expect_channels(b.in_channels, in_channels, cp.field("in_channels"));
  b.out_channels = channels(*conv, cp, "out_channels");
  b.kernel = kernel_size(*conv, cp, 0);
  if (b.kernel == 0) cp.field("kernel_size").fail("missing");
  b.stride = stride(*conv, cp, 0);
  if (b.stride == 0) cp.field("stride").fail("missing");
  b.expand_ratio = json_reader::integer(json_reader::member(*conv, cp, "expand_ratio"),
                                        cp.field("expand_ratio"), 1, kMaxExpandRatio);
  if (const Json* mid = json_reader::optional_member(*conv, "mid_channels")) {
    b.mid_channels = json_reader::integer(*mid, cp.field("mid_channels"), 1, kMaxChannels);
    if (b.expand_ratio == 1 && b.mid_channels != b.in_channels) {
      cp.field("mid_channels")
          .fail("expand ratio 1 has no expand conv, so mid_channels must equal in_channels (" +
                to_string(b.in_channels) + "), got " + to_string(b.mid_channels));
    }
  } else if (b.in_channels * b.expand_ratio > kMaxChannels) {
    cp.field("expand_ratio").fail("expanded width exceeds " + to_string(kMaxChannels));
  }
  if (b.residual && !residual_possible(b.stride, b.in_channels, b.out_channels)) {
    at.field("shortcut")
        .fail(
            "an identity shortcut needs stride 1 and in_channels == "
            "out_channels (got stride " +
            to_string(b.stride) + ", " + to_string(b.in_channels) + " -> " +
            to_string(b.out_channels) + ")");
  }
  return block;
}

OrderedJson conv_layer_json(const ConvSpec& c) {
  return {{"name", "ConvLayer"},
          {"kernel_size", c.kernel},
          {"stride", c.stride},
          {"dilation", 1},
          {"groups", 1},
          {"bias", false},
          {"has_shuffle", false},
          {"in_channels", c.in_channels},
          {"out_channels", c.out_channels},
          {"use_bn", true},
          {"act_func", "relu6"},
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

NetConfig parse_net_config(std::string_view text, std::string_view source) {
  const Path root{std::string(source)};
  const Json doc = json_reader::parse(text, root);
  json_reader::object(doc, root);
  NetConfig c;
  if (const Json* name = json_reader::optional_member(doc, "name")) {
    c.name = json_reader::string(*name, root.field("name"));
  }
  if (json_reader::optional_member(doc, "final_expand_layer")) {
    root.field("final_expand_layer")
        .fail(
            "MobileNetV3 configs are not supported (MBConv networks of ProxylessNAS / "
            "MobileNetV2 form only)");
  }
  c.first_conv =
      conv_layer_spec(json_reader::member(doc, root, "first_conv"), root.field("first_conv"), 3, 2);
  std::int64_t current = c.first_conv.out_channels;
  const Path bp = root.field("blocks");
  const Json& blocks = json_reader::array(json_reader::member(doc, root, "blocks"), bp);
  if (blocks.size() > kMaxBlocks) {
    bp.fail("has " + to_string(blocks.size()) + " blocks; at most " + to_string(kMaxBlocks) +
            " are accepted");
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    c.blocks.push_back(parse_block(blocks[i], bp.index(i), current));
    if (!c.blocks.back().zero) current = c.blocks.back().conv.out_channels;
  }
  const Path fp = root.field("feature_mix_layer");
  if (const Json* fm = json_reader::optional_member(doc, "feature_mix_layer")) {
    c.feature_mix = conv_layer_spec(*fm, fp, 1, 1);
    expect_channels(c.feature_mix->in_channels, current, fp.field("in_channels"));
    if (c.feature_mix->stride != 1) fp.field("stride").fail("must be 1");
    current = c.feature_mix->out_channels;
  } else {
    c.feature_mix.reset();
  }
  const Path lp = root.field("classifier");
  const Json& cl = json_reader::object(json_reader::member(doc, root, "classifier"), lp);
  expect_name(cl, lp, {"LinearLayer"}, "layer type");
  c.classifier_in = channels(cl, lp, "in_features");
  expect_channels(c.classifier_in, current, lp.field("in_features"));
  c.classifier_out = channels(cl, lp, "out_features");
  if (const Json* bias = json_reader::optional_member(cl, "bias")) {
    c.classifier_bias = json_reader::boolean(*bias, lp.field("bias"));
  }
  return c;
}

NetConfig load_net_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the net config");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_net_config(text.str(), path.string());
}

std::string net_config_json(const NetConfig& c) {
  OrderedJson doc{{"name", c.name}, {"bn", {{"momentum", 0.1}, {"eps", 0.001}}}};
  doc["first_conv"] = conv_layer_json(c.first_conv);
  doc["blocks"] = OrderedJson::array();
  for (const NetConfigBlock& b : c.blocks) {
    OrderedJson block{{"name", "MobileInvertedResidualBlock"}};
    if (b.zero) {
      block["mobile_inverted_conv"] = {{"name", "ZeroLayer"}, {"stride", 1}};
    } else {
      block["mobile_inverted_conv"] = {
          {"name", "MBInvertedConvLayer"},
          {"in_channels", b.conv.in_channels},
          {"out_channels", b.conv.out_channels},
          {"kernel_size", b.conv.kernel},
          {"stride", b.conv.stride},
          {"expand_ratio", b.conv.expand_ratio},
          {"mid_channels",
           b.conv.mid_channels > 0 ? OrderedJson(b.conv.mid_channels) : OrderedJson(nullptr)}};
    }
    block["shortcut"] = b.conv.residual ? identity_json(b.conv.in_channels) : OrderedJson(nullptr);
    doc["blocks"].push_back(std::move(block));
  }
  doc["feature_mix_layer"] = c.feature_mix ? conv_layer_json(*c.feature_mix) : OrderedJson(nullptr);
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
  }
  if (c.feature_mix)
    n += conv(c.feature_mix->in_channels, c.feature_mix->out_channels, c.feature_mix->kernel);
  return n + c.classifier_in * c.classifier_out + (c.classifier_bias ? c.classifier_out : 0);
}

std::vector<NetPart> net_parts(const NetConfig& c, int resolution) {
  check_resolution(resolution);
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

NetConfig net_config_from_architecture(const SearchSpace& space, std::span<const int> arch) {
  validate(space);
  validate(space, arch);
  NetConfig c;
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
    c.blocks.push_back(b);
  }
  const int last = space.positions.back().out_channels;
  c.feature_mix = ConvSpec{last, space.feature_mix_channels, 1, 1};
  c.classifier_in = space.feature_mix_channels;
  c.classifier_out = space.num_classes;
  return c;
}

}  // namespace vpucost
