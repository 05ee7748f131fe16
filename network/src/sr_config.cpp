#include "sr_config.hpp"

#include <nlohmann/json.hpp>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using json_reader::Json;
using json_reader::Path;

// The config's spelling of each choice (PyTorch's module names, lower case).
constexpr std::pair<std::string_view, SrActivation> kActivations[] = {
    {"relu", SrActivation::relu},
    {"leaky_relu", SrActivation::lrelu},
    {"prelu", SrActivation::prelu},
    {"none", SrActivation::none}};
constexpr std::pair<std::string_view, Upsampler> kUpsamplers[] = {
    {"nearest", Upsampler::nearest},
    {"bilinear", Upsampler::bilinear},
    {"bilinear_align_corners", Upsampler::bilinear_align_corners},
    {"depth_to_space", Upsampler::depth_to_space}};

template <typename T, std::size_t N>
T choice(const Json& v, const Path& at, const std::pair<std::string_view, T> (&names)[N]) {
  const std::string s = json_reader::string(v, at);
  std::string list;
  for (const auto& [name, value] : names) {
    if (s == name) return value;
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  at.fail("unknown value '" + s + "' (expected " + list + ")");
}

template <typename T, std::size_t N>
std::string_view spelling(T value, const std::pair<std::string_view, T> (&names)[N]) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  throw Error("invalid SR choice value");
}

SrBlock parse_block(const Json& obj, const Path& at) {
  json_reader::object(obj, at);
  SrBlock b;
  b.kernel = json_reader::integer(json_reader::member(obj, at, "kernel_size"),
                                  at.field("kernel_size"), 1, kMaxSrKernel);
  if (b.kernel % 2 == 0) at.field("kernel_size").fail("expected an odd kernel size");
  if (const Json* e = json_reader::optional_member(obj, "expand_ratio")) {
    b.expand = json_reader::integer(*e, at.field("expand_ratio"), 1, kMaxExpandRatio);
  }
  if (const Json* c = json_reader::optional_member(obj, "conv")) {
    const std::string s = json_reader::string(*c, at.field("conv"));
    if (s != "normal" && s != "separable") {
      at.field("conv").fail("unknown value '" + s + "' (expected normal, separable)");
    }
    b.separable = s == "separable";
  }
  b.activation =
      choice(json_reader::member(obj, at, "act_func"), at.field("act_func"), kActivations);
  return b;
}

}  // namespace

SrNet parse_sr_config(const Json& doc, const Path& root) {
  SrNet n;
  if (const Json* name = json_reader::optional_member(doc, "name")) {
    n.name = json_reader::string(*name, root.field("name"));
  }
  const Path ip = root.field("input_size");
  const Json& size = json_reader::array(json_reader::member(doc, root, "input_size"), ip);
  if (size.size() != 2) ip.fail("expected [height, width]");
  n.input_height = json_reader::integer(size[0], ip.index(0), 1, kMaxSrInputSize);
  n.input_width = json_reader::integer(size[1], ip.index(1), 1, kMaxSrInputSize);
  if (const Json* c = json_reader::optional_member(doc, "in_channels")) {
    n.in_channels = json_reader::integer(*c, root.field("in_channels"), 1, kMaxSpaceChannels);
  }
  n.features = json_reader::integer(json_reader::member(doc, root, "n_feats"),
                                    root.field("n_feats"), 1, kMaxSpaceChannels / 4);
  if (const Json* s = json_reader::optional_member(doc, "scale")) {
    n.scale = json_reader::integer(*s, root.field("scale"), 2, 2);
  }
  const Path bp = root.field("blocks");
  const Json& blocks = json_reader::array(json_reader::member(doc, root, "blocks"), bp);
  if (blocks.size() > kMaxPositions) bp.fail("too many blocks");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    n.blocks.push_back(parse_block(blocks[i], bp.index(i)));
  }
  n.upsampler =
      choice(json_reader::member(doc, root, "upsampler"), root.field("upsampler"), kUpsamplers);
  try {
    validate(n);
  } catch (const Error& e) {
    throw Error(root.source() + ": " + e.what());
  }
  return n;
}

std::string sr_config_json(const SrNet& n) {
  validate(n);
  nlohmann::ordered_json doc{{"name", n.name},
                             {"input_size", {n.input_height, n.input_width}},
                             {"in_channels", n.in_channels},
                             {"n_feats", n.features},
                             {"scale", n.scale},
                             {"blocks", nlohmann::ordered_json::array()},
                             {"upsampler", spelling(n.upsampler, kUpsamplers)}};
  for (const SrBlock& b : n.blocks) {
    doc["blocks"].push_back({{"kernel_size", b.kernel},
                             {"expand_ratio", b.expand},
                             {"conv", b.separable ? "separable" : "normal"},
                             {"act_func", spelling(b.activation, kActivations)}});
  }
  return doc.dump(4) + "\n";
}

}  // namespace vpucost
