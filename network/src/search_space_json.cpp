#include "vpucost/search_space_json.hpp"

#include <fstream>
#include <sstream>

#include "json_reader.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/sr_network.hpp"

namespace vpucost {
namespace {

using json_reader::Json;
using json_reader::Path;
using std::to_string;

constexpr const char* kFormat = "vpucost-search-space";
constexpr int kFormatVersion = 1;

int get_int(const Json& obj, const Path& at, std::string_view key, int min, int max) {
  return static_cast<int>(
      json_reader::integer(json_reader::member(obj, at, key), at.field(key), min, max));
}

int get_int_or(const Json& obj, const Path& at, std::string_view key, int min, int max,
               int fallback) {
  const Json* v = json_reader::optional_member(obj, key);
  return v ? static_cast<int>(json_reader::integer(*v, at.field(key), min, max)) : fallback;
}

std::vector<int> int_list(const Json& obj, const Path& at, std::string_view key, int min, int max) {
  const Path lp = at.field(key);
  const Json& list = json_reader::array(json_reader::member(obj, at, key), lp);
  if (list.empty()) lp.fail("must not be empty");
  std::vector<int> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i >= 16) lp.fail("lists more than 16 values");
    out.push_back(static_cast<int>(json_reader::integer(list[i], lp.index(i), min, max)));
  }
  return out;
}

Candidate parse_candidate(const Json& v, const Path& at) {
  if (v.is_string()) {
    if (v.get<std::string>() != "zero") {
      at.fail("expected \"zero\" or an object with kernel_size and expand_ratio, got " +
              json_reader::show(v));
    }
    return Candidate::zero_op();
  }
  json_reader::object(v, at);
  Candidate c = Candidate::mbconv(get_int(v, at, "kernel_size", 1, kMaxKernel),
                                  get_int_or(v, at, "expand_ratio", 1, kMaxExpandRatio, 1));
  if (!json_reader::optional_member(v, "op")) json_reader::member(v, at, "expand_ratio");
  if (const Json* op = json_reader::optional_member(v, "op")) {  // HURRICANE family
    const std::string name = json_reader::string(*op, at.field("op"));
    bool known = false;
    for (const BlockOp o :
         {BlockOp::MBConv, BlockOp::Sep, BlockOp::Shuffle, BlockOp::ShuffleXception,
          BlockOp::SrConv, BlockOp::SrSep, BlockOp::SrUpsample}) {
      if (name == to_string(o)) {
        c.op = o;
        known = true;
      }
    }
    if (!known) {
      at.field("op").fail("unknown operator '" + name +
                          "' (mb, sep, choice, choicex, sr_conv, sr_sep or sr_upsample)");
    }
  }
  if (const Json* act = json_reader::optional_member(v, "act")) {  // super-resolution blocks
    const std::string name = json_reader::string(*act, at.field("act"));
    bool known = false;
    for (const SrActivation a :
         {SrActivation::none, SrActivation::relu, SrActivation::lrelu, SrActivation::prelu}) {
      if (name == to_string(a)) c.activation = a, known = true;
    }
    if (!known)
      at.field("act").fail("unknown activation '" + name + "' (none, relu, lrelu, prelu)");
  }
  if (const Json* up = json_reader::optional_member(v, "upsampler")) {  // super-resolution tail
    const std::string name = json_reader::string(*up, at.field("upsampler"));
    bool known = false;
    for (const Upsampler u : {Upsampler::nearest, Upsampler::bilinear,
                              Upsampler::bilinear_align_corners, Upsampler::depth_to_space}) {
      if (name == to_string(u)) c.upsampler = u, known = true;
    }
    if (!known) {
      at.field("upsampler")
          .fail("unknown upsampler '" + name +
                "' (nearest, bilinear, bilinear_align_corners, depth_to_space)");
    }
  }
  const Json* se = json_reader::optional_member(v, "se");
  c.se = se && json_reader::boolean(*se, at.field("se"));
  return c;
}

bool get_bool_or(const Json& obj, const Path& at, std::string_view key, bool fallback) {
  const Json* v = json_reader::optional_member(obj, key);
  return v ? json_reader::boolean(*v, at.field(key)) : fallback;
}

// MobileNetV3 family: "se" and "hswish" of a position or stage (default false).
void read_block_style(const Json& obj, const Path& at, Position& p) {
  p.se = get_bool_or(obj, at, "se", false);
  p.hswish = get_bool_or(obj, at, "hswish", false);
}

