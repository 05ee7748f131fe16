// once-for-all's MobileNetV3 space and MobileNetV3 net configs: the space's
// shape, the layers and SHAVE steps of its blocks against hand counts and
// against the v2 teacher's MobileNetV3-Large node list, and the latency
// tables' key sets against the published once-for-all tables.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_recordings.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space.hpp"
#include "vpucost/search_space_json.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

namespace fs = std::filesystem;
const fs::path kMbv3Data = VPUCOST_TEST_DATA_DIR;
const fs::path kMbv3Source = VPUCOST_SOURCE_DIR;

std::set<std::string> mbv3_yaml_keys(const YAML::Node& doc) {
  std::set<std::string> keys;
  for (const auto& entry : doc) keys.insert(entry.first.as<std::string>());
  return keys;
}

TEST(OfaMbv3Space, HasOnceForAllsStagesWidthsAndDepths) {
  const SearchSpace s = ofa_mbv3_space();
  EXPECT_NO_THROW(validate(s));
  EXPECT_EQ(s.family, SpaceFamily::MobileNetV3);
  ASSERT_EQ(s.positions.size(), 1u + 5 * 4);
  EXPECT_EQ(s.stem_channels, 24);
  EXPECT_EQ(s.final_expand_channels, 1152);
  EXPECT_EQ(s.feature_mix_channels, 1536);
  const int widths[] = {32, 48, 96, 136, 192};
  const bool se[] = {false, true, false, true, true};
  const bool hs[] = {false, false, true, true, true};
  for (std::size_t p = 1; p < s.positions.size(); ++p) {
    const Position& pos = s.positions[p];
    const std::size_t stage = (p - 1) / 4, index = (p - 1) % 4;
    EXPECT_EQ(pos.out_channels, widths[stage]) << p;
    EXPECT_EQ(pos.se, se[stage]) << p;
    EXPECT_EQ(pos.hswish, hs[stage]) << p;
    // 3 kernels x 3 expand ratios; the zero op on the third and fourth (depth 2-4).
    EXPECT_EQ(pos.candidates.size(), index >= 2 ? 10u : 9u) << p;
  }
  // Middle widths as once-for-all rounds them (136 x 3 = 408, 24 x 4 = 96).
  EXPECT_EQ(middle_channels(s, s.positions[17], s.positions[17].candidates[0]), 408);
  EXPECT_EQ(make_divisible_by_8(19.2), 24);  // 16 x 1.2: the stem width
  EXPECT_EQ(make_divisible_by_8(134.4), 136);
  EXPECT_EQ(make_divisible_by_8(4), 8);
}

TEST(OfaMbv3Space, JsonRoundTripsAndProxylessFilesStayAsTheyWere) {
  const SearchSpace s = ofa_mbv3_space();
  const std::string text = search_space_json(s);
  EXPECT_NE(text.find("\"family\": \"mobilenetv3\""), std::string::npos);
  EXPECT_EQ(parse_search_space_json(text), s);
  EXPECT_EQ(search_space_json(proxyless_space()).find("family"), std::string::npos);
  EXPECT_THROW(parse_search_space_json(R"({"family": "resnet", "stages": []})"), Error);
}

