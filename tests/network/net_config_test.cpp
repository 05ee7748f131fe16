// Net configs (ProxylessNAS / once-for-all JSON): the shipped networks, the
// writer, and precise errors for bad inputs.
#include "vpucost/net_config.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {
namespace {

const std::string kNetConfigDir = std::string(VPUCOST_SOURCE_DIR) + "/nets/";

std::string error_of(const std::string& json) {
  try {
    parse_net_config(json, "net.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A valid two-block config whose pieces the error tests replace.
nlohmann::json small_config() {
  return nlohmann::json::parse(R"({
    "name": "small",
    "first_conv": {"name": "ConvLayer", "in_channels": 3, "out_channels": 16, "kernel_size": 3, "stride": 2},
    "blocks": [
      {"name": "MobileInvertedResidualBlock",
       "mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": 16, "out_channels": 24,
                                "kernel_size": 3, "stride": 2, "expand_ratio": 6, "mid_channels": null},
       "shortcut": null},
      {"name": "MobileInvertedResidualBlock",
       "mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": 24, "out_channels": 24,
                                "kernel_size": 5, "stride": 1, "expand_ratio": 3, "mid_channels": null},
       "shortcut": {"name": "IdentityLayer", "in_channels": [24], "out_channels": [24]}}
    ],
    "feature_mix_layer": {"name": "ConvLayer", "in_channels": 24, "out_channels": 64, "kernel_size": 1, "stride": 1},
    "classifier": {"name": "LinearLayer", "in_features": 64, "out_features": 10}
  })");
}

TEST(NetConfig, ProxylessNasMobileHas408MParameters) {
  const NetConfig c = load_net_config(kNetConfigDir + "proxylessnas_mobile.json");
  EXPECT_EQ(c.name, "ProxylessNASNets");
  ASSERT_EQ(c.blocks.size(), 22u);
  int zero = 0;
  for (const auto& b : c.blocks) zero += b.zero;
  EXPECT_EQ(zero, 2);
  // 4.08M as the ProxylessNAS paper reports (conv weights, batch norms, classifier).
  EXPECT_EQ(parameter_count(c), 4080512);
  const auto parts = net_parts(c, 224);
  ASSERT_EQ(parts.size(), 1 + 20 + 1 + 1u);
  EXPECT_EQ(parts[1].key,
            "expanded_conv-input:112x112x32-output:112x112x16-expand:1-kernel:3-stride:1-idskip:0");
  EXPECT_EQ(parts[3].key,
            "expanded_conv-input:56x56x32-output:56x56x32-expand:3-kernel:3-stride:1-idskip:1");
  EXPECT_EQ(parts[3].name, "blocks[2]");
  EXPECT_EQ(parts[4].name, "blocks[5]");  // blocks 3 and 4 are zero blocks
  EXPECT_EQ(parts.back().key, "Logits-input:7x7x1280-output:1000");
}

TEST(NetConfig, MobileNetV2HasItsStandardParameterCount) {
  const NetConfig c = load_net_config(kNetConfigDir + "mobilenetv2.json");
  ASSERT_EQ(c.blocks.size(), 17u);
  EXPECT_EQ(parameter_count(c), 3504872);  // torchvision's mobilenet_v2
  // The same network as the built-in space's only architecture.
  NetConfig from_space = net_config_from_architecture(
      mobilenetv2_space(), Architecture(mobilenetv2_space().positions.size(), 0));
  EXPECT_EQ(from_space.name, "ProxylessNASNets");  // the class the NAS tools build
  from_space.name = c.name;
  EXPECT_EQ(net_config_json(from_space), net_config_json(c));
}

TEST(NetConfig, WriterRoundTrips) {
  for (const char* file : {"proxylessnas_mobile.json", "mobilenetv2.json"}) {
    const NetConfig c = load_net_config(kNetConfigDir + file);
    const NetConfig again = parse_net_config(net_config_json(c));
    EXPECT_EQ(net_config_json(again), net_config_json(c));
    EXPECT_EQ(parameter_count(again), parameter_count(c));
  }
}

// The keys once-for-all's ProxylessNASLatencyTable looks up for a net config,
// built the way it walks one: every block must have "shortcut", and a block
// whose conv is not null must have every field it reads.
std::vector<std::string> once_for_all_keys(const nlohmann::json& net, int resolution) {
  const auto shape = [](int h, long c) {
    return std::to_string(h) + "x" + std::to_string(h) + "x" + std::to_string(c);
  };
  int size = (resolution + 1) / 2;
  std::vector<std::string> keys{"Conv-input:" + shape(resolution, 3) +
                                "-output:" + shape(size, net.at("first_conv").at("out_channels"))};
  for (const auto& block : net.at("blocks")) {
    const auto& conv = block.at("mobile_inverted_conv");
    const bool skip = !block.at("shortcut").is_null();
    if (conv.is_null()) continue;
    const int stride = conv.at("stride");
    const int out = (size - 1) / stride + 1;
    keys.push_back("expanded_conv-input:" + shape(size, conv.at("in_channels")) +
                   "-output:" + shape(out, conv.at("out_channels")) +
                   "-expand:" + std::to_string(int(conv.at("expand_ratio"))) +
                   "-kernel:" + std::to_string(int(conv.at("kernel_size"))) +
                   "-stride:" + std::to_string(stride) + "-idskip:" + (skip ? "1" : "0"));
    size = out;
  }
  const auto& mix = net.at("feature_mix_layer");
  keys.push_back("Conv_1-input:" + shape(size, mix.at("in_channels")) +
                 "-output:" + shape(size, mix.at("out_channels")));
  keys.push_back("Logits-input:" + shape(size, net.at("classifier").at("in_features")) +
                 "-output:" + std::to_string(int(net.at("classifier").at("out_features"))));
  return keys;
}

TEST(NetConfig, WrittenConfigsHaveNoZeroBlocksAndOnceForAllsTableReadsThem) {
  const NetConfig c = load_net_config(kNetConfigDir + "proxylessnas_mobile.json");
  ASSERT_EQ(c.blocks.size(), 22u);  // two of them zero blocks
  const std::string written = net_config_json(c);
  EXPECT_EQ(written.find("ZeroLayer"), std::string::npos);
  const nlohmann::json doc = nlohmann::json::parse(written);
  ASSERT_EQ(doc.at("blocks").size(), 20u);
  for (const auto& block : doc.at("blocks"))
    EXPECT_FALSE(block.at("mobile_inverted_conv").is_null());

  // Read back: the same network, part for part, with the same parameters.
  const NetConfig again = parse_net_config(written);
  EXPECT_EQ(again.blocks.size(), 20u);
  EXPECT_EQ(parameter_count(again), parameter_count(c));
  const auto parts = net_parts(c, 224), parts_again = net_parts(again, 224);
  ASSERT_EQ(parts.size(), parts_again.size());
  for (std::size_t i = 0; i < parts.size(); ++i) EXPECT_EQ(parts_again[i].key, parts[i].key);

  // once-for-all's walk over the written config looks up the keys we cost.
  const std::vector<std::string> keys = once_for_all_keys(doc, 224);
  ASSERT_EQ(keys.size(), parts.size());
  for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], parts[i].key);

  // A searched architecture with skipped blocks: written without them, and
  // every key once-for-all looks up is in our table of the space.
  const SearchSpace space = proxyless_space();
  Architecture arch(space.positions.size(), 0);
  int skipped = 0;
  for (std::size_t p = 0; p < arch.size(); ++p) {
    if (space.positions[p].candidates.back().zero && p % 2 == 0) {
      arch[p] = int(space.positions[p].candidates.size()) - 1;
      ++skipped;
    }
  }
  ASSERT_GT(skipped, 2);
  const nlohmann::json searched =
      nlohmann::json::parse(net_config_json(net_config_from_architecture(space, arch)));
  EXPECT_EQ(searched.at("blocks").size(), arch.size() - std::size_t(skipped));
  const RooflineModel roofline{};
  const NetworkCoster coster(roofline, Device::VPU_2_7, DType::UINT8);
  const LatencyTable table = build_latency_table(space, 224, coster);
  const YAML::Node ours = YAML::Load(proxyless_yaml(table));
  double ms = 0;
  for (const std::string& key : once_for_all_keys(searched, 224)) {
    ASSERT_TRUE(ours[key]) << key;
    ms += ours[key]["mean"].as<double>();
  }
  EXPECT_NEAR(ms, table.latency_ms(arch), 1e-9 * ms);  // what once-for-all would sum
}