Position parse_position(const Json& obj, const Path& at, int default_stage) {
  json_reader::object(obj, at);
  Position p;
  p.stage = get_int_or(obj, at, "stage", 0, kMaxPositions, default_stage);
  p.in_channels = get_int(obj, at, "in_channels", 1, kMaxSpaceChannels);
  p.out_channels = get_int(obj, at, "out_channels", 1, kMaxSpaceChannels);
  p.stride = get_int(obj, at, "stride", 1, 2);
  const Path cp = at.field("candidates");
  const Json& list = json_reader::array(json_reader::member(obj, at, "candidates"), cp);
  if (list.empty()) cp.fail("must list at least one candidate");
  if (list.size() > kMaxCandidates) {
    cp.fail("lists more than " + to_string(kMaxCandidates) + " candidates");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    p.candidates.push_back(parse_candidate(list[i], cp.index(i)));
  }
  read_block_style(obj, at, p);
  return p;
}

// One stage of the compact form (also the "first_block"): `blocks` positions.
void add_stage(const Json& obj, const Path& at, int stage, int blocks, int width, int stride,
               SearchSpace& space) {
  const auto kernels = int_list(obj, at, "kernel_sizes", 1, kMaxKernel);
  const auto expands = int_list(obj, at, "expand_ratios", 1, kMaxExpandRatio);
  const Json* zero = json_reader::optional_member(obj, "zero_op");
  const bool zero_op = zero && json_reader::boolean(*zero, at.field("zero_op"));
  for (int b = 0; b < blocks; ++b) {
    Position p;
    p.stage = stage;
    p.in_channels =
        space.positions.empty() ? space.stem_channels : space.positions.back().out_channels;
    p.out_channels = width;
    p.stride = b == 0 ? stride : 1;
    for (const int e : expands) {
      for (const int k : kernels) p.candidates.push_back(Candidate::mbconv(k, e));
    }
    if (zero_op && p.residual()) p.candidates.push_back(Candidate::zero_op());
    read_block_style(obj, at, p);
    space.positions.push_back(std::move(p));
  }
}

void parse_stages(const Json& doc, const Path& root, SearchSpace& space) {
  if (const Json* first = json_reader::optional_member(doc, "first_block")) {
    const Path fp = root.field("first_block");
    json_reader::object(*first, fp);
    add_stage(*first, fp, 0, 1, get_int(*first, fp, "out_channels", 1, kMaxSpaceChannels),
              get_int_or(*first, fp, "stride", 1, 2, 1), space);
  }
  const Path sp = root.field("stages");
  const Json& stages = json_reader::array(json_reader::member(doc, root, "stages"), sp);
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Path at = sp.index(i);
    json_reader::object(stages[i], at);
    const int blocks = get_int(stages[i], at, "blocks", 1, kMaxPositions);
    if (space.positions.size() + static_cast<std::size_t>(blocks) > kMaxPositions) {
      at.field("blocks").fail("the space would have more than " + to_string(kMaxPositions) +
                              " positions");
    }
    add_stage(stages[i], at, static_cast<int>(i) + 1, blocks,
              get_int(stages[i], at, "width", 1, kMaxSpaceChannels),
              get_int(stages[i], at, "stride", 1, 2), space);
  }
}

}  // namespace