TEST(Mbv3Block, SeHswishBlockHasTheLayersAndShaveStepsOfTheMappingRules) {
  // Stage 2 of MobileNetV3-Large: 24 -> 40, expand 72, kernel 5, stride 2, SE, ReLU.
  Mbv3Block b;
  b.conv = {56, 24, 40, 5, 2, 3, 72, false};
  b.se = true;
  NetPart part = mbv3_block_part(b);
  EXPECT_EQ(part.key,
            "expanded_conv-input:56x56x24-output:28x28x40-expand:72-kernel:5-stride:2-idskip:0-"
            "se:1-hs:0");
  std::vector<std::string> names;
  for (const Layer& l : part.layers) names.push_back(l.name);
  const std::vector<std::string> expected{"expand",     "depthwise", "se.avgpool[pre-pool]",
                                          "se.avgpool", "se.reduce", "se.expand",
                                          "project"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(part.layers[2].kernel_w, 2);  // 28 -> 14 first: VPUNN's kernels stop at 15
  EXPECT_EQ(part.layers[3].in_width, 14);
  EXPECT_EQ(part.layers[4].out_channels, 24);  // make_divisible(72 / 4, 8)
  ASSERT_EQ(part.shave.size(), 2u);            // ReLU fuses: only the SE gate and scale
  EXPECT_EQ(part.shave[0], (ShaveStep{"se.hsigmoid", ShaveOp::hsigmoid, 1, 1, 72, 6}));
  EXPECT_EQ(part.shave[1], (ShaveStep{"se.scale", ShaveOp::mul, 28, 28, 72, 6}));

  // h-swish, no SE, residual: a SHAVE h-swish after the expand and the depthwise.
  b = {{14, 80, 80, 3, 1, 3, 184, true}, false, true};
  part = mbv3_block_part(b);
  ASSERT_EQ(part.layers.size(), 4u);  // expand, depthwise, project, residual_add
  ASSERT_EQ(part.shave.size(), 2u);
  EXPECT_EQ(part.shave[0], (ShaveStep{"expand.act", ShaveOp::hswish, 14, 14, 184, 1}));
  EXPECT_EQ(part.shave[1], (ShaveStep{"depthwise.act", ShaveOp::hswish, 14, 14, 184, 2}));
  EXPECT_THROW(global_avg_pool_layers("p", 17, 16), Error);  // no s in 2..8 divides 17
}

// The net config of torchvision's mobilenet_v3_large (nets/) becomes exactly
// the DPU layers and SHAVE operations of the teacher's node list, in order.
TEST(MobileNetV3Config, IsTheTeachersMobileNetV3LargeNodeForNode) {
  const NetConfig c = load_net_config(kMbv3Source / "nets/mobilenet_v3_large.json");
  EXPECT_EQ(c.family, SpaceFamily::MobileNetV3);
  EXPECT_EQ(parameter_count(c), 5483032);  // torchvision's count
  const Device d = Device::VPU_4_0;
  const NetworkRecordings rec =
      read_network_csv(kMbv3Source / "data/samples/v2/networks/vpu_4_0_mobilenet_v3_large.csv");
  std::vector<const NetworkNodeRecord*> teacher;
  for (const NetworkNodeRecord& r : rec.items) {
    if (r.dtype == DType::UINT8 && r.kind != NodeKind::NoCost) teacher.push_back(&r);
  }
  std::size_t i = 0;
  for (const NetPart& part : net_parts(c, 224)) {
    std::size_t step = 0;
    for (std::size_t l = 0; l <= part.layers.size(); ++l) {
      for (; step < part.shave.size() && part.shave[step].after_layers == l; ++step, ++i) {
        ASSERT_LT(i, teacher.size());
        const ShaveStep& s = part.shave[step];
        ASSERT_EQ(teacher[i]->kind, NodeKind::Shave) << teacher[i]->node << " vs " << s.name;
        EXPECT_EQ(teacher[i]->shave.operation, s.op) << teacher[i]->node;
        EXPECT_EQ(teacher[i]->shave.input, (Tensor{s.width, s.height, s.channels, DType::UINT8}))
            << teacher[i]->node;
      }
      if (l == part.layers.size()) break;
      ASSERT_LT(i, teacher.size());
      ASSERT_EQ(teacher[i]->kind, NodeKind::Dpu) << teacher[i]->node;
      const Workload ours = layer_workload(part.layers[l], d, DType::UINT8);
      const Workload& theirs = teacher[i]->layer;
      EXPECT_EQ(ours.operation, theirs.operation) << teacher[i]->node;
      EXPECT_EQ(ours.input, theirs.input) << teacher[i]->node;
      EXPECT_EQ(ours.output, theirs.output) << teacher[i]->node;
      EXPECT_EQ(ours.kernel_w, theirs.kernel_w) << teacher[i]->node;
      EXPECT_EQ(ours.stride_w, theirs.stride_w) << teacher[i]->node;
      EXPECT_EQ(ours.padding, theirs.padding) << teacher[i]->node;
      ++i;
    }
  }
  EXPECT_EQ(i, teacher.size());
}

TEST(MobileNetV3Config, WriterRoundTripsInOnceForAllsSpelling) {
  const NetConfig c = load_net_config(kMbv3Source / "nets/mobilenet_v3_large.json");
  const std::string text = net_config_json(c);
  const nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc.at("blocks")[3].at("conv").at("use_se"), true);
  EXPECT_EQ(doc.at("blocks")[6].at("conv").at("act_func"), "h_swish");
  const NetConfig again = parse_net_config(text);
  EXPECT_EQ(net_config_json(again), text);
  EXPECT_EQ(parameter_count(again), parameter_count(c));
}

class OfaMbv3Table : public ::testing::Test {
 protected:
  const fs::path models_ = VPUCOST_MODELS_DIR;
  const RooflineModel roofline_{};
  const ShaveModel shave_ = load_shave_model(models_ / "shave_vpu_4_0.h5");
  const DmaModel dma_ = load_dma_model(models_ / "dma_vpu_4_0.h5");
};

TEST_F(OfaMbv3Table, HasExactlyOnceForAllsKeysAtEveryResolution) {
  const NetworkCoster coster(roofline_, Device::VPU_4_0, DType::UINT8, LatencyMode::compute, &dma_,
                             &shave_);
  const SearchSpace space = ofa_mbv3_space();
  for (const int r : {160, 176, 192, 208, 224}) {
    const LatencyTable t = build_latency_table(space, r, coster);
    const YAML::Node ours = YAML::Load(proxyless_yaml(t));
    const YAML::Node published = YAML::LoadFile(
        (kMbv3Data / ("ofa_note10_" + std::to_string(r) + "_lookup_table.yaml")).string());
    EXPECT_EQ(mbv3_yaml_keys(ours), mbv3_yaml_keys(published)) << r;
    ASSERT_EQ(t.pooled_head.size(), 2u);
    // Every SE block costs SHAVE time; an architecture's latency adds up.
    for (const auto& position : t.blocks) {
      for (const LutEntry& e : position) {
        if (e.candidate_name == "zero") continue;
        double sum = 0;
        for (const LayerCost& l : e.layers) sum += l.cost.cycles;
        for (const ShaveCost& s : e.shave) sum += s.cycles;
        EXPECT_DOUBLE_EQ(e.cycles, sum);
        if (space.positions[std::size_t(e.position)].se) {
          EXPECT_FALSE(e.shave.empty());
        }
      }
    }
    const Architecture first(space.positions.size(), 0);
    double ms = 0;
    for (const LutEntry* e : t.entries()) {
      if (e->kind != PartKind::Block) ms += e->ms;
    }
    for (std::size_t p = 0; p < first.size(); ++p) ms += t.blocks[p][0].ms;
    EXPECT_NEAR(t.latency_ms(first), ms, 1e-9 * ms);
  }
}

TEST_F(OfaMbv3Table, NeedsAShaveModel) {
  const NetworkCoster coster(roofline_, Device::VPU_4_0, DType::UINT8, LatencyMode::compute, &dma_);
  try {
    build_latency_table(ofa_mbv3_space(), 224, coster);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs a SHAVE model of VPU_4_0 (--shave-model)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vpucost
