// HURRICANE's operator pool: the space's shape, and every kind of operator's
// layers, MACs and parameters against hand counts (arch_complexity's rules:
// convolution weights + 2 per batch-norm channel, SE convolutions with
// biases).
#include "vpucost/hurricane_space.hpp"

#include <gtest/gtest.h>

#include <set>

#include "vpucost/arch_complexity.hpp"
#include "vpucost/error.hpp"
#include "vpucost/search_space_json.hpp"

namespace vpucost::nas {
namespace {

Complexity part_complexity(const NetPart& part) {
  Complexity c;
  for (const Layer& l : part.layers) c += layer_complexity(l);
  return c;
}

std::vector<std::string> layer_names(const NetPart& part) {
  std::vector<std::string> names;
  for (const Layer& l : part.layers) names.push_back(l.name);
  return names;
}

TEST(HurricaneSpace, IsSposBackboneWith32OperatorsPerLayer) {
  const SearchSpace s = hurricane_space();
  EXPECT_NO_THROW(validate(s));
  ASSERT_EQ(s.positions.size(), 20u);
  EXPECT_EQ(s.stem_channels, 16);
  EXPECT_EQ(s.feature_mix_channels, 1024);
  const auto sizes = feature_sizes(s, 224);
  const int widths[] = {64, 160, 320, 640};
  const int layers[] = {4, 4, 8, 4};
  const std::int64_t maps[] = {56, 28, 14, 7};
  std::size_t p = 0;
  for (int stage = 0; stage < 4; ++stage) {
    for (int l = 0; l < layers[stage]; ++l, ++p) {
      EXPECT_EQ(s.positions[p].out_channels, widths[stage]);
      EXPECT_EQ(s.positions[p].stride, l == 0 ? 2 : 1);
      EXPECT_EQ(sizes[p + 1], maps[stage]);
      ASSERT_EQ(s.positions[p].candidates.size(), 32u);
    }
  }
  std::set<std::string> names;
  int se = 0;
  for (const Candidate& c : s.positions[0].candidates) {
    names.insert(c.name());
    se += c.se;
  }
  EXPECT_EQ(names.size(), 32u);
  EXPECT_EQ(se, 16);
  EXPECT_TRUE(names.count("sep_k7") && names.count("k5_e3_se") && names.count("choice_k5") &&
              names.count("choicex_se"));
  EXPECT_TRUE(runs_on_shave(s));
  // The JSON form keeps every operator and SE flag.
  EXPECT_EQ(parse_search_space_json(search_space_json(s)), s);
}

TEST(HurricaneBlock, ShuffleBlockStrideOneIsHalfTheChannels) {
  const NetPart p = hurricane_block_part({BlockOp::Shuffle, 14, 320, 320, 3, 1, 1, false});
  EXPECT_EQ(p.key, "choice-input:14x14x320-output:14x14x320-kernel:3-expand:1-stride:1-se:0");
  EXPECT_EQ(layer_names(p), (std::vector<std::string>{"branch.pw1", "branch.dw", "branch.pw2"}));
  EXPECT_EQ(p.layers[0].in_channels, 160);  // channel split
  const Complexity c = part_complexity(p);
  EXPECT_EQ(c.macs, 196.0 * 160 * 160 * 2 + 196.0 * 160 * 9);  // 10,317,440
  EXPECT_EQ(c.params, (25600.0 + 320) * 2 + (1440 + 320));     // 53,600
  EXPECT_TRUE(p.shave.empty());                                // ReLU fuses
}

TEST(HurricaneBlock, ShuffleBlockStrideTwoHasAProjectionBranch) {
  const NetPart p = hurricane_block_part({BlockOp::Shuffle, 56, 64, 160, 5, 2, 1, false});
  EXPECT_EQ(layer_names(p), (std::vector<std::string>{"proj.dw", "proj.pw", "branch.pw1",
                                                      "branch.dw", "branch.pw2"}));
  EXPECT_EQ(p.layers.back().out_channels, 96);  // 160 - 64 from the main branch
  const Complexity c = part_complexity(p);
  EXPECT_EQ(c.macs, 1254400.0 + 3211264 + 16056320 + 1568000 + 6021120);  // 28,111,104
  EXPECT_EQ(c.params, 1728.0 + 4224 + 5280 + 2160 + 7872);                // 21,264
}

TEST(HurricaneBlock, SepIsTwoDepthwiseSeparableConvolutions) {
  const NetPart p = hurricane_block_part({BlockOp::Sep, 7, 640, 640, 7, 1, 1, false});
  EXPECT_EQ(layer_names(p), (std::vector<std::string>{"sep.dw1", "sep.pw1", "sep.dw2", "sep.pw2"}));
  const Complexity c = part_complexity(p);
  EXPECT_EQ(c.macs, 2 * (49.0 * 640 * 49) + 2 * (49.0 * 640 * 640));     // 43,214,080
  EXPECT_EQ(c.params, 2 * (640.0 * 49 + 1280) + 2 * (409600.0 + 1280));  // 887,040
}

TEST(HurricaneBlock, SeVariantAddsTheModuleAndHswishOnShave) {
  const NetPart p = hurricane_block_part({BlockOp::ShuffleXception, 28, 160, 160, 3, 1, 1, true});
  EXPECT_EQ(layer_names(p), (std::vector<std::string>{
                                "branch.dw1", "branch.pw1", "branch.dw2", "branch.pw2",
                                "branch.dw3", "branch.se.avgpool[pre-pool]", "branch.se.avgpool",
                                "branch.se.reduce", "branch.se.expand", "branch.pw3"}));
  EXPECT_EQ(p.layers[7].out_channels, 24);  // make_divisible(80 / 4, 8)
  std::vector<ShaveOp> ops;
  for (const ShaveStep& s : p.shave) ops.push_back(s.op);
  EXPECT_EQ(ops, (std::vector<ShaveOp>{ShaveOp::hswish, ShaveOp::hswish, ShaveOp::hsigmoid,
                                       ShaveOp::mul, ShaveOp::hswish}));
  // SE params: two 1x1 convs with biases.
  const Complexity plain = part_complexity(
      hurricane_block_part({BlockOp::ShuffleXception, 28, 160, 160, 3, 1, 1, false}));
  EXPECT_EQ(part_complexity(p).params - plain.params, 2.0 * 80 * 24 + 24 + 80);

  const NetPart mb = hurricane_block_part({BlockOp::MBConv, 14, 320, 320, 3, 1, 6, true});
  EXPECT_EQ(mb.key, "mb-input:14x14x320-output:14x14x320-kernel:3-expand:6-stride:1-se:1");
  EXPECT_EQ(mb.layers.back().name, "residual_add");
  EXPECT_EQ(mb.shave.size(), 4u);  // h-swish after expand and depthwise, the SE gate and scale
}

TEST(HurricaneBlock, RefusesChannelsAShuffleBlockCannotSplit) {
  EXPECT_THROW(hurricane_block_part({BlockOp::Shuffle, 14, 320, 321, 3, 2, 1, false}), Error);
  EXPECT_THROW(hurricane_block_part({BlockOp::Shuffle, 14, 320, 160, 3, 2, 1, false}), Error);
  SearchSpace s = hurricane_space();
  s.family = SpaceFamily::ProxylessNAS;  // HURRICANE's operators outside their family
  EXPECT_THROW(validate(s), Error);
}

}  // namespace
}  // namespace vpucost::nas