TEST(NetConfig, OnceForAllSpellingsAndOptionalParts) {
  auto j = small_config();
  j["blocks"][0]["name"] = "ResidualBlock";
  j["blocks"][0]["conv"] = j["blocks"][0]["mobile_inverted_conv"];
  j["blocks"][0].erase("mobile_inverted_conv");
  j["blocks"][0]["conv"]["name"] = "MBConvLayer";
  j["blocks"][1]["mobile_inverted_conv"]["mid_channels"] = 72;
  j["blocks"].push_back({{"name", "MobileInvertedResidualBlock"},
                         {"mobile_inverted_conv", nullptr},
                         {"shortcut", nullptr}});
  const NetConfig c = parse_net_config(j.dump());
  EXPECT_EQ(c.blocks.size(), 3u);
  EXPECT_TRUE(c.blocks[2].zero);
  EXPECT_EQ(c.blocks[1].conv.mid(), 72);
  EXPECT_TRUE(c.blocks[1].conv.residual);
  j["feature_mix_layer"] = nullptr;
  j["classifier"]["in_features"] = 24;
  EXPECT_FALSE(parse_net_config(j.dump()).feature_mix.has_value());
  EXPECT_EQ(net_parts(parse_net_config(j.dump()), 64).back().key,
            "Logits-input:16x16x24-output:10");
}

