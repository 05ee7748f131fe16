#include "vpucost/net_config.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "json_reader.hpp"
#include "sr_config.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using json_reader::Json;
using json_reader::Path;
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

// A layer's "act_func": true for h-swish (a SHAVE operation), false for what
// the DPU fuses (relu, relu6) or none. h-swish only in MobileNetV3 configs.
bool reads_hswish(const Json& obj, const Path& at, bool mbv3) {
  const Json* act = json_reader::optional_member(obj, "act_func");
  if (!act || act->is_null()) return false;
  const std::string a = json_reader::string(*act, at.field("act_func"));
  if (a == "relu" || a == "relu6") return false;
  if (a == "h_swish" && mbv3) return true;
  if (a == "h_swish") {
    at.field("act_func").fail("h_swish is read in MobileNetV3 configs (with a final_expand_layer)");
  }
  at.field("act_func").fail("unsupported activation '" + a + "' (relu, relu6, h_swish or null)");
}

// expand_ratio: an integer; a MobileNetV3 config with mid_channels may give
// a fraction (torchvision's 200 / 80), kept as its ceiling.
std::int64_t expand_ratio(const Json& conv, const Path& cp, bool fraction_allowed) {
  const Json& v = json_reader::member(conv, cp, "expand_ratio");
  if (fraction_allowed && v.is_number_float()) {
    const double e = v.get<double>();
    if (!(e >= 1.0 && e <= double(kMaxExpandRatio))) {
      cp.field("expand_ratio")
          .fail("expected a number in 1.." + to_string(kMaxExpandRatio) + ", got " +
                json_reader::show(v));
    }
    return static_cast<std::int64_t>(std::ceil(e));
  }
  return json_reader::integer(v, cp.field("expand_ratio"), 1, kMaxExpandRatio);
}

NetConfigBlock parse_block(const Json& obj, const Path& at, std::int64_t in_channels, bool mbv3) {
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
    block.se = json_reader::boolean(*se, cp.field("use_se"));
    if (block.se && !mbv3) {
      cp.field("use_se").fail(
          "squeeze-and-excitation is read in MobileNetV3 configs (with a final_expand_layer)");
    }
  }
  block.hswish = reads_hswish(*conv, cp, mbv3);
  MBConv& b = block.conv;
  b.in_channels = channels(*conv, cp, "in_channels");
  expect_channels(b.in_channels, in_channels, cp.field("in_channels"));
  b.out_channels = channels(*conv, cp, "out_channels");
  b.kernel = kernel_size(*conv, cp, 0);
  if (b.kernel == 0) cp.field("kernel_size").fail("missing");
  b.stride = stride(*conv, cp, 0);
  if (b.stride == 0) cp.field("stride").fail("missing");
  b.expand_ratio = expand_ratio(
      *conv, cp, mbv3 && conv->contains("mid_channels") && !conv->at("mid_channels").is_null());
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

// MobileNetV3's head: final expand 1x1 (h-swish) -> global pool -> feature
// mix 1x1 on the pooled map (h-swish) -> classifier.
void read_mobilenetv3_head(const Json& doc, const Path& root, NetConfig& c, std::int64_t& current) {
  // final expand 1x1 (h-swish) -> global pool -> feature mix 1x1 on the pooled map.
  const Path ep = root.field("final_expand_layer");
  const Json& fe = doc.at("final_expand_layer");
  c.final_expand = conv_layer_spec(fe, ep, 1, 1);
  expect_channels(c.final_expand->in_channels, current, ep.field("in_channels"));
  if (c.final_expand->stride != 1 || c.final_expand->kernel != 1) ep.fail("must be a 1x1 conv");
  c.final_expand_hswish = reads_hswish(fe, ep, true);
  current = c.final_expand->out_channels;
  const Path fp = root.field("feature_mix_layer");
  const Json& fm = json_reader::member(doc, root, "feature_mix_layer");
  c.feature_mix = conv_layer_spec(fm, fp, 1, 1);
  expect_channels(c.feature_mix->in_channels, current, fp.field("in_channels"));
  if (c.feature_mix->stride != 1 || c.feature_mix->kernel != 1) fp.fail("must be a 1x1 conv");
  c.feature_mix_hswish = reads_hswish(fm, fp, true);
  if (const Json* bias = json_reader::optional_member(fm, "bias")) {
    c.feature_mix_bias = json_reader::boolean(*bias, fp.field("bias"));
  }
  current = c.feature_mix->out_channels;
}

}  // namespace

NetConfig parse_net_config(std::string_view text, std::string_view source) {
  const Path root{std::string(source)};
  const Json doc = json_reader::parse(text, root);
  json_reader::object(doc, root);
  NetConfig c;
  if (json_reader::optional_member(doc, "upsampler")) {
    c.family = SpaceFamily::SuperResolution;
    c.sr = parse_sr_config(doc, root);
    c.name = c.sr->name;
    return c;
  }
  if (const Json* name = json_reader::optional_member(doc, "name")) {
    c.name = json_reader::string(*name, root.field("name"));
  }
  const bool mbv3 = json_reader::optional_member(doc, "final_expand_layer") != nullptr;
  if (mbv3) c.family = SpaceFamily::MobileNetV3;
  const Json& first = json_reader::member(doc, root, "first_conv");
  c.first_conv = conv_layer_spec(first, root.field("first_conv"), 3, 2);
  c.first_conv_hswish = reads_hswish(first, root.field("first_conv"), mbv3);
  std::int64_t current = c.first_conv.out_channels;
  const Path bp = root.field("blocks");
  const Json& blocks = json_reader::array(json_reader::member(doc, root, "blocks"), bp);
  if (blocks.size() > kMaxBlocks) {
    bp.fail("has " + to_string(blocks.size()) + " blocks; at most " + to_string(kMaxBlocks) +
            " are accepted");
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    c.blocks.push_back(parse_block(blocks[i], bp.index(i), current, mbv3));
    if (!c.blocks.back().zero) current = c.blocks.back().conv.out_channels;
  }
  const Path fp = root.field("feature_mix_layer");
  if (mbv3) {
    read_mobilenetv3_head(doc, root, c, current);
  } else if (const Json* fm = json_reader::optional_member(doc, "feature_mix_layer")) {
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

}  // namespace vpucost
