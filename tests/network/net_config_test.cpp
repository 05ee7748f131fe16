// Net configs (ProxylessNAS / once-for-all JSON): the shipped networks, the
// writer, and precise errors for bad inputs.
#include "vpucost/net_config.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vpucost/error.hpp"

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
            "net.json: blocks[1].mobile_inverted_conv.use_se: squeeze-and-excitation blocks are "
            "not supported");

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

  j = small_config();
  j["final_expand_layer"] = j["feature_mix_layer"];
  EXPECT_NE(error_of(j.dump()).find("final_expand_layer: MobileNetV3 configs are not supported"),
            std::string::npos);

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
