// `vpucost layer` (issue #16, item 4, one layer from options): the strategy
// table, the best, the DMA terms, --strategy and --json, and one-line refusals.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/model_file.hpp"

namespace vpucost {
namespace {

using test::run_cli;

const std::string kModels = std::string(VPUCOST_SOURCE_DIR) + "/models/";

TEST(CliLayer, BestStrategyAndDmaTermsAreTheLibrarys) {
  const auto r =
      run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--dma-model",
               kModels + "dma_vpu_4_0.h5", "--op", "CONVOLUTION", "--input", "56x56x90",
               "--output-channels", "90", "--kernel", "3x3", "--pad", "1,1,1,1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // The same layer through the library: channels padded to 96.
  Workload layer;
  layer.device = Device::VPU_4_0;
  layer.operation = Operation::CONVOLUTION;
  layer.input = {56, 56, 96, DType::UINT8};
  layer.output = {56, 56, 96, DType::UINT8};
  layer.kernel_w = layer.kernel_h = 3;
  layer.padding = {1, 1, 1, 1};
  layer.mode = ExecutionMode::CUBOID_16x16;
  const CostModel model = load_model(kModels + "vpu_4_0.h5");
  const LayerStrategies all = cost_strategies(model, layer);
  const StrategyCost& best = all.best();
  EXPECT_EQ(j["strategy"], std::string(to_string(best.strategy)));
  EXPECT_DOUBLE_EQ(j["cycles"].get<double>(), best.cycles);
  EXPECT_EQ(j["strategies"].size(), all.valid.size());
  for (const auto& s : j["strategies"]) EXPECT_GE(s["cycles"].get<double>(), best.cycles);
  const LayerDmaTerms dma = dma_terms(load_dma_model(kModels + "dma_vpu_4_0.h5"), layer, best);
  EXPECT_DOUBLE_EQ(j["dma"]["weights"].get<double>(), dma.weights);
  EXPECT_DOUBLE_EQ(j["dma"]["input"].get<double>(), dma.input);
  EXPECT_DOUBLE_EQ(j["dma"]["output"].get<double>(), dma.output);
  EXPECT_DOUBLE_EQ(j["cycles_in_ddr"].get<double>(),
                   best.cycles + dma.weights + dma.input + dma.output);
  EXPECT_DOUBLE_EQ(j["microseconds"].get<double>(), best.cycles / 1700.0);

  // --strategy picks one; the text table marks it.
  const auto sok = run_cli({"layer", "--model", kModels + "vpu_4_0.h5", "--op", "CONVOLUTION",
                            "--input", "56x56x96", "--output-channels", "96", "--kernel", "3x3",
                            "--pad", "1,1,1,1", "--strategy", "SOK"});
  ASSERT_EQ(sok.exit_code, 0) << sok.err;
  EXPECT_NE(sok.out.find("<- chosen"), std::string::npos) << sok.out;
  EXPECT_NE(sok.out.find("roofline DMA"), std::string::npos) << "the default DMA is named";
}

TEST(CliLayer, RefusalsAreOneLine) {
  const auto one_line = [](const test::CliResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(test::line_count(r.err), 1) << r.err;
    return r.err;
  };
  EXPECT_NE(
      one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--op", "CONVOLUTION",
                        "--input", "7x7x960", "--output-channels", "16", "--strategy", "SOK"}))
          .find("strategy SOK is not valid for this layer: 16 output channels: a split over "
                "output channels needs at least 32"),
      std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_0.h5", "--op", "CONVOLUTION",
                              "--input", "8x8x16", "--output-channels", "16", "--strategy", "SOW"}))
                .find("strategy SOW is not valid for this layer: the device does not offer it"),
            std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--dma-model",
                              kModels + "dma_vpu_4_0.h5", "--op", "MAXPOOL", "--input", "8x8x16"}))
                .find("is for VPU_4_0, not VPU_2_7"),
            std::string::npos);
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_7.h5", "--op", "CONVOLUTION",
                              "--input", "8x8x16"}))
                .find("--output-channels is required for CONVOLUTION"),
            std::string::npos);
  // A layer whose every strategy needs more than a tile's memory.
  EXPECT_NE(one_line(run_cli({"layer", "--model", kModels + "vpu_2_0.h5", "--op", "CONVOLUTION",
                              "--input", "256x256x512", "--output-channels", "512", "--dtype",
                              "FLOAT16"}))
                .find("no tiling strategy is valid for this layer"),
            std::string::npos);
}

}  // namespace
}  // namespace vpucost
