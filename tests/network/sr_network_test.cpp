// Super-resolution nets and the sr-edsr space (issue #17 item 4): the layers,
// SHAVE steps and DMA copies of each block and upsampler against hand
// counts, parameters, the bilinear-as-depthwise identity the mapping relies
// on, config and space JSON round trips, the candidates a device cannot run,
// and table latency = the net's latency.
#include "vpucost/sr_network.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <vector>

#include "../../network/src/range_split.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space_json.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost {
namespace {

const std::filesystem::path kSrModels = VPUCOST_MODELS_DIR;

std::vector<std::string> sr_layer_names(const NetPart& p) {
  std::vector<std::string> out;
  for (const Layer& l : p.layers) out.push_back(l.name);
  return out;
}

TEST(SrNet, NormalBlockIsTwoConvsAndTheResidualAddWithReluFused) {
  const SrNet n;
  const NetPart p = sr_block_part(n, {3, false, SrActivation::relu});
  EXPECT_EQ(p.key, "sr_block-input:360x640x32-kernel:3-expand:1-conv:normal-act:relu");
  EXPECT_EQ(sr_layer_names(p), (std::vector<std::string>{"conv1", "conv2", "residual_add"}));
  EXPECT_TRUE(p.shave.empty());
  const Layer& c = p.layers[0];
  EXPECT_EQ(c.kind, LayerKind::Convolution);
  EXPECT_EQ(c.in_height, 360);
  EXPECT_EQ(c.in_width, 640);
  EXPECT_EQ(c.out_height(), 360);  // 'same' padding
  EXPECT_EQ(c.out_width(), 640);
  EXPECT_EQ(c.kernel_w, 3);
  EXPECT_EQ(p.layers[2].kind, LayerKind::EltwiseAdd);
}

TEST(SrNet, SeparableBlockWithPreluRunsThePreluOnShaveAfterTheFirstPointwise) {
  const SrNet n;
  const NetPart p = sr_block_part(n, {5, true, SrActivation::prelu});
  EXPECT_EQ(sr_layer_names(p),
            (std::vector<std::string>{"dw1", "pw1", "dw2", "pw2", "residual_add"}));
  EXPECT_EQ(p.layers[0].kind, LayerKind::DepthwiseConvolution);
  EXPECT_EQ(p.layers[0].kernel_w, 5);
  EXPECT_EQ(p.layers[1].kernel_w, 1);
  ASSERT_EQ(p.shave.size(), 1u);
  EXPECT_EQ(p.shave[0].op, ShaveOp::prelu);
  EXPECT_EQ(p.shave[0].after_layers, 2u);
  EXPECT_EQ(p.shave[0].width, 640);
  EXPECT_EQ(p.shave[0].height, 360);
  EXPECT_EQ(p.shave[0].channels, 32);
  // LeakyReLU (one slope) and no activation add nothing to the layers.
  for (const SrActivation a : {SrActivation::lrelu, SrActivation::none}) {
    const NetPart q = sr_block_part(n, {5, true, a});
    EXPECT_TRUE(q.shave.empty());
    EXPECT_EQ(q.layers, p.layers);
  }
}

TEST(SrNet, WideActivationExpandsTheFirstConvolutionAndThePrelu) {
  const SrNet n;
  const NetPart p = sr_block_part(n, {3, true, SrActivation::prelu, 4});
  EXPECT_EQ(p.key, "sr_block-input:360x640x32-kernel:3-expand:4-conv:separable-act:prelu");
  ASSERT_EQ(p.layers.size(), 5u);
  EXPECT_EQ(p.layers[0].in_channels, 32);    // dw1 on F
  EXPECT_EQ(p.layers[1].out_channels, 128);  // pw1 F -> 4F
  EXPECT_EQ(p.layers[2].in_channels, 128);   // dw2 on 4F
  EXPECT_EQ(p.layers[3].out_channels, 32);   // pw2 4F -> F
  ASSERT_EQ(p.shave.size(), 1u);
  EXPECT_EQ(p.shave[0].channels, 128);
  SrNet wide;
  wide.features = 8;
  wide.blocks = {{3, false, SrActivation::prelu, 4}};
  wide.upsampler = Upsampler::nearest;
  const std::int64_t fixed = (3 * 8 * 9 + 8) + (8 * 8 * 9 + 8) + (8 * 3 * 9 + 3);
  EXPECT_EQ(sr_parameter_count(wide), fixed + (8 * 32 * 9 + 32) + (32 * 8 * 9 + 8) + 32);
}

TEST(SrNet, EachUpsamplerRunsOnItsEngine) {
  SrNet n;
  const auto tail = [&](Upsampler u) {
    n.upsampler = u;
    return sr_tail_part(n);
  };
  const NetPart nearest = tail(Upsampler::nearest);
  EXPECT_EQ(nearest.key, "sr_tail-input:360x640x32-output:720x1280x3-upsampler:nearest");
  EXPECT_EQ(sr_layer_names(nearest),
            (std::vector<std::string>{"body_end", "global_add", "output_conv"}));
  ASSERT_EQ(nearest.dma.size(), 1u);
  EXPECT_EQ(nearest.dma[0], (DmaStep{"upsample.nearest", 1280, 720, 32, 2}));
  EXPECT_TRUE(nearest.shave.empty());
  const Layer& out = nearest.layers.back();
  EXPECT_EQ(out.in_height, 720);
  EXPECT_EQ(out.in_width, 1280);
  EXPECT_EQ(out.out_channels, 3);

  const NetPart bilinear = tail(Upsampler::bilinear);
  ASSERT_EQ(bilinear.layers.size(), 4u);
  EXPECT_EQ(bilinear.layers[2].kind, LayerKind::DepthwiseConvolution);
  EXPECT_EQ(bilinear.layers[2].in_height, 720);
  EXPECT_EQ(bilinear.layers[2].kernel_w, 3);
  EXPECT_TRUE(bilinear.shave.empty() && bilinear.dma.empty());

  const NetPart corners = tail(Upsampler::bilinear_align_corners);
  ASSERT_EQ(corners.shave.size(), 1u);
  EXPECT_EQ(corners.shave[0].op, ShaveOp::interpolate);
  EXPECT_EQ(corners.shave[0].param, 2);
  EXPECT_EQ(corners.shave[0].height, 360);  // it reads the low-resolution tensor

  const NetPart d2s = tail(Upsampler::depth_to_space);
  EXPECT_EQ(sr_layer_names(d2s),
            (std::vector<std::string>{"body_end", "global_add", "upsample.conv", "output_conv"}));
  EXPECT_EQ(d2s.layers[2].out_channels, 128);  // 4F for block 2
  ASSERT_EQ(d2s.shave.size(), 1u);
  EXPECT_EQ(d2s.shave[0].op, ShaveOp::depth_to_space);
  EXPECT_EQ(d2s.shave[0].channels, 128);
  EXPECT_EQ(d2s.shave[0].after_layers, 3u);
}

// The mapping's claim: bilinear x2 with half-pixel centres (PyTorch's
// align_corners=False) equals nearest x2 then the [1 2 1]/4 filter, in the
// interior of the image (the border differs only by edge handling).
TEST(SrNet, BilinearTimesTwoIsNearestThenTheOneTwoOneFilter) {
  const std::array<double, 6> x{0.5, 2.0, -1.0, 4.0, 3.5, 0.0};
  std::vector<double> nearest;
  for (const double v : x) nearest.insert(nearest.end(), {v, v});
  for (std::size_t o = 1; o + 1 < nearest.size(); ++o) {
    const double filtered = 0.25 * nearest[o - 1] + 0.5 * nearest[o] + 0.25 * nearest[o + 1];
    // Bilinear: output o samples the input at (o + 0.5) / 2 - 0.5.
    const double at = (double(o) + 0.5) / 2.0 - 0.5;
    const auto i = static_cast<std::size_t>(std::floor(at));
    const double t = at - double(i);
    const double bilinear = (1 - t) * x[i] + t * x[std::min(i + 1, x.size() - 1)];
    EXPECT_NEAR(filtered, bilinear, 1e-12) << o;
  }
}

TEST(SrNet, ParametersAreCountedByHand) {
  SrNet n;
  n.features = 8;
  n.blocks = {{3, false, SrActivation::prelu}, {5, true, SrActivation::relu}};
  n.upsampler = Upsampler::depth_to_space;
  const std::int64_t head = 3 * 8 * 9 + 8;
  const std::int64_t normal = 2 * (8 * 8 * 9 + 8) + 8;              // + PReLU slopes
  const std::int64_t separable = 2 * ((8 * 25 + 8) + (8 * 8 + 8));  // dw + pw, twice
  const std::int64_t tail = (8 * 8 * 9 + 8) + (8 * 32 * 9 + 32) + (8 * 3 * 9 + 3);
  EXPECT_EQ(sr_parameter_count(n), head + normal + separable + tail);
  n.upsampler = Upsampler::nearest;
  EXPECT_EQ(sr_parameter_count(n), head + normal + separable + tail - (8 * 32 * 9 + 32));
}

TEST(SrNet, ConfigRoundTripsAndNetReadsIt) {
  SrNet n;
  n.name = "mine";
  n.input_height = 180;
  n.input_width = 320;
  n.blocks = {{1, false, SrActivation::lrelu}, {3, true, SrActivation::none}};
  n.upsampler = Upsampler::bilinear_align_corners;
  const NetConfig c = parse_net_config(sr_config_json(n));
  ASSERT_TRUE(c.sr.has_value());
  EXPECT_EQ(*c.sr, n);
  EXPECT_EQ(c.family, SpaceFamily::SuperResolution);
  EXPECT_EQ(net_config_json(c), sr_config_json(n));
  EXPECT_EQ(parameter_count(c), sr_parameter_count(n));
  const auto parts = net_parts(c, 224);  // the resolution does not apply
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].layers[0].in_height, 180);
  EXPECT_EQ(parts[1].name, "blocks[0]");
}