SearchSpace parse_search_space_json(std::string_view text, std::string_view source) {
  const Path root{std::string(source)};
  const Json doc = json_reader::parse(text, root);
  json_reader::object(doc, root);
  if (const Json* format = json_reader::optional_member(doc, "format")) {
    if (json_reader::string(*format, root.field("format")) != kFormat) {
      root.field("format").fail("expected \"" + std::string(kFormat) + "\", got " +
                                json_reader::show(*format));
    }
  }
  if (const Json* version = json_reader::optional_member(doc, "version")) {
    json_reader::integer(*version, root.field("version"), kFormatVersion, kFormatVersion);
  }
  SearchSpace space;
  space.name = "user";
  if (const Json* name = json_reader::optional_member(doc, "name")) {
    space.name = json_reader::string(*name, root.field("name"));
  }
  space.stem_channels = get_int_or(doc, root, "stem_channels", 1, kMaxSpaceChannels, 32);
  space.feature_mix_channels =
      get_int_or(doc, root, "feature_mix_channels", 1, kMaxSpaceChannels, 1280);
  space.num_classes = get_int_or(doc, root, "num_classes", 1, kMaxSpaceChannels, 1000);
  if (const Json* family = json_reader::optional_member(doc, "family")) {
    const std::string f = json_reader::string(*family, root.field("family"));
    if (f == to_string(SpaceFamily::MobileNetV3)) {
      space.family = SpaceFamily::MobileNetV3;
    } else if (f == to_string(SpaceFamily::Hurricane)) {
      space.family = SpaceFamily::Hurricane;
    } else if (f == to_string(SpaceFamily::SuperResolution)) {
      space.family = SpaceFamily::SuperResolution;
    } else if (f != to_string(SpaceFamily::ProxylessNAS)) {
      root.field("family").fail(
          "expected \"proxylessnas\", \"mobilenetv3\", \"hurricane\" or "
          "\"super_resolution\", got " +
          json_reader::show(*family));
    }
  }
  if (space.family == SpaceFamily::SuperResolution) {
    const Path ip = root.field("input_size");
    const Json& size = json_reader::array(json_reader::member(doc, root, "input_size"), ip);
    if (size.size() != 2) ip.fail("expected [height, width]");
    space.input_height =
        static_cast<int>(json_reader::integer(size[0], ip.index(0), 1, kMaxSrInputSize));
    space.input_width =
        static_cast<int>(json_reader::integer(size[1], ip.index(1), 1, kMaxSrInputSize));
  }
  if (space.family == SpaceFamily::MobileNetV3) {
    space.final_expand_channels = get_int(doc, root, "final_expand_channels", 1, kMaxSpaceChannels);
  }

  const bool has_positions = doc.contains("positions");
  const bool has_stages = doc.contains("stages");
  if (has_positions == has_stages) {
    root.fail("expected either \"positions\" or \"stages\" (exactly one of them)");
  }
  if (has_positions) {
    const Path pp = root.field("positions");
    const Json& list = json_reader::array(doc.at("positions"), pp);
    if (list.size() > kMaxPositions) {
      pp.fail("has more than " + to_string(kMaxPositions) + " positions");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const int previous_stage = space.positions.empty() ? 0 : space.positions.back().stage;
      space.positions.push_back(parse_position(list[i], pp.index(i), previous_stage));
    }
  } else {
    parse_stages(doc, root, space);
  }
  try {
    validate(space);
  } catch (const Error& e) {
    throw Error(std::string(source) + ": " + e.what());
  }
  return space;
}

SearchSpace load_search_space(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the search space file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_search_space_json(text.str(), path.string());
}

std::string search_space_json(const SearchSpace& space) {
  nlohmann::ordered_json doc{{"format", kFormat},
                             {"version", kFormatVersion},
                             {"name", space.name},
                             {"stem_channels", space.stem_channels},
                             {"positions", nlohmann::ordered_json::array()},
                             {"feature_mix_channels", space.feature_mix_channels},
                             {"num_classes", space.num_classes}};
  const bool mbv3 = space.family == SpaceFamily::MobileNetV3;
  if (space.family != SpaceFamily::ProxylessNAS) {  // ProxylessNAS files stay as they were
    doc["family"] = std::string(to_string(space.family));
  }
  if (mbv3) doc["final_expand_channels"] = space.final_expand_channels;
  const bool sr = space.family == SpaceFamily::SuperResolution;
  if (sr) doc["input_size"] = {space.input_height, space.input_width};
  for (const Position& p : space.positions) {
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    for (const Candidate& c : p.candidates) {
      nlohmann::ordered_json cj = c.zero ? nlohmann::ordered_json("zero")
                                         : nlohmann::ordered_json{{"kernel_size", c.kernel},
                                                                  {"expand_ratio", c.expand_ratio}};
      if (!c.zero && space.family == SpaceFamily::Hurricane) {
        cj["op"] = std::string(to_string(c.op));
        cj["se"] = c.se;
      }
      if (!c.zero && sr) {
        cj["op"] = std::string(to_string(c.op));
        if (c.op == BlockOp::SrUpsample) {
          cj["upsampler"] = std::string(to_string(c.upsampler));
        } else {
          cj["act"] = std::string(to_string(c.activation));
        }
      }
      candidates.push_back(std::move(cj));
    }
    doc["positions"].push_back({{"stage", p.stage},
                                {"in_channels", p.in_channels},
                                {"out_channels", p.out_channels},
                                {"stride", p.stride},
                                {"candidates", std::move(candidates)}});
    if (mbv3) {
      doc["positions"].back()["se"] = p.se;
      doc["positions"].back()["hswish"] = p.hswish;
    }
  }
  return doc.dump(2) + "\n";
}

void save_search_space(const SearchSpace& space, const std::filesystem::path& path) {
  validate(space);
  write_file_atomically(path, search_space_json(space));
}

SearchSpace load_space_by_name_or_file(std::string_view name_or_path) {
  for (const std::string_view name : builtin_space_names()) {
    if (name == name_or_path) return builtin_space(name);
  }
  const std::filesystem::path path(name_or_path);
  if (!std::filesystem::exists(path)) {
    throw Error(
        "search space '" + std::string(name_or_path) +
        "' is neither a built-in space (proxyless, mobilenetv2, ofa-mbv3, hurricane, sr-edsr) "
        "nor "
        "an existing JSON file");
  }
  return load_search_space(path);
}

}  // namespace vpucost