TEST(NetConfig, BadInputsNameTheJsonPath) {
  auto j = small_config();
  j["blocks"][1]["mobile_inverted_conv"]["kernel_size"] = -3;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].mobile_inverted_conv.kernel_size: expected a positive integer, "
            "got -3");

  j = small_config();
  j["blocks"][1]["name"] = "ResNetBlock";
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].name: unknown block type 'ResNetBlock' (expected "
            "MobileInvertedResidualBlock or ResidualBlock)");

  j = small_config();
  j["blocks"][0]["mobile_inverted_conv"]["out_channels"] = 0;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[0].mobile_inverted_conv.out_channels: expected a positive integer, "
            "got 0");

  j = small_config();
  j["first_conv"]["out_channels"] = "16";
  EXPECT_EQ(error_of(j.dump()),
            "net.json: first_conv.out_channels: expected a positive integer, got \"16\"");

  j = small_config();
  j["blocks"][0]["mobile_inverted_conv"]["in_channels"] = 1e12;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[0].mobile_inverted_conv.in_channels: expected a positive integer "
            "(at most 16384), got 1000000000000.0");

  j = small_config();
  j["blocks"][1]["mobile_inverted_conv"]["in_channels"] = 32;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].mobile_inverted_conv.in_channels: 32 does not match the 24 "
            "channels the previous layer outputs");

  j = small_config();
  j["blocks"][0]["shortcut"] = {{"name", "IdentityLayer"}};
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[0].shortcut: an identity shortcut needs stride 1 and in_channels == "
            "out_channels (got stride 2, 16 -> 24)");

  j = small_config();
  j["blocks"][1]["mobile_inverted_conv"]["kernel_size"] = 4;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].mobile_inverted_conv.kernel_size: expected an odd kernel size, "
            "got 4");

  j = small_config();
  j["blocks"][1]["mobile_inverted_conv"]["use_se"] = true;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].mobile_inverted_conv.use_se: squeeze-and-excitation is read in "
            "MobileNetV3 configs (with a final_expand_layer)");

  j = small_config();
  j["blocks"][1]["mobile_inverted_conv"]["act_func"] = "gelu";
  EXPECT_EQ(error_of(j.dump()),
            "net.json: blocks[1].mobile_inverted_conv.act_func: unsupported activation 'gelu' "
            "(relu, relu6, h_swish or null)");

  j = small_config();
  j["blocks"][0]["mobile_inverted_conv"].erase("expand_ratio");
  EXPECT_EQ(error_of(j.dump()), "net.json: blocks[0].mobile_inverted_conv.expand_ratio: missing");

  j = small_config();
  j["classifier"]["in_features"] = 128;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: classifier.in_features: 128 does not match the 64 channels the previous "
            "layer outputs");

  j = small_config();
  j["blocks"] = 3;
  EXPECT_EQ(error_of(j.dump()), "net.json: blocks: expected an array, got a number");

  // A MobileNetV3 config: its final expand must take the last block's channels.
  j = small_config();
  j["final_expand_layer"] = j["feature_mix_layer"];
  j["final_expand_layer"]["in_channels"] = 32;
  EXPECT_EQ(error_of(j.dump()),
            "net.json: final_expand_layer.in_channels: 32 does not match the 24 channels the "
            "previous layer outputs");

  EXPECT_EQ(error_of("[]"), "net.json: expected an object, got an array");
  EXPECT_EQ(error_of("{}"), "net.json: first_conv: missing");
  EXPECT_NE(error_of("{\"first_conv\": ").find("net.json: not valid JSON: parse error at line 1"),
            std::string::npos);
  EXPECT_EQ(error_of(std::string(40, '{')), "net.json: nests deeper than 32 levels");
  // Found by fuzzing: a number beyond double range is a JSON error, not a crash.
  EXPECT_EQ(error_of(R"({"first_conv": 313333e3333})"),
            "net.json: not valid JSON: number overflow parsing '313333e3333'");
  EXPECT_THROW(load_net_config(kNetConfigDir + "no_such_net.json"), Error);
}

}  // namespace
}  // namespace vpucost