TEST(SrNet, BadConfigsNameTheField) {
  const auto message = [](const std::string& text) {
    try {
      parse_net_config(text, "sr.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string base = R"("input_size": [360, 640], "n_feats": 32, "blocks": [)";
  EXPECT_EQ(message("{" + base + R"(], "upsampler": "bicubic"})"),
            "sr.json: upsampler: unknown value 'bicubic' (expected nearest, bilinear, "
            "bilinear_align_corners, depth_to_space)");
  EXPECT_NE(
      message("{" + base + R"({"kernel_size": 4, "act_func": "relu"}], "upsampler": "nearest"})")
          .find("blocks[0].kernel_size"),
      std::string::npos);
  EXPECT_NE(
      message("{" + base + R"({"kernel_size": 3, "act_func": "gelu"}], "upsampler": "nearest"})")
          .find("blocks[0].act_func: unknown value 'gelu'"),
      std::string::npos);
  EXPECT_NE(message(R"({"input_size": [360], "n_feats": 32, "blocks": [], "upsampler": "nearest"})")
                .find("input_size: expected [height, width]"),
            std::string::npos);
  EXPECT_NE(message("{" + base + R"(], "scale": 3, "upsampler": "nearest"})").find("scale"),
            std::string::npos);
}

TEST(SrEdsrSpace, HasEightBlockPositionsAndTheUpsamplerTail) {
  const SearchSpace s = builtin_space("sr-edsr");
  EXPECT_NO_THROW(validate(s));
  EXPECT_EQ(s.family, SpaceFamily::SuperResolution);
  ASSERT_EQ(s.positions.size(), 9u);
  for (std::size_t p = 0; p < 8; ++p) EXPECT_EQ(s.positions[p].candidates.size(), 41u);
  std::vector<std::string> tail;
  for (const Candidate& c : s.positions[8].candidates) tail.push_back(c.name());
  EXPECT_EQ(tail,
            (std::vector<std::string>{"up_nearest", "up_bilinear", "up_bilinear_ac", "up_d2s"}));
  EXPECT_EQ(s.positions[0].candidates[0].name(), "k1_relu");
  EXPECT_EQ(s.positions[0].candidates[14].name(), "k1_e4_prelu");
  EXPECT_EQ(s.positions[0].candidates[26].name(), "sep_k3_prelu");
  EXPECT_EQ(s.positions[0].candidates[40].name(), "zero");
  EXPECT_TRUE(runs_on_shave(s));
  EXPECT_EQ(sr_input_width(s, 720), 1280);
  EXPECT_THROW(sr_input_width(s, 224), Error);  // no whole width at 16:9
  // The search-space JSON holds it.
  EXPECT_EQ(parse_search_space_json(search_space_json(s)), s);
  // An upsampler in a block position is refused.
  SearchSpace bad = s;
  bad.positions[0].candidates.push_back(s.positions[8].candidates[0]);
  EXPECT_THROW(validate(bad), Error);
}

// A predictor trusted up to 224 columns and rows that answers output pixels
// and remembers what it was asked.
class ExtentProbe final : public CyclePredictor {
 public:
  mutable std::vector<Workload> asked;
  double predict_cycles(const Workload& w) const override {
    asked.push_back(w);
    return double(w.output.width * w.output.height) + 100.0;
  }
  std::string_view source() const override { return "probe"; }
  std::int64_t max_extent() const override { return 224; }
};

TEST(RangeSplit, AWorkloadBeyondTheTrainedExtentIsCostedAsItsPiecesWithinIt) {
  Workload w;
  w.device = Device::VPU_2_7;
  w.operation = Operation::CONVOLUTION;
  w.input = {1280, 26, 32, DType::UINT8};
  w.output = {1280, 24, 32, DType::UINT8};
  w.kernel_w = w.kernel_h = 3;
  w.padding = {0, 0, 1, 1};
  Workload small = w;
  small.input.width = small.output.width = 100;
  const ExtentProbe probe;
  const std::vector<Workload> both{w, small};
  std::vector<double> out(2);
  detail::predict_in_range(probe, both, out);
  ASSERT_EQ(probe.asked.size(), 6u + 1);  // ceil(1280 / 224) = 6 column pieces, the small one whole
  std::int64_t columns = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    const Workload& piece = probe.asked[i];
    EXPECT_LE(piece.output.width, 224);
    EXPECT_EQ(piece.output.height, 24);
    // Each reads its halo: input = output + 2 minus the padding it keeps.
    EXPECT_EQ(piece.input.width + piece.padding.left + piece.padding.right, piece.output.width + 2);
    columns += piece.output.width;
  }
  EXPECT_EQ(columns, 1280);
  EXPECT_EQ(probe.asked[0].padding.left, 1);  // the border keeps its padding
  EXPECT_EQ(probe.asked[0].padding.right, 0);
  EXPECT_DOUBLE_EQ(out[0], 1280.0 * 24 + 6 * 100.0);
  EXPECT_DOUBLE_EQ(out[1], 100.0 * 24 + 100.0);
  EXPECT_EQ(probe.asked[6], small);
}

class SrTable : public ::testing::Test {
 protected:
  const RooflineModel roofline_{};
  const DmaModel dma_27_ = load_dma_model(kSrModels / "dma_vpu_2_7.h5");
  const ShaveModel shave_27_ = load_shave_model(kSrModels / "shave_vpu_2_7.h5");
  const DmaModel dma_50_ = load_dma_model(kSrModels / "dma_npu_5_0.h5");
  const ShaveModel shave_50_ = load_shave_model(kSrModels / "shave_npu_5_0.h5");
};

TEST_F(SrTable, Vpu27LeavesOutPreluAndTheAlignCornersUpsampler) {
  const NetworkCoster coster(roofline_, Device::VPU_2_7, DType::UINT8, LatencyMode::compute,
                             &dma_27_, &shave_27_);
  SearchSpace s = sr_edsr_space();
  const auto dropped = drop_candidates_without_kernel(s, 360, coster);
  ASSERT_EQ(dropped.size(), 8u * 10 + 1);
  for (const DroppedCandidate& d : dropped) {
    EXPECT_TRUE(d.name.find("prelu") != std::string::npos || d.name == "up_bilinear_ac") << d.name;
  }
  EXPECT_EQ(s.positions[0].candidates.size(), 31u);
  EXPECT_EQ(s.positions[8].candidates.size(), 3u);
  EXPECT_NO_THROW(validate(s));
}

TEST_F(SrTable, ArchitectureLatencyIsTheNetsLatency) {
  const NetworkCoster coster(roofline_, Device::NPU_5_0, DType::UINT8, LatencyMode::compute,
                             &dma_50_, &shave_50_);
  SearchSpace s = sr_edsr_space();
  EXPECT_TRUE(drop_candidates_without_kernel(s, 360, coster).empty());  // 5.0 runs all
  const LatencyTable t = build_latency_table(s, 360, coster);
  EXPECT_TRUE(t.feature_mix.key.empty());
  EXPECT_EQ(t.entries().size(), 1u + 8 * 41 + 4);  // head, blocks, tail
  for (const std::vector<int>& arch : {std::vector<int>{0, 40, 6, 14, 20, 29, 3, 37, 0},
                                       std::vector<int>{40, 40, 40, 40, 40, 40, 40, 40, 1},
                                       std::vector<int>{2, 2, 2, 2, 2, 2, 2, 2, 2},
                                       std::vector<int>{19, 18, 17, 16, 15, 14, 13, 12, 3}}) {
    const NetConfig c = net_config_from_architecture(s, arch);
    const double net_ms = coster.milliseconds(parts_cycles(net_parts(c, 360), coster));
    EXPECT_NEAR(t.latency_ms(arch), net_ms, 1e-9 * net_ms);
  }
  // The DMA copy is in the nearest tail's cycles, the SHAVE steps in theirs.
  EXPECT_EQ(t.blocks[8][0].dma.size(), 1u);
  EXPECT_GT(t.blocks[8][0].dma[0].cycles, 0.0);
  EXPECT_EQ(t.blocks[8][3].shave.size(), 1u);
  EXPECT_EQ(t.blocks[0][2].shave.size(), 1u);  // k1_prelu
  EXPECT_GT(t.blocks[0][2].cycles, t.blocks[0][0].cycles);
}

}  // namespace
}  // namespace vpucost
